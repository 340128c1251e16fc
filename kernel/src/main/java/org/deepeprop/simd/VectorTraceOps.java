package org.deepeprop.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of {@link ScalarTraceOps}: one species-generic body, a full-vector main loop
 * and a scalar tail. Each kernel keeps the scalar path's order of operations per element (decay
 * first, then one fused multiply-add per term, in the same order), so the streaming and product
 * kernels agree with the scalar path bit for bit; only {@link #gemv} reassociates its sum.
 */
final class VectorTraceOps implements TraceOps {
    private static final VectorSpecies<Float> S = VectorConstants.SPECIES;
    private static final int L = S.length();

    VectorTraceOps() {
        if (S.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("vector species of " + S.vectorBitSize() + " bits is below 128");
        }
        if (S.vectorBitSize() > VectorConstants.PREFERRED_BITS) {
            System.getLogger(VectorTraceOps.class.getName()).log(System.Logger.Level.WARNING,
                    "deep e-prop kernels: " + S.vectorBitSize() + "-bit vectors are emulated on this machine ("
                            + VectorConstants.PREFERRED_BITS + "-bit): correct but many times slower, for tests only");
        }
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public int lanes() {
        return L;
    }

    /**
     * Unrolled by four: trace rows are short (one presynaptic vector, 100-500 floats), and on them
     * the one-vector loop spent as much time on loop control as on data; four vectors per iteration
     * took 259-float rows from 67 to 108 GB/s in L1 (Zen 5, 2026-11-27), level with the
     * auto-vectorised scalar loop there and faster beyond.
     */
    @Override
    public void decayAxpy(float[] y, int yOff, float d, float k, float[] x, int xOff, int len) {
        FloatVector dv = FloatVector.broadcast(S, d);
        FloatVector kv = FloatVector.broadcast(S, k);
        int i = 0;
        for (int bound = len - 4 * L; i <= bound; i += 4 * L) {
            int yi = yOff + i;
            int xi = xOff + i;
            FloatVector x0 = FloatVector.fromArray(S, x, xi);
            FloatVector x1 = FloatVector.fromArray(S, x, xi + L);
            FloatVector x2 = FloatVector.fromArray(S, x, xi + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, x, xi + 3 * L);
            FloatVector.fromArray(S, y, yi).fma(dv, x0.mul(kv)).intoArray(y, yi);
            FloatVector.fromArray(S, y, yi + L).fma(dv, x1.mul(kv)).intoArray(y, yi + L);
            FloatVector.fromArray(S, y, yi + 2 * L).fma(dv, x2.mul(kv)).intoArray(y, yi + 2 * L);
            FloatVector.fromArray(S, y, yi + 3 * L).fma(dv, x3.mul(kv)).intoArray(y, yi + 3 * L);
        }
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            FloatVector.fromArray(S, y, yOff + i).fma(dv, xv.mul(kv)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] = Math.fma(d, y[yOff + i], k * x[xOff + i]);
        }
    }

    /** {@link ScalarTraceOps#tanh(float)} a vector at a time: the same operations in the same order. */
    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector c = v.min(ScalarTraceOps.TANH_CLAMP).max(-ScalarTraceOps.TANH_CLAMP);
            FloatVector c2 = c.mul(c);
            FloatVector p = c2.fma(ScalarTraceOps.A13, ScalarTraceOps.A11);
            p = c2.fma(p, FloatVector.broadcast(S, ScalarTraceOps.A9));
            p = c2.fma(p, FloatVector.broadcast(S, ScalarTraceOps.A7));
            p = c2.fma(p, FloatVector.broadcast(S, ScalarTraceOps.A5));
            p = c2.fma(p, FloatVector.broadcast(S, ScalarTraceOps.A3));
            p = c2.fma(p, FloatVector.broadcast(S, ScalarTraceOps.A1));
            p = c.mul(p);
            FloatVector q = c2.fma(ScalarTraceOps.B6, ScalarTraceOps.B4);
            q = c2.fma(q, FloatVector.broadcast(S, ScalarTraceOps.B2));
            q = c2.fma(q, FloatVector.broadcast(S, ScalarTraceOps.B0));
            FloatVector r = p.div(q).min(1f).max(-1f);
            r.blend(v, v.abs().compare(VectorOperators.LT, ScalarTraceOps.TANH_LINEAR)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] = ScalarTraceOps.tanh(x[xOff + i]);
        }
    }

    /** The row length from which {@link #decayRowsContract} takes rows eight at a time. */
    private static final int GROUPED_ROWS = 4096;

    /**
     * Long rows eight at a time, as blocks are in {@link #decayBlockRowsContract}: {@code g} is read
     * and written once per eight rows instead of once per row. Rows shorter than
     * {@value #GROUPED_ROWS} floats go one at a time: their {@code g} stays in L1 anyway, and the
     * sixteen streams of a group cost more than they save (ALIF at width 32: 2080-float rows, 0.94x
     * grouped; width 64: 8256-float rows, 1.17x, and 2x on two threads; `./eprop ab`, 2026-11-28).
     */
    @Override
    public void decayRowsContract(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
                                  float[] k, int kOff, float[] x, int xOff, int xStride,
                                  float[] w, int wOff, float[] g, int gOff) {
        int r = 0;
        for (; cols >= GROUPED_ROWS && r + 8 <= rows; r += 8) {
            contractEightRows(t, tOff + r * ld, ld, d, dOff + r, k, kOff + r, 1, x, xOff + r * xStride, xStride,
                    cols, w, wOff + r, g, gOff);
        }
        for (; r < rows; r++) {
            decayAxpyContract(t, tOff + r * ld, d[dOff + r], k[kOff + r], x, xOff + r * xStride, cols,
                    w[wOff + r], g, gOff);
        }
    }

    /**
     * A rank-1 update ({@code xStride = 0}: terminal traces, a factorised top layer's gradient, the
     * readout gradient) takes rows eight at a time, loading each vector of {@code x} once for all eight;
     * rows with their own source rows go one at a time.
     */
    @Override
    public void decayRows(float[] t, int tOff, int rows, int cols, float[] d, int dOff,
                          float[] k, int kOff, float[] x, int xOff, int xStride) {
        int r = 0;
        if (xStride == 0) {
            for (; r + 8 <= rows; r += 8) {
                decayEight(t, tOff + r * cols, cols, d, dOff + r, k, kOff + r, 1, x, xOff, cols);
            }
        }
        for (; r < rows; r++) {
            decayAxpy(t, tOff + r * cols, d[dOff + r], k[kOff + r], x, xOff + r * xStride, cols);
        }
    }

    /**
     * Blocks in groups of eight, lower rows inside, as in {@link #decayBlockRowsContract}: the eight
     * rows that share a source row {@code x[r, :]} are updated in one loop, which loads it once
     * instead of eight times and runs eight times as many vectors per trip on rows of 65-257 floats.
     */
    @Override
    public void decayBlockRows(float[] t, int tOff, int blocks, int rows, int blockStride, int cols,
                               float[] d, int dOff, float[] k, int kOff, float[] x, int xOff, int xStride) {
        int b = 0;
        for (; b + 8 <= blocks; b += 8) {
            for (int r = 0; r < rows; r++) {
                decayEight(t, tOff + (b * blockStride + r) * cols, blockStride * cols, d, dOff + b, k,
                        kOff + b * blockStride + r, blockStride, x, xOff + r * xStride, cols);
            }
        }
        for (; b < blocks; b++) {
            for (int r = 0; r < rows; r++) {
                decayAxpy(t, tOff + (b * blockStride + r) * cols, d[dOff + b], k[kOff + b * blockStride + r], x,
                        xOff + r * xStride, cols);
            }
        }
    }

    /** {@link #contractEight} without the contraction. */
    private static void decayEight(float[] t, int tOff, int s, float[] d, int dOff, float[] k, int kOff, int kStride,
                                   float[] x, int xOff, int len) {
        FloatVector d0 = FloatVector.broadcast(S, d[dOff]);
        FloatVector d1 = FloatVector.broadcast(S, d[dOff + 1]);
        FloatVector d2 = FloatVector.broadcast(S, d[dOff + 2]);
        FloatVector d3 = FloatVector.broadcast(S, d[dOff + 3]);
        FloatVector d4 = FloatVector.broadcast(S, d[dOff + 4]);
        FloatVector d5 = FloatVector.broadcast(S, d[dOff + 5]);
        FloatVector d6 = FloatVector.broadcast(S, d[dOff + 6]);
        FloatVector d7 = FloatVector.broadcast(S, d[dOff + 7]);
        FloatVector k0 = FloatVector.broadcast(S, k[kOff]);
        FloatVector k1 = FloatVector.broadcast(S, k[kOff + kStride]);
        FloatVector k2 = FloatVector.broadcast(S, k[kOff + 2 * kStride]);
        FloatVector k3 = FloatVector.broadcast(S, k[kOff + 3 * kStride]);
        FloatVector k4 = FloatVector.broadcast(S, k[kOff + 4 * kStride]);
        FloatVector k5 = FloatVector.broadcast(S, k[kOff + 5 * kStride]);
        FloatVector k6 = FloatVector.broadcast(S, k[kOff + 6 * kStride]);
        FloatVector k7 = FloatVector.broadcast(S, k[kOff + 7 * kStride]);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            int p = tOff + i;
            FloatVector.fromArray(S, t, p).fma(d0, xv.mul(k0)).intoArray(t, p);
            FloatVector.fromArray(S, t, p + s).fma(d1, xv.mul(k1)).intoArray(t, p + s);
            FloatVector.fromArray(S, t, p + 2 * s).fma(d2, xv.mul(k2)).intoArray(t, p + 2 * s);
            FloatVector.fromArray(S, t, p + 3 * s).fma(d3, xv.mul(k3)).intoArray(t, p + 3 * s);
            FloatVector.fromArray(S, t, p + 4 * s).fma(d4, xv.mul(k4)).intoArray(t, p + 4 * s);
            FloatVector.fromArray(S, t, p + 5 * s).fma(d5, xv.mul(k5)).intoArray(t, p + 5 * s);
            FloatVector.fromArray(S, t, p + 6 * s).fma(d6, xv.mul(k6)).intoArray(t, p + 6 * s);
            FloatVector.fromArray(S, t, p + 7 * s).fma(d7, xv.mul(k7)).intoArray(t, p + 7 * s);
        }
        for (; i < len; i++) {
            float xi = x[xOff + i];
            for (int q = 0; q < 8; q++) {
                int p = tOff + q * s + i;
                t[p] = Math.fma(d[dOff + q], t[p], k[kOff + q * kStride] * xi);
            }
        }
    }

    /**
     * Blocks in groups of eight, lower rows inside: for each row {@code r} the group's eight rows of
     * {@code t} (one per block, {@code blockStride * cols} floats apart) are updated together and
     * their contributions to {@code g[r, :]} are added while they are in registers, so {@code g} is
     * read and written, and {@code x} read, once per group instead of once per block, and {@code t}
     * streams as eight sequential runs the prefetchers follow. One block at a time (lower rows
     * outermost, the previous order), every element of {@code t} cost three loads and two stores and
     * row {@code r} of one block lay 33 KB from row {@code r} of the next; on the width-64 depth-2
     * adjacent trace (64 x 64 rows of 129 floats) eight at a time took the kernel from about 100 to
     * 50-60 us per call (Zen 5, 2026-11-28, one JVM alternating both). Each element of {@code g} still adds the blocks in
     * ascending order, as the scalar twin does.
     */
    @Override
    public void decayBlockRowsContract(float[] t, int tOff, int blocks, int rows, int blockStride, int cols,
                                       float[] d, int dOff, float[] k, int kOff, float[] x, int xOff, int xStride,
                                       float[] w, int wOff, float[] g, int gOff) {
        int b = 0;
        for (; b + 8 <= blocks; b += 8) {
            for (int r = 0; r < rows; r++) {
                contractEight(t, tOff + (b * blockStride + r) * cols, blockStride * cols, d, dOff + b, k,
                        kOff + b * blockStride + r, blockStride, x, xOff + r * xStride, cols, w, wOff + b, g,
                        gOff + r * cols);
            }
        }
        for (; b < blocks; b++) {
            for (int r = 0; r < rows; r++) {
                decayAxpyContract(t, tOff + (b * blockStride + r) * cols, d[dOff + b], k[kOff + b * blockStride + r], x,
                        xOff + r * xStride, cols, w[wOff + b], g, gOff + r * cols);
            }
        }
    }

    /**
     * Eight rows of {@code len} floats, {@code s} apart from {@code tOff}, with decays
     * {@code d[dOff..+8)}, injections {@code k[kOff + q * kStride]} of the same source row {@code x}
     * and contraction weights {@code w[wOff..+8)}: {@code t_q = d_q t_q + k_q x}, then
     * {@code g += w_0 t_0 + ... + w_7 t_7} in that order. Written out: a helper taking vectors is
     * not reliably inlined, and one that is not boxes them.
     */
    private static void contractEight(float[] t, int tOff, int s, float[] d, int dOff, float[] k, int kOff, int kStride,
                                      float[] x, int xOff, int len, float[] w, int wOff, float[] g, int gOff) {
        FloatVector d0 = FloatVector.broadcast(S, d[dOff]);
        FloatVector d1 = FloatVector.broadcast(S, d[dOff + 1]);
        FloatVector d2 = FloatVector.broadcast(S, d[dOff + 2]);
        FloatVector d3 = FloatVector.broadcast(S, d[dOff + 3]);
        FloatVector d4 = FloatVector.broadcast(S, d[dOff + 4]);
        FloatVector d5 = FloatVector.broadcast(S, d[dOff + 5]);
        FloatVector d6 = FloatVector.broadcast(S, d[dOff + 6]);
        FloatVector d7 = FloatVector.broadcast(S, d[dOff + 7]);
        FloatVector k0 = FloatVector.broadcast(S, k[kOff]);
        FloatVector k1 = FloatVector.broadcast(S, k[kOff + kStride]);
        FloatVector k2 = FloatVector.broadcast(S, k[kOff + 2 * kStride]);
        FloatVector k3 = FloatVector.broadcast(S, k[kOff + 3 * kStride]);
        FloatVector k4 = FloatVector.broadcast(S, k[kOff + 4 * kStride]);
        FloatVector k5 = FloatVector.broadcast(S, k[kOff + 5 * kStride]);
        FloatVector k6 = FloatVector.broadcast(S, k[kOff + 6 * kStride]);
        FloatVector k7 = FloatVector.broadcast(S, k[kOff + 7 * kStride]);
        FloatVector w0 = FloatVector.broadcast(S, w[wOff]);
        FloatVector w1 = FloatVector.broadcast(S, w[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(S, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(S, w[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(S, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(S, w[wOff + 7]);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            int p = tOff + i;
            FloatVector y0 = FloatVector.fromArray(S, t, p).fma(d0, xv.mul(k0));
            y0.intoArray(t, p);
            FloatVector y1 = FloatVector.fromArray(S, t, p + s).fma(d1, xv.mul(k1));
            y1.intoArray(t, p + s);
            FloatVector y2 = FloatVector.fromArray(S, t, p + 2 * s).fma(d2, xv.mul(k2));
            y2.intoArray(t, p + 2 * s);
            FloatVector y3 = FloatVector.fromArray(S, t, p + 3 * s).fma(d3, xv.mul(k3));
            y3.intoArray(t, p + 3 * s);
            FloatVector gv = w3.fma(y3, w2.fma(y2, w1.fma(y1, w0.fma(y0, FloatVector.fromArray(S, g, gOff + i)))));
            FloatVector y4 = FloatVector.fromArray(S, t, p + 4 * s).fma(d4, xv.mul(k4));
            y4.intoArray(t, p + 4 * s);
            FloatVector y5 = FloatVector.fromArray(S, t, p + 5 * s).fma(d5, xv.mul(k5));
            y5.intoArray(t, p + 5 * s);
            FloatVector y6 = FloatVector.fromArray(S, t, p + 6 * s).fma(d6, xv.mul(k6));
            y6.intoArray(t, p + 6 * s);
            FloatVector y7 = FloatVector.fromArray(S, t, p + 7 * s).fma(d7, xv.mul(k7));
            y7.intoArray(t, p + 7 * s);
            w7.fma(y7, w6.fma(y6, w5.fma(y5, w4.fma(y4, gv)))).intoArray(g, gOff + i);
        }
        for (; i < len; i++) {
            float xi = x[xOff + i];
            float gi = g[gOff + i];
            for (int q = 0; q < 8; q++) {
                int p = tOff + q * s + i;
                float y = Math.fma(d[dOff + q], t[p], k[kOff + q * kStride] * xi);
                t[p] = y;
                gi = Math.fma(w[wOff + q], y, gi);
            }
            g[gOff + i] = gi;
        }
    }

    /**
     * {@link #contractEight} with a source row of its own for each row, {@code x_q} at
     * {@code xOff + q * xs}. Kept apart because loading the shared row eight times made the
     * adjacent update 1.5x slower ({@code ./eprop ab}, depth 2 width 64, 2026-11-28).
     */
    private static void contractEightRows(float[] t, int tOff, int s, float[] d, int dOff, float[] k, int kOff, int kStride,
                                          float[] x, int xOff, int xs, int len, float[] w, int wOff, float[] g, int gOff) {
        FloatVector d0 = FloatVector.broadcast(S, d[dOff]);
        FloatVector d1 = FloatVector.broadcast(S, d[dOff + 1]);
        FloatVector d2 = FloatVector.broadcast(S, d[dOff + 2]);
        FloatVector d3 = FloatVector.broadcast(S, d[dOff + 3]);
        FloatVector d4 = FloatVector.broadcast(S, d[dOff + 4]);
        FloatVector d5 = FloatVector.broadcast(S, d[dOff + 5]);
        FloatVector d6 = FloatVector.broadcast(S, d[dOff + 6]);
        FloatVector d7 = FloatVector.broadcast(S, d[dOff + 7]);
        FloatVector k0 = FloatVector.broadcast(S, k[kOff]);
        FloatVector k1 = FloatVector.broadcast(S, k[kOff + kStride]);
        FloatVector k2 = FloatVector.broadcast(S, k[kOff + 2 * kStride]);
        FloatVector k3 = FloatVector.broadcast(S, k[kOff + 3 * kStride]);
        FloatVector k4 = FloatVector.broadcast(S, k[kOff + 4 * kStride]);
        FloatVector k5 = FloatVector.broadcast(S, k[kOff + 5 * kStride]);
        FloatVector k6 = FloatVector.broadcast(S, k[kOff + 6 * kStride]);
        FloatVector k7 = FloatVector.broadcast(S, k[kOff + 7 * kStride]);
        FloatVector w0 = FloatVector.broadcast(S, w[wOff]);
        FloatVector w1 = FloatVector.broadcast(S, w[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(S, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(S, w[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(S, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(S, w[wOff + 7]);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            int p = tOff + i;
            int q = xOff + i;
            FloatVector y0 = FloatVector.fromArray(S, t, p).fma(d0, FloatVector.fromArray(S, x, q).mul(k0));
            y0.intoArray(t, p);
            FloatVector y1 = FloatVector.fromArray(S, t, p + s).fma(d1, FloatVector.fromArray(S, x, q + xs).mul(k1));
            y1.intoArray(t, p + s);
            FloatVector y2 = FloatVector.fromArray(S, t, p + 2 * s).fma(d2, FloatVector.fromArray(S, x, q + 2 * xs).mul(k2));
            y2.intoArray(t, p + 2 * s);
            FloatVector y3 = FloatVector.fromArray(S, t, p + 3 * s).fma(d3, FloatVector.fromArray(S, x, q + 3 * xs).mul(k3));
            y3.intoArray(t, p + 3 * s);
            FloatVector gv = w3.fma(y3, w2.fma(y2, w1.fma(y1, w0.fma(y0, FloatVector.fromArray(S, g, gOff + i)))));
            FloatVector y4 = FloatVector.fromArray(S, t, p + 4 * s).fma(d4, FloatVector.fromArray(S, x, q + 4 * xs).mul(k4));
            y4.intoArray(t, p + 4 * s);
            FloatVector y5 = FloatVector.fromArray(S, t, p + 5 * s).fma(d5, FloatVector.fromArray(S, x, q + 5 * xs).mul(k5));
            y5.intoArray(t, p + 5 * s);
            FloatVector y6 = FloatVector.fromArray(S, t, p + 6 * s).fma(d6, FloatVector.fromArray(S, x, q + 6 * xs).mul(k6));
            y6.intoArray(t, p + 6 * s);
            FloatVector y7 = FloatVector.fromArray(S, t, p + 7 * s).fma(d7, FloatVector.fromArray(S, x, q + 7 * xs).mul(k7));
            y7.intoArray(t, p + 7 * s);
            w7.fma(y7, w6.fma(y6, w5.fma(y5, w4.fma(y4, gv)))).intoArray(g, gOff + i);
        }
        for (; i < len; i++) {
            float gi = g[gOff + i];
            for (int q = 0; q < 8; q++) {
                int p = tOff + q * s + i;
                float y = Math.fma(d[dOff + q], t[p], k[kOff + q * kStride] * x[xOff + q * xs + i]);
                t[p] = y;
                gi = Math.fma(w[wOff + q], y, gi);
            }
            g[gOff + i] = gi;
        }
    }

    /**
     * {@code y = d y + k x}, then {@code g += w y} while the new {@code y} is in a register;
     * unrolled by two for the short rows ({@link #decayAxpy} by four). Serves
     * {@link #decayRowsContract} and the blocks left over after groups of eight.
     */
    private static void decayAxpyContract(float[] y, int yOff, float d, float k, float[] x, int xOff, int len,
                                          float w, float[] g, int gOff) {
        FloatVector dv = FloatVector.broadcast(S, d);
        FloatVector kv = FloatVector.broadcast(S, k);
        FloatVector wv = FloatVector.broadcast(S, w);
        int i = 0;
        for (int bound = len - 2 * L; i <= bound; i += 2 * L) {
            FloatVector y0 = FloatVector.fromArray(S, y, yOff + i).fma(dv, FloatVector.fromArray(S, x, xOff + i).mul(kv));
            FloatVector y1 = FloatVector.fromArray(S, y, yOff + i + L)
                    .fma(dv, FloatVector.fromArray(S, x, xOff + i + L).mul(kv));
            y0.intoArray(y, yOff + i);
            y1.intoArray(y, yOff + i + L);
            wv.fma(y0, FloatVector.fromArray(S, g, gOff + i)).intoArray(g, gOff + i);
            wv.fma(y1, FloatVector.fromArray(S, g, gOff + i + L)).intoArray(g, gOff + i + L);
        }
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector yv = FloatVector.fromArray(S, y, yOff + i).fma(dv, FloatVector.fromArray(S, x, xOff + i).mul(kv));
            yv.intoArray(y, yOff + i);
            wv.fma(yv, FloatVector.fromArray(S, g, gOff + i)).intoArray(g, gOff + i);
        }
        for (; i < len; i++) {
            float yi = Math.fma(d, y[yOff + i], k * x[xOff + i]);
            y[yOff + i] = yi;
            g[gOff + i] = Math.fma(w, yi, g[gOff + i]);
        }
    }

    /** A panel is four vectors of columns: the width of the 4 x 4 register tile, two 6 x 2 tiles. */
    private static final int PANEL = 4 * L;

    /**
     * Below 512 bits the product's main tile is 6 rows x 2 vectors instead of 4 x 4, and the rows
     * left after the 6-row blocks run as 2 x 4 and 1 x 4 tiles ({@link #gemmLastRows}). The 4 x 4 tile
     * needs 21 vector registers (16 accumulators, 4 loads, a broadcast): AVX-512 has 32, AVX2 16, so
     * on AVX2 it spills. On a Zen 3 with AVX2 (2026-11-29) two 6 x 2 tiles per panel made the
     * depth-3 and -4 steps 1.06-1.28x faster (RESULTS.md, section 3).
     */
    private static final boolean SIX_ROW_TILES = S.vectorBitSize() < 512;

    /**
     * {@inheritDoc} Here {@code inner} times four vectors, and below 512 bits at least
     * {@link #PACK_ALL_FLOATS} (32 KB): a product whose panels of {@code b} all fit packs them all
     * and runs row blocks outermost ({@link #gemmRowBlocks}).
     */
    @Override
    public int packFloats(int inner) {
        return SIX_ROW_TILES ? Math.max(inner * PANEL, PACK_ALL_FLOATS) : inner * PANEL;
    }

    /**
     * Register-blocked: four rows of {@code t} times four vectors of columns stay in sixteen
     * accumulators while the inner dimension streams, so each load of {@code b} feeds four FMAs and
     * each broadcast of {@code a} four more. Sixteen accumulators, not eight, because two FMA pipes
     * with a four-cycle latency need at least eight independent chains and the spare ones absorb
     * load stalls: on the 128 x 128 x 18560 product of a width-128 network, 4x4 ran at about
     * 120 GFLOP/s against 90 for 4x2 and 98 for 6x2 in one JVM (Zen 5, 2026-11-27). Below 512 bits
     * each panel is two 6 x 2 tiles instead ({@link #SIX_ROW_TILES}).
     *
     * <p>Column panels are the outer loop, and each panel of {@code b} ({@code inner x 4} vectors)
     * is first copied into {@code pack}, contiguous: every row block then reads it from L1 at unit
     * stride. Unpacked, the panel's rows lie {@code ld} floats apart (130 KB at width 128), so each
     * row block's pass over it touched {@code inner} pages and lines the prefetcher could not
     * predict; packing took the width-128 product from about 105 to 130-145 GFLOP/s when the traces
     * live in DRAM (Zen 5, 2026-11-27). The copy loop has no dependences, so its cache misses overlap.
     */
    @Override
    public void decayGemm(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
                          float[] a, int aOff, int inner, float[] b, int bOff, float[] pack) {
        gemm(t, tOff, rows, cols, ld, d, dOff, a, aOff, inner, b, bOff, pack, null, 0, null, 0);
    }

    @Override
    public void decayGemmContract(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
                                  float[] a, int aOff, int inner, float[] b, int bOff, float[] pack,
                                  float[] w, int wOff, float[] g, int gOff) {
        gemm(t, tOff, rows, cols, ld, d, dOff, a, aOff, inner, b, bOff, pack, w, wOff, g, gOff);
    }

    /** Floats of {@code t} in one chunk of rows of {@link #gemm} (128 KB, to stay in L2). */
    private static final int CHUNK_FLOATS = 32 * 1024;

    /**
     * The product, and with {@code g != null} its contraction (inside the 4 x 4 tile while it is in
     * registers; below 512 bits over each stored tile, {@link #contractTile}), in chunks of rows when rows are short: with every row in one pass each column panel walked
     * the whole of {@code t} (the deferred deep update's is 16384 rows of 257 floats at width 128,
     * 16.8 MB), touching one or two lines per row, so {@code t} came from memory in scattered lines;
     * a chunk of {@value #CHUNK_FLOATS} floats stays in L2 while its panels pass. Long rows (the
     * undeferred product's, 8256-32896 floats) keep one chunk, where a chunk would repack each
     * panel of {@code b} once more per chunk. A row's operations are the same either way, and
     * chunks run in ascending order, so {@code g} still adds rows in ascending order. Below 512 bits
     * a product whose panels all fit the scratch takes {@link #gemmRowBlocks} instead, which streams
     * {@code t} without chunks (the deferred deep update at width 128 is one).
     */
    private void gemm(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
                      float[] a, int aOff, int inner, float[] b, int bOff, float[] pack,
                      float[] w, int wOff, float[] g, int gOff) {
        if (rows == 0) {
            return;
        }
        if (pack == null || pack.length < packFloats(inner)) {
            throw new IllegalArgumentException("pack: " + (pack == null ? "null" : pack.length + " floats")
                    + ", expected at least packFloats(" + inner + ") = " + packFloats(inner));
        }
        int panelCols = cols - cols % PANEL;
        if (SIX_ROW_TILES && rows >= 6 && panelCols > 0 && (long) inner * panelCols <= PACK_ALL_FLOATS) {
            gemmRowBlocks(t, tOff, rows, panelCols, ld, d, dOff, a, aOff, inner, b, bOff, pack, w, wOff, g, gOff);
            gemmEdges(t, tOff, rows, panelCols, cols, ld, d, dOff, a, aOff, inner, b, bOff, w, wOff, g, gOff);
            return;
        }
        // Whole 4- and 6-row tiles per chunk; a chunk of fewer than 48 rows would repack the
        // panels of b too often to pay.
        int chunk = CHUNK_FLOATS / Math.max(1, cols) / 12 * 12;
        if (chunk < 48) {
            chunk = rows;
        }
        for (int m0 = 0; m0 < rows; m0 += chunk) {
            int n = Math.min(chunk, rows - m0);
            gemmRows(t, tOff + m0 * ld, n, cols, ld, d, dOff + m0, a, aOff + m0 * inner, inner, b, bOff, pack,
                    w, wOff + m0, g, gOff);
        }
    }

    /** {@link #gemm} over all of its rows at once: column panels outermost. */
    private static void gemmRows(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
                                 float[] a, int aOff, int inner, float[] b, int bOff, float[] pack,
                                 float[] w, int wOff, float[] g, int gOff) {
        int c = 0;
        for (; c + PANEL <= cols; c += PANEL) {
            packPanel(b, bOff + c, ld, inner, pack, 0);
            int m = 0;
            if (SIX_ROW_TILES) {
                for (; m + 6 <= rows; m += 6) {
                    gemm6x2(t, tOff, ld, d, dOff, a, aOff, inner, pack, 0, m, c);
                    gemm6x2(t, tOff, ld, d, dOff, a, aOff, inner, pack, 2 * L, m, c + 2 * L);
                    if (g != null) {
                        contractTile(t, tOff + m * ld + c, ld, 6, PANEL, w, wOff + m, g, gOff + c);
                    }
                }
                gemmLastRows(t, tOff, rows, ld, d, dOff, a, aOff, inner, pack, 0, m, c, w, wOff, g, gOff);
            } else {
                for (; m + 4 <= rows; m += 4) {
                    gemm4x4(t, tOff, ld, d, dOff, a, aOff, inner, pack, m, c, w, wOff, g, gOff);
                }
                for (; m < rows; m++) {
                    for (int v = 0; v < PANEL; v += L) {
                        gemm1x1(t, tOff, ld, d, dOff, a, aOff, inner, pack, v, PANEL, m, c + v, w, wOff, g, gOff);
                    }
                }
            }
        }
        gemmEdges(t, tOff, rows, c, cols, ld, d, dOff, a, aOff, inner, b, bOff, w, wOff, g, gOff);
    }

    /** Copies {@code inner} rows of one panel of {@code b}, {@code ld} apart from {@code src}, to {@code pack} contiguously from {@code dst}. */
    private static void packPanel(float[] b, int src, int ld, int inner, float[] pack, int dst) {
        for (int n = 0; n < inner; n++) {
            int from = src + n * ld;
            int to = dst + n * PANEL;
            FloatVector.fromArray(S, b, from).intoArray(pack, to);
            FloatVector.fromArray(S, b, from + L).intoArray(pack, to + L);
            FloatVector.fromArray(S, b, from + 2 * L).intoArray(pack, to + 2 * L);
            FloatVector.fromArray(S, b, from + 3 * L).intoArray(pack, to + 3 * L);
        }
    }

    /**
     * Every row's columns {@code [c, cols)}, fewer than a panel: not worth packing, so {@code b} is
     * read in place.
     */
    private static void gemmEdges(float[] t, int tOff, int rows, int c, int cols, int ld, float[] d, int dOff,
                                  float[] a, int aOff, int inner, float[] b, int bOff,
                                  float[] w, int wOff, float[] g, int gOff) {
        for (; c + L <= cols; c += L) {
            int m = 0;
            for (; m + 4 <= rows; m += 4) {
                gemm4x1(t, tOff, ld, d, dOff, a, aOff, inner, b, bOff, m, c, w, wOff, g, gOff);
            }
            for (; m < rows; m++) {
                gemm1x1(t, tOff, ld, d, dOff, a, aOff, inner, b, bOff + c, ld, m, c, w, wOff, g, gOff);
            }
        }
        int m = 0;
        for (; m + 4 <= rows && c < cols; m += 4) {
            gemmTail4(t, tOff, ld, d, dOff, a, aOff, inner, b, bOff, m, c, cols, w, wOff, g, gOff);
        }
        for (; m < rows; m++) {
            int row = tOff + m * ld;
            float dm = d[dOff + m];
            int aRow = aOff + m * inner;
            for (int cc = c; cc < cols; cc++) {
                float acc = t[row + cc] * dm;
                for (int n = 0; n < inner; n++) {
                    acc = Math.fma(a[aRow + n], b[bOff + n * ld + cc], acc);
                }
                t[row + cc] = acc;
                if (g != null) {
                    g[gOff + cc] = Math.fma(w[wOff + m], acc, g[gOff + cc]);
                }
            }
        }
    }

    /**
     * The columns {@code [0, panelCols)} of every row with every panel of {@code b} packed first
     * (panel {@code q} at {@code q * inner * PANEL}) and blocks of six rows outermost, so that
     * {@code t} streams row block by row block. With panels outermost each panel's pass touched one
     * or two lines of every row; on the deferred deep update's 16384 x 32 x 256 shape (Zen 3,
     * 2026-11-29) this order made the depth-3 width-128 step faster (RESULTS.md, section 3). Rows
     * still reach each element of {@code g} in ascending order.
     */
    private static void gemmRowBlocks(float[] t, int tOff, int rows, int panelCols, int ld, float[] d, int dOff,
                                      float[] a, int aOff, int inner, float[] b, int bOff, float[] pack,
                                      float[] w, int wOff, float[] g, int gOff) {
        int panels = panelCols / PANEL;
        for (int q = 0; q < panels; q++) {
            packPanel(b, bOff + q * PANEL, ld, inner, pack, q * inner * PANEL);
        }
        int m = 0;
        for (; m + 6 <= rows; m += 6) {
            for (int q = 0; q < panels; q++) {
                int p = q * inner * PANEL;
                int c = q * PANEL;
                gemm6x2(t, tOff, ld, d, dOff, a, aOff, inner, pack, p, m, c);
                gemm6x2(t, tOff, ld, d, dOff, a, aOff, inner, pack, p + 2 * L, m, c + 2 * L);
                if (g != null) {
                    contractTile(t, tOff + m * ld + c, ld, 6, PANEL, w, wOff + m, g, gOff + c);
                }
            }
        }
        for (int q = 0; q < panels; q++) {
            gemmLastRows(t, tOff, rows, ld, d, dOff, a, aOff, inner, pack, q * inner * PANEL, m, q * PANEL,
                    w, wOff, g, gOff);
        }
    }

    /**
     * Below 512 bits, the rows {@code [m, rows)} left after the 6-row blocks (fewer than six) of one
     * packed panel at {@code pOff}: pairs of rows as 2 x 4 tiles, then a last row as a 1 x 4 tile.
     * With one-vector tiles for them (a single multiply-add chain each, an eighth of the FMA pipes'
     * rate), the two rows left over at width 128 cost a tenth of the product.
     */
    private static void gemmLastRows(float[] t, int tOff, int rows, int ld, float[] d, int dOff,
                                     float[] a, int aOff, int inner, float[] p, int pOff, int m, int c,
                                     float[] w, int wOff, float[] g, int gOff) {
        for (; m + 2 <= rows; m += 2) {
            gemm2x4(t, tOff, ld, d, dOff, a, aOff, inner, p, pOff, m, c);
            if (g != null) {
                contractTile(t, tOff + m * ld + c, ld, 2, PANEL, w, wOff + m, g, gOff + c);
            }
        }
        if (m < rows) {
            gemm1x4(t, tOff, ld, d, dOff, a, aOff, inner, p, pOff, m, c);
            if (g != null) {
                contractTile(t, tOff + m * ld + c, ld, 1, PANEL, w, wOff + m, g, gOff + c);
            }
        }
    }

    /**
     * Columns {@code [c, cols)} (fewer than a vector) of rows {@code m..m+3}: four independent
     * multiply-add chains instead of one, each element's operations in the scalar twin's order.
     */
    private static void gemmTail4(float[] t, int tOff, int ld, float[] d, int dOff, float[] a, int aOff,
                                  int inner, float[] b, int bOff, int m, int c, int cols,
                                  float[] w, int wOff, float[] g, int gOff) {
        int r0 = tOff + m * ld;
        int a0 = aOff + m * inner;
        float d0 = d[dOff + m];
        float d1 = d[dOff + m + 1];
        float d2 = d[dOff + m + 2];
        float d3 = d[dOff + m + 3];
        for (int cc = c; cc < cols; cc++) {
            float acc0 = t[r0 + cc] * d0;
            float acc1 = t[r0 + ld + cc] * d1;
            float acc2 = t[r0 + 2 * ld + cc] * d2;
            float acc3 = t[r0 + 3 * ld + cc] * d3;
            for (int n = 0; n < inner; n++) {
                float bn = b[bOff + n * ld + cc];
                acc0 = Math.fma(a[a0 + n], bn, acc0);
                acc1 = Math.fma(a[a0 + inner + n], bn, acc1);
                acc2 = Math.fma(a[a0 + 2 * inner + n], bn, acc2);
                acc3 = Math.fma(a[a0 + 3 * inner + n], bn, acc3);
            }
            t[r0 + cc] = acc0;
            t[r0 + ld + cc] = acc1;
            t[r0 + 2 * ld + cc] = acc2;
            t[r0 + 3 * ld + cc] = acc3;
            if (g != null) {
                float gc = Math.fma(w[wOff + m], acc0, g[gOff + cc]);
                gc = Math.fma(w[wOff + m + 1], acc1, gc);
                gc = Math.fma(w[wOff + m + 2], acc2, gc);
                g[gOff + cc] = Math.fma(w[wOff + m + 3], acc3, gc);
            }
        }
    }

    /** The 4 x 4 tile at rows {@code m}, columns {@code c}, reading the packed panel {@code p}. */
    private static void gemm4x4(float[] t, int tOff, int ld, float[] d, int dOff,
                                float[] a, int aOff, int inner, float[] p, int m, int c,
                                float[] w, int wOff, float[] g, int gOff) {
        int r0 = tOff + m * ld + c;
        int r1 = r0 + ld;
        int r2 = r1 + ld;
        int r3 = r2 + ld;
        FloatVector d0 = FloatVector.broadcast(S, d[dOff + m]);
        FloatVector d1 = FloatVector.broadcast(S, d[dOff + m + 1]);
        FloatVector d2 = FloatVector.broadcast(S, d[dOff + m + 2]);
        FloatVector d3 = FloatVector.broadcast(S, d[dOff + m + 3]);
        FloatVector c00 = FloatVector.fromArray(S, t, r0).mul(d0);
        FloatVector c01 = FloatVector.fromArray(S, t, r0 + L).mul(d0);
        FloatVector c02 = FloatVector.fromArray(S, t, r0 + 2 * L).mul(d0);
        FloatVector c03 = FloatVector.fromArray(S, t, r0 + 3 * L).mul(d0);
        FloatVector c10 = FloatVector.fromArray(S, t, r1).mul(d1);
        FloatVector c11 = FloatVector.fromArray(S, t, r1 + L).mul(d1);
        FloatVector c12 = FloatVector.fromArray(S, t, r1 + 2 * L).mul(d1);
        FloatVector c13 = FloatVector.fromArray(S, t, r1 + 3 * L).mul(d1);
        FloatVector c20 = FloatVector.fromArray(S, t, r2).mul(d2);
        FloatVector c21 = FloatVector.fromArray(S, t, r2 + L).mul(d2);
        FloatVector c22 = FloatVector.fromArray(S, t, r2 + 2 * L).mul(d2);
        FloatVector c23 = FloatVector.fromArray(S, t, r2 + 3 * L).mul(d2);
        FloatVector c30 = FloatVector.fromArray(S, t, r3).mul(d3);
        FloatVector c31 = FloatVector.fromArray(S, t, r3 + L).mul(d3);
        FloatVector c32 = FloatVector.fromArray(S, t, r3 + 2 * L).mul(d3);
        FloatVector c33 = FloatVector.fromArray(S, t, r3 + 3 * L).mul(d3);
        int a0 = aOff + m * inner;
        for (int n = 0; n < inner; n++) {
            int pRow = n * PANEL;
            FloatVector b0 = FloatVector.fromArray(S, p, pRow);
            FloatVector b1 = FloatVector.fromArray(S, p, pRow + L);
            FloatVector b2 = FloatVector.fromArray(S, p, pRow + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, p, pRow + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + n]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a0 + inner + n]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[a0 + 2 * inner + n]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[a0 + 3 * inner + n]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
        }
        c00.intoArray(t, r0);
        c01.intoArray(t, r0 + L);
        c02.intoArray(t, r0 + 2 * L);
        c03.intoArray(t, r0 + 3 * L);
        c10.intoArray(t, r1);
        c11.intoArray(t, r1 + L);
        c12.intoArray(t, r1 + 2 * L);
        c13.intoArray(t, r1 + 3 * L);
        c20.intoArray(t, r2);
        c21.intoArray(t, r2 + L);
        c22.intoArray(t, r2 + 2 * L);
        c23.intoArray(t, r2 + 3 * L);
        c30.intoArray(t, r3);
        c31.intoArray(t, r3 + L);
        c32.intoArray(t, r3 + 2 * L);
        c33.intoArray(t, r3 + 3 * L);
        if (g != null) {
            // Rows in ascending order per element, as the scalar contraction adds them.
            FloatVector w0 = FloatVector.broadcast(S, w[wOff + m]);
            FloatVector w1 = FloatVector.broadcast(S, w[wOff + m + 1]);
            FloatVector w2 = FloatVector.broadcast(S, w[wOff + m + 2]);
            FloatVector w3 = FloatVector.broadcast(S, w[wOff + m + 3]);
            int gc = gOff + c;
            // Written out, not a helper: a helper taking eight vectors is too large for C2 to inline
            // at this cold call site, and a call that is not inlined boxes every vector.
            w3.fma(c30, w2.fma(c20, w1.fma(c10, w0.fma(c00, FloatVector.fromArray(S, g, gc))))).intoArray(g, gc);
            w3.fma(c31, w2.fma(c21, w1.fma(c11, w0.fma(c01, FloatVector.fromArray(S, g, gc + L))))).intoArray(g, gc + L);
            w3.fma(c32, w2.fma(c22, w1.fma(c12, w0.fma(c02, FloatVector.fromArray(S, g, gc + 2 * L)))))
                    .intoArray(g, gc + 2 * L);
            w3.fma(c33, w2.fma(c23, w1.fma(c13, w0.fma(c03, FloatVector.fromArray(S, g, gc + 3 * L)))))
                    .intoArray(g, gc + 3 * L);
        }
    }

    /**
     * The 6 x 2 tile at rows {@code m}, columns {@code c}, reading the two vectors at {@code pOff}
     * of each row of the packed panel {@code p}: twelve accumulators, two loads and a broadcast fit
     * in sixteen registers.
     */
    private static void gemm6x2(float[] t, int tOff, int ld, float[] d, int dOff,
                                float[] a, int aOff, int inner, float[] p, int pOff, int m, int c) {
        int r0 = tOff + m * ld + c;
        int r1 = r0 + ld;
        int r2 = r1 + ld;
        int r3 = r2 + ld;
        int r4 = r3 + ld;
        int r5 = r4 + ld;
        FloatVector c00 = FloatVector.fromArray(S, t, r0).mul(d[dOff + m]);
        FloatVector c01 = FloatVector.fromArray(S, t, r0 + L).mul(d[dOff + m]);
        FloatVector c10 = FloatVector.fromArray(S, t, r1).mul(d[dOff + m + 1]);
        FloatVector c11 = FloatVector.fromArray(S, t, r1 + L).mul(d[dOff + m + 1]);
        FloatVector c20 = FloatVector.fromArray(S, t, r2).mul(d[dOff + m + 2]);
        FloatVector c21 = FloatVector.fromArray(S, t, r2 + L).mul(d[dOff + m + 2]);
        FloatVector c30 = FloatVector.fromArray(S, t, r3).mul(d[dOff + m + 3]);
        FloatVector c31 = FloatVector.fromArray(S, t, r3 + L).mul(d[dOff + m + 3]);
        FloatVector c40 = FloatVector.fromArray(S, t, r4).mul(d[dOff + m + 4]);
        FloatVector c41 = FloatVector.fromArray(S, t, r4 + L).mul(d[dOff + m + 4]);
        FloatVector c50 = FloatVector.fromArray(S, t, r5).mul(d[dOff + m + 5]);
        FloatVector c51 = FloatVector.fromArray(S, t, r5 + L).mul(d[dOff + m + 5]);
        int a0 = aOff + m * inner;
        for (int n = 0; n < inner; n++) {
            int pRow = n * PANEL + pOff;
            FloatVector b0 = FloatVector.fromArray(S, p, pRow);
            FloatVector b1 = FloatVector.fromArray(S, p, pRow + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + n]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a0 + inner + n]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a0 + 2 * inner + n]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a0 + 3 * inner + n]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a0 + 4 * inner + n]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a0 + 5 * inner + n]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(t, r0);
        c01.intoArray(t, r0 + L);
        c10.intoArray(t, r1);
        c11.intoArray(t, r1 + L);
        c20.intoArray(t, r2);
        c21.intoArray(t, r2 + L);
        c30.intoArray(t, r3);
        c31.intoArray(t, r3 + L);
        c40.intoArray(t, r4);
        c41.intoArray(t, r4 + L);
        c50.intoArray(t, r5);
        c51.intoArray(t, r5 + L);
    }

    /**
     * The contraction of a tile that has just been stored, read back from L1: {@code g[gc + v] +=
     * sum_k w[wOff + k] t[r0 + k ld + v]} for {@code k < rows}, {@code v < floats} (whole vectors),
     * rows in ascending order per element, as the scalar contraction adds them. With the
     * contraction inside {@link #gemm6x2}, its operands, live across the inner loop, left too few
     * registers and C2 spilled two accumulators to the stack inside it, which halved the tile's rate
     * (Zen 3, 2026-11-29; RESULTS.md, section 3).
     */
    private static void contractTile(float[] t, int r0, int ld, int rows, int floats,
                                     float[] w, int wOff, float[] g, int gc) {
        for (int v = 0; v < floats; v += L) {
            FloatVector acc = FloatVector.fromArray(S, g, gc + v);
            for (int k = 0; k < rows; k++) {
                acc = FloatVector.broadcast(S, w[wOff + k]).fma(FloatVector.fromArray(S, t, r0 + k * ld + v), acc);
            }
            acc.intoArray(g, gc + v);
        }
    }

    /**
     * Two rows by the four vectors of the packed panel at {@code pOff}: eight accumulators, enough
     * chains for two FMA pipes of four cycles' latency, in fourteen registers.
     */
    private static void gemm2x4(float[] t, int tOff, int ld, float[] d, int dOff,
                                float[] a, int aOff, int inner, float[] p, int pOff, int m, int c) {
        int r0 = tOff + m * ld + c;
        int r1 = r0 + ld;
        FloatVector c00 = FloatVector.fromArray(S, t, r0).mul(d[dOff + m]);
        FloatVector c01 = FloatVector.fromArray(S, t, r0 + L).mul(d[dOff + m]);
        FloatVector c02 = FloatVector.fromArray(S, t, r0 + 2 * L).mul(d[dOff + m]);
        FloatVector c03 = FloatVector.fromArray(S, t, r0 + 3 * L).mul(d[dOff + m]);
        FloatVector c10 = FloatVector.fromArray(S, t, r1).mul(d[dOff + m + 1]);
        FloatVector c11 = FloatVector.fromArray(S, t, r1 + L).mul(d[dOff + m + 1]);
        FloatVector c12 = FloatVector.fromArray(S, t, r1 + 2 * L).mul(d[dOff + m + 1]);
        FloatVector c13 = FloatVector.fromArray(S, t, r1 + 3 * L).mul(d[dOff + m + 1]);
        int a0 = aOff + m * inner;
        for (int n = 0; n < inner; n++) {
            int pRow = pOff + n * PANEL;
            FloatVector b0 = FloatVector.fromArray(S, p, pRow);
            FloatVector b1 = FloatVector.fromArray(S, p, pRow + L);
            FloatVector b2 = FloatVector.fromArray(S, p, pRow + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, p, pRow + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + n]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a0 + inner + n]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
        }
        c00.intoArray(t, r0);
        c01.intoArray(t, r0 + L);
        c02.intoArray(t, r0 + 2 * L);
        c03.intoArray(t, r0 + 3 * L);
        c10.intoArray(t, r1);
        c11.intoArray(t, r1 + L);
        c12.intoArray(t, r1 + 2 * L);
        c13.intoArray(t, r1 + 3 * L);
    }

    /** One row by the four vectors of the packed panel at {@code pOff}: four chains, half the pipes' rate. */
    private static void gemm1x4(float[] t, int tOff, int ld, float[] d, int dOff,
                                float[] a, int aOff, int inner, float[] p, int pOff, int m, int c) {
        int r0 = tOff + m * ld + c;
        FloatVector c0 = FloatVector.fromArray(S, t, r0).mul(d[dOff + m]);
        FloatVector c1 = FloatVector.fromArray(S, t, r0 + L).mul(d[dOff + m]);
        FloatVector c2 = FloatVector.fromArray(S, t, r0 + 2 * L).mul(d[dOff + m]);
        FloatVector c3 = FloatVector.fromArray(S, t, r0 + 3 * L).mul(d[dOff + m]);
        int a0 = aOff + m * inner;
        for (int n = 0; n < inner; n++) {
            int pRow = pOff + n * PANEL;
            FloatVector x = FloatVector.broadcast(S, a[a0 + n]);
            c0 = x.fma(FloatVector.fromArray(S, p, pRow), c0);
            c1 = x.fma(FloatVector.fromArray(S, p, pRow + L), c1);
            c2 = x.fma(FloatVector.fromArray(S, p, pRow + 2 * L), c2);
            c3 = x.fma(FloatVector.fromArray(S, p, pRow + 3 * L), c3);
        }
        c0.intoArray(t, r0);
        c1.intoArray(t, r0 + L);
        c2.intoArray(t, r0 + 2 * L);
        c3.intoArray(t, r0 + 3 * L);
    }

    /** Four rows, one vector of columns at {@code c}: the columns right of the last panel. */
    private static void gemm4x1(float[] t, int tOff, int ld, float[] d, int dOff,
                                float[] a, int aOff, int inner, float[] b, int bOff, int m, int c,
                                float[] w, int wOff, float[] g, int gOff) {
        int r0 = tOff + m * ld + c;
        int r1 = r0 + ld;
        int r2 = r1 + ld;
        int r3 = r2 + ld;
        FloatVector c0 = FloatVector.fromArray(S, t, r0).mul(d[dOff + m]);
        FloatVector c1 = FloatVector.fromArray(S, t, r1).mul(d[dOff + m + 1]);
        FloatVector c2 = FloatVector.fromArray(S, t, r2).mul(d[dOff + m + 2]);
        FloatVector c3 = FloatVector.fromArray(S, t, r3).mul(d[dOff + m + 3]);
        int a0 = aOff + m * inner;
        for (int n = 0; n < inner; n++) {
            FloatVector bv = FloatVector.fromArray(S, b, bOff + n * ld + c);
            c0 = FloatVector.broadcast(S, a[a0 + n]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[a0 + inner + n]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[a0 + 2 * inner + n]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[a0 + 3 * inner + n]).fma(bv, c3);
        }
        c0.intoArray(t, r0);
        c1.intoArray(t, r1);
        c2.intoArray(t, r2);
        c3.intoArray(t, r3);
        if (g != null) {
            int gc = gOff + c;
            FloatVector gv = FloatVector.fromArray(S, g, gc);
            gv = FloatVector.broadcast(S, w[wOff + m]).fma(c0, gv);
            gv = FloatVector.broadcast(S, w[wOff + m + 1]).fma(c1, gv);
            gv = FloatVector.broadcast(S, w[wOff + m + 2]).fma(c2, gv);
            gv = FloatVector.broadcast(S, w[wOff + m + 3]).fma(c3, gv);
            gv.intoArray(g, gc);
        }
    }

    /**
     * One row, one vector of columns at {@code c} of {@code t}, reading {@code b} from {@code bOff}
     * with row stride {@code bStride} (the packed panel or the matrix itself): the edges of the tiling.
     */
    private static void gemm1x1(float[] t, int tOff, int ld, float[] d, int dOff,
                                float[] a, int aOff, int inner, float[] b, int bOff, int bStride, int m, int c,
                                float[] w, int wOff, float[] g, int gOff) {
        int at = tOff + m * ld + c;
        int aRow = aOff + m * inner;
        FloatVector acc = FloatVector.fromArray(S, t, at).mul(d[dOff + m]);
        for (int n = 0; n < inner; n++) {
            acc = FloatVector.broadcast(S, a[aRow + n]).fma(FloatVector.fromArray(S, b, bOff + n * bStride), acc);
        }
        acc.intoArray(t, at);
        if (g != null) {
            FloatVector.broadcast(S, w[wOff + m]).fma(acc, FloatVector.fromArray(S, g, gOff + c)).intoArray(g, gOff + c);
        }
    }

    /** Columns of {@code g} that one pass of {@link #accumulateGemvT} keeps in L1: 8 KB. */
    private static final int GEMVT_CHUNK = 2048;

    /**
     * Rows four at a time over a chunk of {@value #GEMVT_CHUNK} columns: {@code t} streams as four
     * sequential runs while the chunk of {@code g} stays in L1. The form before, four vectors of
     * columns in registers while every row passed, read {@code t} a line or two per row with a
     * stride of {@code ld}, which no prefetcher followed: {@code KernelBench} (32 rows) went from
     * 28-31 to 67-69 GB/s in L2 and from 26-29 to 59-62 in L3, and the depth-3 width-128 step, whose
     * deep buffer contracts 128 rows of 32896 floats, 1.13x (Zen 3, 2026-11-29; RESULTS.md section
     * 3). At most four vectors of columns keep the register form, which loads and stores {@code g}
     * once for all rows and was faster on 32 rows of 32 floats in a throw-away harness. Each element
     * of {@code g} adds the rows in ascending order either way.
     */
    @Override
    public void accumulateGemvT(float[] g, int gOff, float[] t, int tOff, int rows, int cols, int ld, float[] w,
                                int wOff) {
        if (cols <= 4 * L) {
            accumulateNarrow(g, gOff, t, tOff, rows, cols, ld, w, wOff);
            return;
        }
        for (int c0 = 0; c0 < cols; c0 += GEMVT_CHUNK) {
            int n = Math.min(GEMVT_CHUNK, cols - c0);
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                accumulateFourRows(g, gOff + c0, t, tOff + r * ld + c0, ld, w, wOff + r, n);
            }
            for (; r < rows; r++) {
                accumulateRow(g, gOff + c0, t, tOff + r * ld + c0, w[wOff + r], n);
            }
        }
    }

    /** Up to four vectors of columns accumulate in registers while the rows stream past. */
    private static void accumulateNarrow(float[] g, int gOff, float[] t, int tOff, int rows, int cols, int ld,
                                         float[] w, int wOff) {
        if (cols == 4 * L) {
            FloatVector g0 = FloatVector.fromArray(S, g, gOff);
            FloatVector g1 = FloatVector.fromArray(S, g, gOff + L);
            FloatVector g2 = FloatVector.fromArray(S, g, gOff + 2 * L);
            FloatVector g3 = FloatVector.fromArray(S, g, gOff + 3 * L);
            for (int r = 0; r < rows; r++) {
                FloatVector wr = FloatVector.broadcast(S, w[wOff + r]);
                int row = tOff + r * ld;
                g0 = wr.fma(FloatVector.fromArray(S, t, row), g0);
                g1 = wr.fma(FloatVector.fromArray(S, t, row + L), g1);
                g2 = wr.fma(FloatVector.fromArray(S, t, row + 2 * L), g2);
                g3 = wr.fma(FloatVector.fromArray(S, t, row + 3 * L), g3);
            }
            g0.intoArray(g, gOff);
            g1.intoArray(g, gOff + L);
            g2.intoArray(g, gOff + 2 * L);
            g3.intoArray(g, gOff + 3 * L);
            return;
        }
        int c = cols - cols % L;
        contractTile(t, tOff, ld, rows, c, w, wOff, g, gOff);
        for (; c < cols; c++) {
            float acc = g[gOff + c];
            for (int r = 0; r < rows; r++) {
                acc = Math.fma(w[wOff + r], t[tOff + r * ld + c], acc);
            }
            g[gOff + c] = acc;
        }
    }

    /** {@code g[0, n) += w_0 t_0 + ... + w_3 t_3}, rows {@code ld} apart from {@code tOff}, in that order. */
    private static void accumulateFourRows(float[] g, int gOff, float[] t, int tOff, int ld, float[] w, int wOff,
                                           int n) {
        float s0 = w[wOff];
        float s1 = w[wOff + 1];
        float s2 = w[wOff + 2];
        float s3 = w[wOff + 3];
        FloatVector w0 = FloatVector.broadcast(S, s0);
        FloatVector w1 = FloatVector.broadcast(S, s1);
        FloatVector w2 = FloatVector.broadcast(S, s2);
        FloatVector w3 = FloatVector.broadcast(S, s3);
        int t1 = tOff + ld;
        int t2 = t1 + ld;
        int t3 = t2 + ld;
        int c = 0;
        for (int bound = S.loopBound(n); c < bound; c += L) {
            FloatVector acc = w0.fma(FloatVector.fromArray(S, t, tOff + c), FloatVector.fromArray(S, g, gOff + c));
            acc = w1.fma(FloatVector.fromArray(S, t, t1 + c), acc);
            acc = w2.fma(FloatVector.fromArray(S, t, t2 + c), acc);
            w3.fma(FloatVector.fromArray(S, t, t3 + c), acc).intoArray(g, gOff + c);
        }
        for (; c < n; c++) {
            float acc = Math.fma(s0, t[tOff + c], g[gOff + c]);
            acc = Math.fma(s1, t[t1 + c], acc);
            acc = Math.fma(s2, t[t2 + c], acc);
            g[gOff + c] = Math.fma(s3, t[t3 + c], acc);
        }
    }

    /** {@code g[0, n) += w t[0, n)}. */
    private static void accumulateRow(float[] g, int gOff, float[] t, int tOff, float w, int n) {
        FloatVector wv = FloatVector.broadcast(S, w);
        int c = 0;
        for (int bound = S.loopBound(n); c < bound; c += L) {
            wv.fma(FloatVector.fromArray(S, t, tOff + c), FloatVector.fromArray(S, g, gOff + c)).intoArray(g, gOff + c);
        }
        for (; c < n; c++) {
            g[gOff + c] = Math.fma(w, t[tOff + c], g[gOff + c]);
        }
    }

    /**
     * Branch-free over blocks of {@code 16 L}: {@code x * 0} is 0 for a finite {@code x} and NaN
     * otherwise, so a block's sum of them is NaN exactly when it holds a non-finite element; only
     * such a block is searched element by element. The per-element loop with its early exit did not
     * vectorise and took a quarter of a step-and-update at depth 1, width 64.
     */
    @Override
    public int firstNonFinite(float[] a, int off, int len) {
        FloatVector zero = FloatVector.zero(S);
        int block = 16 * L;
        int i = 0;
        for (; i + block <= len; i += block) {
            FloatVector s0 = zero;
            FloatVector s1 = zero;
            FloatVector s2 = zero;
            FloatVector s3 = zero;
            for (int j = off + i; j < off + i + block; j += 4 * L) {
                s0 = FloatVector.fromArray(S, a, j).fma(zero, s0);
                s1 = FloatVector.fromArray(S, a, j + L).fma(zero, s1);
                s2 = FloatVector.fromArray(S, a, j + 2 * L).fma(zero, s2);
                s3 = FloatVector.fromArray(S, a, j + 3 * L).fma(zero, s3);
            }
            if (s0.add(s1).add(s2.add(s3)).test(VectorOperators.IS_NAN).anyTrue()) {
                break;
            }
        }
        for (; i < len; i++) {
            if (!Float.isFinite(a[off + i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Four rows at a time, two accumulators each: each vector of {@code x} is loaded once for four
     * rows, and eight independent chains hide the FMA latency; one reduction per row at the end.
     */
    @Override
    public void gemv(float[] w, int wOff, int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        int bound2 = cols - cols % (2 * L);
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int w0 = wOff + r * cols;
            int w1 = w0 + cols;
            int w2 = w1 + cols;
            int w3 = w2 + cols;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector b0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector b1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector b2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            FloatVector b3 = FloatVector.zero(S);
            int c = 0;
            for (; c < bound2; c += 2 * L) {
                FloatVector xa = FloatVector.fromArray(S, x, xOff + c);
                FloatVector xb = FloatVector.fromArray(S, x, xOff + c + L);
                a0 = FloatVector.fromArray(S, w, w0 + c).fma(xa, a0);
                b0 = FloatVector.fromArray(S, w, w0 + c + L).fma(xb, b0);
                a1 = FloatVector.fromArray(S, w, w1 + c).fma(xa, a1);
                b1 = FloatVector.fromArray(S, w, w1 + c + L).fma(xb, b1);
                a2 = FloatVector.fromArray(S, w, w2 + c).fma(xa, a2);
                b2 = FloatVector.fromArray(S, w, w2 + c + L).fma(xb, b2);
                a3 = FloatVector.fromArray(S, w, w3 + c).fma(xa, a3);
                b3 = FloatVector.fromArray(S, w, w3 + c + L).fma(xb, b3);
            }
            if (c + L <= cols) {
                FloatVector xa = FloatVector.fromArray(S, x, xOff + c);
                a0 = FloatVector.fromArray(S, w, w0 + c).fma(xa, a0);
                a1 = FloatVector.fromArray(S, w, w1 + c).fma(xa, a1);
                a2 = FloatVector.fromArray(S, w, w2 + c).fma(xa, a2);
                a3 = FloatVector.fromArray(S, w, w3 + c).fma(xa, a3);
                c += L;
            }
            float s0 = a0.add(b0).reduceLanes(VectorOperators.ADD);
            float s1 = a1.add(b1).reduceLanes(VectorOperators.ADD);
            float s2 = a2.add(b2).reduceLanes(VectorOperators.ADD);
            float s3 = a3.add(b3).reduceLanes(VectorOperators.ADD);
            for (; c < cols; c++) {
                float xc = x[xOff + c];
                s0 = Math.fma(w[w0 + c], xc, s0);
                s1 = Math.fma(w[w1 + c], xc, s1);
                s2 = Math.fma(w[w2 + c], xc, s2);
                s3 = Math.fma(w[w3 + c], xc, s3);
            }
            y[yOff + r] = s0;
            y[yOff + r + 1] = s1;
            y[yOff + r + 2] = s2;
            y[yOff + r + 3] = s3;
        }
        for (; r < rows; r++) {
            int row = wOff + r * cols;
            FloatVector acc0 = FloatVector.zero(S);
            FloatVector acc1 = FloatVector.zero(S);
            int c = 0;
            for (; c < bound2; c += 2 * L) {
                acc0 = FloatVector.fromArray(S, w, row + c).fma(FloatVector.fromArray(S, x, xOff + c), acc0);
                acc1 = FloatVector.fromArray(S, w, row + c + L).fma(FloatVector.fromArray(S, x, xOff + c + L), acc1);
            }
            if (c + L <= cols) {
                acc0 = FloatVector.fromArray(S, w, row + c).fma(FloatVector.fromArray(S, x, xOff + c), acc0);
                c += L;
            }
            float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
            for (; c < cols; c++) {
                sum = Math.fma(w[row + c], x[xOff + c], sum);
            }
            y[yOff + r] = sum;
        }
    }
}
