package org.deepeprop.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The product kernel of {@link VectorTraceOps}, {@code t = diag(d) t + a b} over a block of trace
 * rows and, given {@code g}, the contraction {@code g += t^T w}: the deep traces' updates and
 * flushes. A register-blocked GEMM with its own tiles, packing and loop orders, kept apart from
 * the streaming kernels.
 *
 * <p>Register-blocked: four rows of {@code t} times four vectors of columns stay in sixteen
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
final class VectorProduct {
    private static final VectorSpecies<Float> S = VectorConstants.SPECIES;
    private static final int L = S.length();

    private VectorProduct() {
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
     * {@link TraceOps#packFloats}: here {@code inner} times four vectors, and below 512 bits at least
     * {@link TraceOps#PACK_ALL_FLOATS} (32 KB): a product whose panels of {@code b} all fit the scratch
     * packs them all and runs row blocks outermost ({@link #gemmRowBlocks}).
     */
    static int packFloats(int inner) {
        return SIX_ROW_TILES ? Math.max(inner * PANEL, TraceOps.PACK_ALL_FLOATS) : inner * PANEL;
    }

    /**
     * {@link TraceOps#packFloats(int, int)}: below 512 bits, room for every panel of a product of
     * {@code cols} columns if that is at most {@link TraceOps#PACK_ALL_MAX_FLOATS}. For the deferred
     * flushes' products at depth 2 width 256 ({@code 256 x 32 x 513}, 64 KB of panels) that made the
     * step 1.04-1.05x faster than panels outermost (RESULTS.md, section 3).
     */
    static int packFloats(int inner, int cols) {
        long all = (long) inner * (cols - cols % PANEL);
        return SIX_ROW_TILES && all <= TraceOps.PACK_ALL_MAX_FLOATS ? Math.max(packFloats(inner), (int) all)
                : packFloats(inner);
    }

    /** Floats of {@code t} in one chunk of rows of {@link #gemm} (128 KB, to stay in L2). */
    private static final int CHUNK_FLOATS = 32 * 1024;

    /**
     * The product, and with {@code g != null} its contraction (inside the 4 x 4 tile while it is in
     * registers; below 512 bits over each stored tile, {@link #contractTile}), in chunks of rows when
     * rows are short: with every row in one pass each column panel walked the whole of {@code t} (the
     * deferred deep update's is 16384 rows of 257 floats at width 128, 16.8 MB), touching one or two
     * lines per row, so {@code t} came from memory in scattered lines; a chunk of
     * {@value #CHUNK_FLOATS} floats stays in L2 while its panels pass. Long rows (the undeferred product's,
     * 8256-32896 floats) keep one chunk, where a chunk would repack each panel of {@code b} once more
     * per chunk. A row's operations are the same either way, and chunks run in ascending order, so
     * {@code g} still adds rows in ascending order. Below 512 bits a product whose panels all fit the
     * scratch takes {@link #gemmRowBlocks} instead, which streams {@code t} without chunks (the
     * deferred deep update at width 128 is one).
     */
    static void gemm(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
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
        if (SIX_ROW_TILES && rows >= 6 && panelCols > 0 && (long) inner * panelCols <= pack.length) {
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

    /**
     * Copies {@code inner} rows of one panel of {@code b}, {@code ld} apart from {@code src}, to
     * {@code pack} contiguously from {@code dst}.
     */
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
     * {@code g[gOff + v] += sum_k w[wOff + k] t[tOff + k ld + v]} for {@code k < rows} over exactly
     * four vectors of columns: {@link #contractTile}'s sum in four chains, rows in ascending order
     * per element.
     */
    static void contractFour(float[] g, int gOff, float[] t, int tOff, int rows, int ld, float[] w, int wOff) {
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
    }

    /**
     * The contraction of a tile that has just been stored, read back from L1: {@code g[gc + v] +=
     * sum_k w[wOff + k] t[r0 + k ld + v]} for {@code k < rows}, {@code v < floats} (whole vectors),
     * rows in ascending order per element, as the scalar contraction adds them. With the
     * contraction inside {@link #gemm6x2}, its operands, live across the inner loop, left too few
     * registers and C2 spilled two accumulators to the stack inside it, which halved the tile's rate
     * (Zen 3, 2026-11-29; RESULTS.md, section 3).
     */
    static void contractTile(float[] t, int r0, int ld, int rows, int floats,
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

    /**
     * One row by the four vectors of the packed panel at {@code pOff}: four chains, half the pipes'
     * rate. The row, once decayed, accumulates the panel's rows as a contraction does
     * ({@link #contractFour}).
     */
    private static void gemm1x4(float[] t, int tOff, int ld, float[] d, int dOff,
                                float[] a, int aOff, int inner, float[] p, int pOff, int m, int c) {
        int r0 = tOff + m * ld + c;
        for (int v = 0; v < PANEL; v += L) {
            FloatVector.fromArray(S, t, r0 + v).mul(d[dOff + m]).intoArray(t, r0 + v);
        }
        contractFour(t, r0, p, pOff, inner, PANEL, a, aOff + m * inner);
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
}
