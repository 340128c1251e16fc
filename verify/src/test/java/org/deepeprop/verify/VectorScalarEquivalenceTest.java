package org.deepeprop.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.deepeprop.simd.TraceOps;
import org.deepeprop.simd.TraceOpsProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every vector kernel against its scalar twin on random data, on sizes around the lane count,
 * primes and 4098. Read-modify-write outputs sit between NaN guard zones (an out-of-range write
 * shows up there); pure outputs are poisoned with NaN before the call (an unwritten element shows
 * up as NaN). Kernels that keep the scalar order of operations must agree bit for bit.
 */
class VectorScalarEquivalenceTest {
    private static final int GUARD = 19;
    private static TraceOps scalar;
    private static TraceOps vector;

    @BeforeAll
    static void kernels() {
        scalar = TraceOpsProvider.scalar();
        vector = TraceOpsProvider.vector().orElse(null);
    }

    static IntStream sizes() {
        int lanes = TraceOpsProvider.vector().map(TraceOps::lanes).orElse(16);
        return IntStream.of(0, 1, 2, lanes - 1, lanes, lanes + 1, 2 * lanes - 1, 2 * lanes + 1, 4 * lanes, 4 * lanes + 3,
                7, 31, 107, 259, 1021, 4098).distinct().filter(n -> n >= 0);
    }

