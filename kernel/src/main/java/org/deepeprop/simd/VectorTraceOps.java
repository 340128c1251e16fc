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

    /**
     * {@link ScalarTraceOps#adaptiveRow} with the same operations in the same order, two vectors per
     * trip as {@link #decayAxpy} takes four: 1.02-1.07x at ALIF depth 1, where this pass is most of
     * the step (RESULTS.md, section 3). The one-vector loop repeats the two-vector body on purpose:
     * one helper called by both ran ALIF depth 1 width 128 0.955-0.963x as fast.
     */
    @Override
    public void adaptiveRows(float[] t, int eOff, int aOff, float[] h, int rows, int cols, float[] alpha, float[] k,
                             float[] x, float[] rho, float[] q, float[] psi, float[] psiA) {
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int e0 = eOff + r * cols;
            int a0 = aOff + r * cols;
            int h0 = r * cols;
            FloatVector alphaV = FloatVector.broadcast(S, alpha[r]);
            FloatVector kV = FloatVector.broadcast(S, k[r]);
            FloatVector rhoV = FloatVector.broadcast(S, rho[r]);
            FloatVector qV = FloatVector.broadcast(S, q[r]);
            FloatVector psiV = FloatVector.broadcast(S, psi[r]);
            FloatVector psiAV = FloatVector.broadcast(S, psiA[r]);
            int i = 0;
            for (int bound2 = cols - 2 * L; i <= bound2; i += 2 * L) {
                FloatVector e = FloatVector.fromArray(S, t, e0 + i);
                FloatVector f = FloatVector.fromArray(S, t, e0 + i + L);
                FloatVector a = FloatVector.fromArray(S, t, a0 + i).fma(rhoV, e.mul(qV));
                FloatVector b = FloatVector.fromArray(S, t, a0 + i + L).fma(rhoV, f.mul(qV));
                e = e.fma(alphaV, FloatVector.fromArray(S, x, i).mul(kV));
                f = f.fma(alphaV, FloatVector.fromArray(S, x, i + L).mul(kV));
                a.intoArray(t, a0 + i);
                b.intoArray(t, a0 + i + L);
                e.intoArray(t, e0 + i);
                f.intoArray(t, e0 + i + L);
                a.fma(psiAV, e.mul(psiV)).intoArray(h, h0 + i);
                b.fma(psiAV, f.mul(psiV)).intoArray(h, h0 + i + L);
            }
            for (; i < bound; i += L) {
                FloatVector e = FloatVector.fromArray(S, t, e0 + i);
                FloatVector a = FloatVector.fromArray(S, t, a0 + i).fma(rhoV, e.mul(qV));
                e = e.fma(alphaV, FloatVector.fromArray(S, x, i).mul(kV));
                a.intoArray(t, a0 + i);
                e.intoArray(t, e0 + i);
                a.fma(psiAV, e.mul(psiV)).intoArray(h, h0 + i);
            }
            ScalarTraceOps.adaptiveRow(t, e0 + i, a0 + i, h, h0 + i, cols - i, alpha[r], k[r], x, i, rho[r], q[r],
                    psi[r], psiA[r]);
        }
    }

    /**
     * C2 does not vectorise the scalar loop (three arrays at different offsets, which may alias);
     * this made steps with carry coefficients (depth 2 and up) 1.00-1.04x faster (RESULTS.md,
     * section 3).
     */
    @Override
    public void mulScaled(float[] z, int zOff, float s, float[] x, int xOff, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(s).mul(FloatVector.fromArray(S, y, yOff + i))
                    .intoArray(z, zOff + i);
        }
        ScalarTraceOps.INSTANCE.mulScaled(z, zOff + i, s, x, xOff + i, y, yOff + i, len - i);
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

    /** {@inheritDoc} Here {@link VectorProduct#packFloats}. */
    @Override
    public int packFloats(int inner) {
        return VectorProduct.packFloats(inner);
    }

    /** {@inheritDoc} Here {@link VectorProduct#packFloats(int, int)}. */
    @Override
    public int packFloats(int inner, int cols) {
        return VectorProduct.packFloats(inner, cols);
    }

    /** {@inheritDoc} Register-blocked, with packed panels of {@code b}: {@link VectorProduct}. */
    @Override
    public void decayGemm(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
                          float[] a, int aOff, int inner, float[] b, int bOff, float[] pack) {
        VectorProduct.gemm(t, tOff, rows, cols, ld, d, dOff, a, aOff, inner, b, bOff, pack, null, 0, null, 0);
    }

    @Override
    public void decayGemmContract(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
                                  float[] a, int aOff, int inner, float[] b, int bOff, float[] pack,
                                  float[] w, int wOff, float[] g, int gOff) {
        VectorProduct.gemm(t, tOff, rows, cols, ld, d, dOff, a, aOff, inner, b, bOff, pack, w, wOff, g, gOff);
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
            VectorProduct.contractFour(g, gOff, t, tOff, rows, ld, w, wOff);
            return;
        }
        int c = cols - cols % L;
        VectorProduct.contractTile(t, tOff, ld, rows, c, w, wOff, g, gOff);
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
     * A vector of lower neurons at a time, where {@code DeepBuffer} had run a scalar chain per
     * neuron, four interleaved: the depth-3 steps 1.025-1.066x faster (Zen 3; RESULTS.md, section 3).
     */
    @Override
    public void recurPair(float[] v, float[] u, float[] d, int off, int len, float p, float q, float[] x, int xOff,
                          float[] s, int sOff, float[] y, int yOff, float[] z, int zOff) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            int e = off + i;
            FloatVector xi = FloatVector.fromArray(S, x, xOff + i);
            FloatVector di = FloatVector.fromArray(S, d, e);
            FloatVector vi = di.fma(FloatVector.fromArray(S, v, e), xi.mul(p));
            FloatVector ui = di.fma(FloatVector.fromArray(S, u, e), xi.mul(q));
            vi.intoArray(v, e);
            ui.intoArray(u, e);
            FloatVector si = FloatVector.fromArray(S, s, sOff + i);
            si.mul(vi).intoArray(y, yOff + i);
            si.fma(ui, FloatVector.fromArray(S, z, zOff + i)).intoArray(z, zOff + i);
        }
        ScalarTraceOps.INSTANCE.recurPair(v, u, d, off + i, len - i, p, q, x, xOff + i, s, sOff + i, y, yOff + i,
                z, zOff + i);
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