    static IntStream smallSizes() {
        int lanes = TraceOpsProvider.vector().map(TraceOps::lanes).orElse(16);
        return IntStream.of(0, 1, 3, lanes - 1, lanes + 1, 2 * lanes + 1, 37).distinct();
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void decayAxpy(int len) {
        requireVector();
        SplittableRandom rng = new SplittableRandom(len);
        float[] x = random(rng, len + 5);
        float[] ys = guarded(rng, len);
        float[] yv = ys.clone();
        float d = (float) rng.nextDouble(0.1, 0.99);
        float k = (float) rng.nextDouble(-2, 2);
        scalar.decayAxpy(ys, GUARD, d, k, x, 5, len);
        vector.decayAxpy(yv, GUARD, d, k, x, 5, len);
        assertGuarded(ys, len);
        assertBitEqual(ys, yv);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void decayRowsRankOneAndStrided(int cols) {
        requireVector();
        SplittableRandom rng = new SplittableRandom(31L * cols);
        // The vector path takes rank-1 rows eight at a time: 3, 8 and 19 rows are none, one group,
        // and two groups with a remainder.
        for (int rows : new int[] {3, 8, 19}) {
            float[] d = random(rng, rows + 1);
            float[] k = random(rng, rows + 2);
            for (int stride : new int[] {0, cols}) {
                float[] x = random(rng, 2 + rows * cols + 1);
                float[] ts = guarded(rng, rows * cols);
                float[] tv = ts.clone();
                scalar.decayRows(ts, GUARD, rows, cols, d, 1, k, 2, x, 2, stride);
                vector.decayRows(tv, GUARD, rows, cols, d, 1, k, 2, x, 2, stride);
                assertGuarded(ts, rows * cols);
                assertBitEqual(ts, tv);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("smallSizes")
    void decayBlockRows(int cols) {
        requireVector();
        SplittableRandom rng = new SplittableRandom(7L * cols + 1);
        int rows = 5;
        // The vector path takes blocks eight at a time: 3, 8 and 19 blocks are none, one group, and
        // two groups with a remainder. A block stride above rows updates rows j0 .. j0 + rows - 1 of
        // each block, with the offsets into t and k the step passes (a step thread's share).
        for (int blocks : new int[] {3, 8, 19}) {
            float[] d = random(rng, blocks + 1);
            for (int blockStride : new int[] {rows, rows + 2}) {
                float[] k = random(rng, blocks * blockStride);
                for (int j0 = 0; j0 + rows <= blockStride; j0 += 2) {
                    for (int stride : new int[] {0, cols}) {
                        float[] x = random(rng, rows * cols + 1);
                        float[] before = guarded(rng, blocks * blockStride * cols);
                        float[] ts = before.clone();
                        float[] tv = before.clone();
                        int tOff = GUARD + j0 * cols;
                        scalar.decayBlockRows(ts, tOff, blocks, rows, blockStride, cols, d, 1, k, j0, x, 1, stride);
                        vector.decayBlockRows(tv, tOff, blocks, rows, blockStride, cols, d, 1, k, j0, x, 1, stride);
                        assertGuarded(ts, blocks * blockStride * cols);
                        assertBitEqual(ts, tv);
                        for (int b = 0; b < blocks; b++) {
                            int start = GUARD + b * blockStride * cols;
                            int from = start + (j0 + rows) * cols;
                            int to = start + blockStride * cols;
                            assertArrayEquals(Arrays.copyOfRange(before, start, start + j0 * cols),
                                    Arrays.copyOfRange(ts, start, start + j0 * cols), "rows before the range untouched");
                            assertArrayEquals(Arrays.copyOfRange(before, from, to), Arrays.copyOfRange(ts, from, to),
                                    "rows after the range untouched");
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void decayGemm(int cols) {
        requireVector();
        SplittableRandom rng = new SplittableRandom(11L * cols + 3);
        for (int rows : new int[] {0, 1, 3, 4, 5, 9, 10, 13}) {
            for (int inner : new int[] {0, 1, 6, 17}) {
                if ((long) rows * cols > 40_000 || (long) inner * cols > 80_000) {
                    continue;
                }
                // A row stride above cols updates a column range of wider matrices.
                for (int ld : new int[] {cols, cols + 3}) {
                    float[] d = random(rng, rows + 2);
                    float[] a = random(rng, rows * inner + 3);
                    float[] b = random(rng, inner * ld + 4);
                    float[] before = guarded(rng, rows * ld);
                    float[] ts = before.clone();
                    float[] tv = before.clone();
                    scalar.decayGemm(ts, GUARD, rows, cols, ld, d, 2, a, 3, inner, b, 4, null);
                    vector.decayGemm(tv, GUARD, rows, cols, ld, d, 2, a, 3, inner, b, 4, stalePack(inner));
                    assertGuarded(ts, rows * ld);
                    assertBitEqual(ts, tv);
                    for (int m = 0; m < rows; m++) {
                        int from = GUARD + m * ld + cols;
                        int to = GUARD + (m + 1) * ld;
                        assertArrayEquals(Arrays.copyOfRange(before, from, to), Arrays.copyOfRange(ts, from, to),
                                "columns outside the range untouched");
                    }
                }
            }
        }
    }

    /** Scratch for the vector product, full of NaN: a result that read it before writing it fails. */
    private float[] stalePack(int inner) {
        float[] pack = new float[vector.packFloats(inner)];
        Arrays.fill(pack, Float.NaN);
        return pack;
    }

    /**
     * Tall products of short rows, which the vector product takes in chunks of rows (32K floats of
     * {@code t} each) when its panels of {@code b} are too many to pack at once, and below 512 bits
     * in row blocks over all panels packed when they fit (8192 floats): 101 rows of 650 floats are
     * chunks of 48, 48 and 5 rows at inner dimension 20, row blocks at 7. The contraction must still
     * add every row in ascending order.
     */
    @ParameterizedTest
    @ValueSource(ints = {7, 20})
    void productInRowChunks(int inner) {
        requireVector();
        SplittableRandom rng = new SplittableRandom(29 + inner);
        int rows = 101;
        for (int cols : new int[] {650, 2 * 650 / 3}) {
            float[] d = random(rng, rows);
            float[] a = random(rng, rows * inner);
            float[] w = random(rng, rows);
            float[] b = random(rng, inner * cols);
            assertProductContractAgrees(rng, rows, cols, cols, d, a, inner, b, w);
        }
    }

    /**
     * A product whose panels fit only a scratch of {@code packFloats(inner, cols)} floats (the deferred
     * flushes' shape: 32 steps by rows of 513 floats, 64 KB of panels), which below 512 bits runs row
     * blocks over all of them; {@code t} rows of 520 floats, so a column range.
     */
    @Test
    void productWithScratchForEveryPanel() {
        requireVector();
        SplittableRandom rng = new SplittableRandom(41);
        int rows = 37;
        int inner = 32;
        int cols = 513;
        int ld = 520;
        float[] pack = new float[vector.packFloats(inner, cols)];
        Arrays.fill(pack, Float.NaN);
        float[] d = random(rng, rows);
        float[] a = random(rng, rows * inner);
        float[] b = random(rng, inner * ld);
        float[] before = guarded(rng, rows * ld);
        float[] ts = before.clone();
        float[] tv = before.clone();
        scalar.decayGemm(ts, GUARD, rows, cols, ld, d, 0, a, 0, inner, b, 0, null);
        vector.decayGemm(tv, GUARD, rows, cols, ld, d, 0, a, 0, inner, b, 0, pack);
        assertGuarded(ts, rows * ld);
        assertBitEqual(ts, tv);
    }

    /** {@code NetworkConfig} counts product scratch by the bound, before it knows the machine. */
    @Test
    void productScratchStaysWithinItsBound() {
        requireVector();
        for (int inner : new int[] {0, 1, 7, 32, 129, 1000}) {
            assertTrue(vector.packFloats(inner) <= TraceOps.packFloatsBound(inner), "inner " + inner);
            assertTrue(scalar.packFloats(inner) <= TraceOps.packFloatsBound(inner), "inner " + inner);
            for (int cols : new int[] {1, 257, 513, 1025, 100_000}) {
                String shape = "inner " + inner + ", cols " + cols;
                assertTrue(vector.packFloats(inner, cols) >= vector.packFloats(inner), shape);
                assertTrue(vector.packFloats(inner, cols) <= TraceOps.packFloatsBound(inner, cols), shape);
                assertTrue(scalar.packFloats(inner, cols) <= TraceOps.packFloatsBound(inner, cols), shape);
            }
        }
    }

    @Test
    void productRefusesShortScratch() {
        requireVector();
        int cols = 4 * vector.lanes();
        float[] t = new float[2 * cols];
        float[] b = new float[3 * cols];
        float[] one = {1f, 1f, 1f, 1f, 1f, 1f};
        float[] shortPack = new float[vector.packFloats(3) - 1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vector.decayGemm(t, 0, 2, cols, cols, one, 0, one, 0, 3, b, 0, shortPack));
        assertTrue(e.getMessage().startsWith("pack: " + shortPack.length + " floats"), e.getMessage());
        assertTrue(e.getMessage().contains("packFloats(3) = " + vector.packFloats(3)), e.getMessage());
        assertEquals(0f, t[0], "nothing written before the refusal");
        assertThrows(IllegalArgumentException.class,
                () -> vector.decayGemm(t, 0, 2, cols, cols, one, 0, one, 0, 3, b, 0, null));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void fusedContractions(int cols) {
        requireVector();
        SplittableRandom rng = new SplittableRandom(19L * cols + 11);
        int rows = 6;
        int blocks = 5;
        int inner = 7;
        float[] d = random(rng, blocks + rows);
        float[] k = random(rng, blocks * rows);
        float[] w = random(rng, blocks + rows + 1);
        float[] x = random(rng, rows * cols + 1);

        // Rows eight at a time on the vector path (6, 8, 19 rows: none, one group, two and a
        // remainder), rows further apart than their length (a thread's column range of ALIF
        // adaptation rows), own source rows or one shared row.
        float[] ts;
        float[] tv;
        float[] gs;
        float[] gv;
        for (int rowCount : new int[] {rows, 8, 19}) {
            float[] dr = random(rng, rowCount + 1);
            float[] kr = random(rng, rowCount + 2);
            float[] wr = random(rng, rowCount + 1);
            float[] xr = random(rng, rowCount * cols + 1);
            for (int ld : new int[] {cols, cols + 3}) {
                for (int stride : new int[] {0, cols}) {
                    ts = guarded(rng, rowCount * ld);
                    tv = ts.clone();
                    gs = guarded(rng, cols);
                    gv = gs.clone();
                    scalar.decayRowsContract(ts, GUARD, rowCount, cols, ld, dr, 1, kr, 2, xr, 1, stride, wr, 1, gs, GUARD);
                    vector.decayRowsContract(tv, GUARD, rowCount, cols, ld, dr, 1, kr, 2, xr, 1, stride, wr, 1, gv, GUARD);
                    assertGuarded(ts, rowCount * ld);
                    assertGuarded(gs, cols);
                    assertBitEqual(ts, tv);
                    assertBitEqual(gs, gv);
                }
            }
        }

        // Strides above the counts are the step threads' shares: rows j0 .. j0 + rows - 1 of each
        // block (offsets into t and k as the step passes them), a range of each row's columns. The
        // vector path takes blocks eight at a time: 5, 8 and 19 blocks are none, one group, and two
        // groups with a remainder. Source stride 0 is a factorised lower layer.
        for (int blockCount : new int[] {blocks, 8, 19}) {
            float[] db = random(rng, blockCount + 1);
            float[] wb = random(rng, blockCount + 1);
            for (int blockStride : new int[] {rows, rows + 2}) {
                for (int j0 = 0; j0 + rows <= blockStride; j0 += 2) {
                    for (int stride : new int[] {0, cols}) {
                        float[] kb = random(rng, blockCount * blockStride);
                        ts = guarded(rng, blockCount * blockStride * cols);
                        tv = ts.clone();
                        gs = guarded(rng, rows * cols);
                        gv = gs.clone();
                        int tOff = GUARD + j0 * cols;
                        scalar.decayBlockRowsContract(ts, tOff, blockCount, rows, blockStride, cols, db, 1, kb, j0, x, 0,
                                stride, wb, 1, gs, GUARD);
                        vector.decayBlockRowsContract(tv, tOff, blockCount, rows, blockStride, cols, db, 1, kb, j0, x, 0,
                                stride, wb, 1, gv, GUARD);
                        assertGuarded(ts, blockCount * blockStride * cols);
                        assertGuarded(gs, rows * cols);
                        assertBitEqual(ts, tv);
                        assertBitEqual(gs, gv);
                    }
                }
            }
        }

        // The product's row tiles: 4 rows, 6 rows below 512 bits, and every remainder of either.
        float[] dm = random(rng, 13);
        float[] am = random(rng, 13 * inner);
        float[] wm = random(rng, 13);
        for (int ld : new int[] {cols, cols + 3}) {
            float[] bl = random(rng, inner * ld);
            for (int m : new int[] {1, 2, 3, 4, 5, 6, 8, 10, 13}) {
                assertProductContractAgrees(rng, m, cols, ld, dm, am, inner, bl, wm);
            }
        }
    }

    /** {@code decayGemmContract} on both paths, from the same random {@code t} and {@code g}. */
    private void assertProductContractAgrees(SplittableRandom rng, int rows, int cols, int ld, float[] d, float[] a,
                                             int inner, float[] b, float[] w) {
        float[] ts = guarded(rng, rows * ld);
        float[] tv = ts.clone();
        float[] gs = guarded(rng, cols);
        float[] gv = gs.clone();
        scalar.decayGemmContract(ts, GUARD, rows, cols, ld, d, 0, a, 0, inner, b, 0, null, w, 0, gs, GUARD);
        vector.decayGemmContract(tv, GUARD, rows, cols, ld, d, 0, a, 0, inner, b, 0, stalePack(inner), w, 0, gv, GUARD);
        assertGuarded(ts, rows * ld);
        assertGuarded(gs, cols);
        assertBitEqual(ts, tv);
        assertBitEqual(gs, gv);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void accumulateGemvT(int cols) {
        requireVector();
        SplittableRandom rng = new SplittableRandom(13L * cols + 5);
        for (int rows : new int[] {0, 1, 2, 7, 33}) {
            // Contiguous rows, and a column range of rows ld = cols + 5 apart.
            for (int ld : new int[] {cols, cols + 5}) {
                float[] t = random(rng, rows * ld + 6);
                float[] w = random(rng, rows + 1);
                float[] gs = guarded(rng, cols);
                float[] gv = gs.clone();
                scalar.accumulateGemvT(gs, GUARD, t, 6, rows, cols, ld, w, 1);
                vector.accumulateGemvT(gv, GUARD, t, 6, rows, cols, ld, w, 1);
                assertGuarded(gs, cols);
                assertBitEqual(gs, gv);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void gemv(int cols) {
        requireVector();
        SplittableRandom rng = new SplittableRandom(17L * cols + 7);
        for (int rows : new int[] {0, 1, 5, 13, 16}) {
            float[] w = random(rng, rows * cols + 2);
            float[] x = random(rng, cols + 1);
            float[] ys = new float[rows + 2];
            float[] yv = new float[rows + 2];
            Arrays.fill(ys, Float.NaN);
            Arrays.fill(yv, Float.NaN);
            scalar.gemv(w, 2, rows, cols, x, 1, ys, 1);
            vector.gemv(w, 2, rows, cols, x, 1, yv, 1);
            assertTrue(Float.isNaN(yv[0]) && Float.isNaN(yv[rows + 1]), "gemv wrote outside its rows");
            for (int r = 0; r < rows; r++) {
                double magnitude = 0;
                for (int c = 0; c < cols; c++) {
                    magnitude += Math.abs(w[2 + r * cols + c] * x[1 + c]);
                }
                // A reassociated float sum differs by at most about len * eps * sum |terms|.
                double tol = 2 * Math.ulp(1f) * Math.max(cols, 1) * magnitude + Float.MIN_NORMAL;
                assertEquals(ys[1 + r], yv[1 + r], tol, "row " + r + " of " + rows + ", cols " + cols);
            }
        }
    }

    /**
     * Finite data with the float range's edges, then one to three non-finite values (NaN, either
     * infinity) at random places: both paths name the same first index, and neither looks at the
     * NaNs just outside its range.
     */
    @ParameterizedTest
    @MethodSource("sizes")
    void firstNonFinite(int len) {
        requireVector();
        SplittableRandom rng = new SplittableRandom(31L * len + 3);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] edges = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f, 0f};
        for (int trial = 0; trial < 20; trial++) {
            float[] a = random(rng, len + 6);
            for (int i = 0; i < len / 7; i++) {
                a[3 + rng.nextInt(len)] = edges[rng.nextInt(edges.length)];
            }
            a[2] = Float.NaN;
            a[len + 3] = Float.NaN;
            int expected = -1;
            if (trial > 0 && len > 0) {
                for (int k = 1 + rng.nextInt(3); k > 0; k--) {
                    int at = rng.nextInt(len);
                    a[3 + at] = bad[rng.nextInt(bad.length)];
                    expected = expected < 0 ? at : Math.min(expected, at);
                }
            }
            assertEquals(expected, scalar.firstNonFinite(a, 3, len), "scalar, trial " + trial);
            assertEquals(expected, vector.firstNonFinite(a, 3, len), "vector, trial " + trial + ", len " + len);
        }
    }

    /** The two trace components side by side in one guarded array, as the engine keeps them. */
    @ParameterizedTest
    @MethodSource("sizes")
    void adaptiveRows(int cols) {
        requireVector();
        SplittableRandom rng = new SplittableRandom(13L * cols + 5);
        for (int rows : new int[] {1, 3}) {
            int n = rows * cols;
            float[] alpha = random(rng, rows);
            float[] k = random(rng, rows);
            float[] rho = random(rng, rows);
            float[] q = random(rng, rows);
            float[] psi = random(rng, rows);
            float[] psiA = random(rng, rows);
            float[] x = random(rng, cols);
            float[] ts = guarded(rng, 2 * n);
            float[] tv = ts.clone();
            float[] before = ts.clone();
            float[] hs = new float[n + GUARD];
            Arrays.fill(hs, Float.NaN);
            float[] hv = hs.clone();
            scalar.adaptiveRows(ts, GUARD, GUARD + n, hs, rows, cols, alpha, k, x, rho, q, psi, psiA);
            vector.adaptiveRows(tv, GUARD, GUARD + n, hv, rows, cols, alpha, k, x, rho, q, psi, psiA);
            assertGuarded(ts, 2 * n);
            for (int i = 0; i < GUARD; i++) {
                assertTrue(Float.isNaN(hv[n + i]), "write beyond the sensitivity rows");
            }
            assertBitEqual(ts, tv);
            assertBitEqual(hs, hv);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    float e = before[GUARD + i];
                    float a = Math.fma(rho[r], before[GUARD + n + i], q[r] * e);
                    e = Math.fma(alpha[r], e, k[r] * x[c]);
                    assertEquals(a, tv[GUARD + n + i], 0f, "adaptation row " + r + " column " + c);
                    assertEquals(e, tv[GUARD + i], 0f, "membrane row " + r + " column " + c);
                    assertEquals(Math.fma(psiA[r], a, psi[r] * e), hv[i], 0f, "sensitivity row " + r + " column " + c);
                }
            }
        }
    }

    /** Each operand at its own offset, as the engine's rows of {@code W} and the carry are. */
    @ParameterizedTest
    @MethodSource("sizes")
    void mulScaled(int len) {
        requireVector();
        SplittableRandom rng = new SplittableRandom(11L * len + 3);
        float[] x = random(rng, len + 7);
        float[] y = random(rng, len + 2);
        float s = (float) rng.nextDouble(-3, 3);
        float[] zs = new float[GUARD + len + GUARD];
        Arrays.fill(zs, Float.NaN);
        float[] zv = zs.clone();
        scalar.mulScaled(zs, GUARD, s, x, 7, y, 2, len);
        vector.mulScaled(zv, GUARD, s, x, 7, y, 2, len);
        assertGuarded(zs, len);
        assertBitEqual(zs, zv);
        for (int i = 0; i < len; i++) {
            assertEquals(Float.floatToIntBits(s * x[7 + i] * y[2 + i]), Float.floatToIntBits(zv[GUARD + i]),
                    "element " + i);
        }
    }

    /** Inputs across tanh's regimes: the linear range below 4e-4, the curve, and the clamp beyond 9; also in place. */
    @ParameterizedTest
    @MethodSource("sizes")
    void tanh(int len) {
        requireVector();
        SplittableRandom rng = new SplittableRandom(7L * len + 1);
        float[] scales = {1e-5f, 3e-4f, 1e-2f, 1f, 4f, 12f};
        float[] x = random(rng, len + 3);
        for (int i = 0; i < x.length; i++) {
            x[i] *= scales[rng.nextInt(scales.length)];
        }
        float[] ys = guarded(rng, len);
        float[] yv = ys.clone();
        scalar.tanh(x, 3, ys, GUARD, len);
        vector.tanh(x, 3, yv, GUARD, len);
        assertGuarded(ys, len);
        assertBitEqual(ys, yv);
        float[] inPlace = Arrays.copyOf(x, x.length);
        vector.tanh(inPlace, 3, inPlace, 3, len);
        for (int i = 0; i < len; i++) {
            assertEquals(Float.floatToIntBits(ys[GUARD + i]), Float.floatToIntBits(inPlace[3 + i]), "in place, element " + i);
        }
    }

    /**
     * Two steps in a row, so that the second reads the state the first wrote, each writing its own
     * row of {@code y} and {@code z}, as the deep buffer's steps do; every slice at its own offset
     * (a kernel that used one slice's offset for another shows up). The state {@code v}, {@code u}
     * and the accumulated {@code z} between guard zones, {@code y} poisoned.
     */
    @ParameterizedTest
    @MethodSource("sizes")
    void recurPair(int len) {
        requireVector();
        SplittableRandom rng = new SplittableRandom(13L * len + 5);
        int off = GUARD + 5;
        float[] d = random(rng, off + len);
        float[] x = random(rng, 2 * len + 4);
        float[] sRows = random(rng, 2 * len + 1);
        float[] vs = guarded(rng, len + 5);
        float[] us = guarded(rng, len + 5);
        float[] zs = guarded(rng, 2 * len + 2);
        float[] ys = new float[GUARD + 2 * len + GUARD];
        Arrays.fill(ys, Float.NaN);
        float[] vv = vs.clone();
        float[] uv = us.clone();
        float[] zv = zs.clone();
        float[] yv = ys.clone();
        for (int step = 0; step < 2; step++) {
            float p = (float) rng.nextDouble(-2, 2);
            float q = (float) rng.nextDouble(-2, 2);
            int xOff = 4 + step * len;
            int sOff = 1 + step * len;
            int yOff = GUARD + step * len;
            int zOff = GUARD + 2 + step * len;
            scalar.recurPair(vs, us, d, off, len, p, q, x, xOff, sRows, sOff, ys, yOff, zs, zOff);
            vector.recurPair(vv, uv, d, off, len, p, q, x, xOff, sRows, sOff, yv, yOff, zv, zOff);
        }
        assertGuarded(vs, len + 5);
        assertGuarded(us, len + 5);
        assertGuarded(ys, 2 * len);
        assertGuarded(zs, 2 * len + 2);
        for (float[][] pair : new float[][][] {{vs, vv}, {us, uv}, {ys, yv}, {zs, zv}}) {
            assertBitEqual(pair[0], pair[1]);
        }
    }

    private static void requireVector() {
        assumeTrue(vector != null, "vector path unavailable: " + TraceOpsProvider.vectorUnavailableReason());
    }

    /** Values with both signs and a spread of magnitudes, never zero. */
    static float[] random(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            float mag = (float) Math.exp(rng.nextDouble(-3, 1));
            v[i] = rng.nextBoolean() ? mag : -mag;
        }
        return v;
    }

    private static float[] guarded(SplittableRandom rng, int len) {
        float[] v = new float[GUARD + len + GUARD];
        Arrays.fill(v, Float.NaN);
        System.arraycopy(random(rng, len), 0, v, GUARD, len);
        return v;
    }

    private static void assertGuarded(float[] v, int len) {
        for (int i = 0; i < GUARD; i++) {
            assertTrue(Float.isNaN(v[i]) && Float.isNaN(v[GUARD + len + i]), "write outside the slice");
        }
        for (int i = GUARD; i < GUARD + len; i++) {
            assertTrue(Float.isFinite(v[i]), "element " + (i - GUARD) + " not finite");
        }
    }

    private static void assertBitEqual(float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError("element " + (i - GUARD) + ": scalar " + expected[i] + ", vector " + actual[i]
                        + " (" + vector.name() + ")");
            }
        }
    }
}
