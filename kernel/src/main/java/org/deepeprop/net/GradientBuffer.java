package org.deepeprop.net;

import org.deepeprop.simd.TraceOps;

/**
 * The top layer's gradient terms of up to {@code capacity} steps, added by one product instead of
 * one pass over the gradient per step. With factorised terminal traces a step adds the rank-1
 * matrix {@code signal (x) pbar} to {@code G^L}; a pass over {@code G^L} costs its size in memory
 * traffic for one multiply-add per element, so K steps added as one product {@code S X} (S:
 * {@code n_L x K}, X: {@code K x P_L}) read and write {@code G^L} once instead of K times.
 */
final class GradientBuffer {
    final int rows;
    final int cols;
    final int capacity;
    /**
     * Row {@code s}: step {@code s}'s coefficients, {@code capacity x rows}, written contiguously
     * per step; {@code matrix} is their transpose ({@code rows x count}) for the product.
     */
    private final float[] coefficients;
    private final float[] matrix;
    /** Row {@code s}: step {@code s}'s source row, {@code capacity x cols}. */
    private final float[] sources;
    private int count;

    GradientBuffer(int rows, int cols, int capacity) {
        this.rows = rows;
        this.cols = cols;
        this.capacity = capacity;
        coefficients = new float[rows * capacity];
        matrix = new float[rows * capacity];
        sources = new float[capacity * cols];
    }

    /** Floats this buffer allocates, for {@link NetworkConfig#networkBytes()}. */
    static long floats(int rows, int cols, int capacity) {
        return (long) capacity * (2L * rows + cols);
    }

    /** Keeps {@code a (x) x}: {@code a} has {@code rows} floats, {@code x} {@code cols}. */
    void add(float[] a, float[] x, int xOff) {
        System.arraycopy(a, 0, coefficients, count * rows, rows);
        System.arraycopy(x, xOff, sources, count * cols, cols);
        count++;
    }

    boolean full() {
        return count == capacity;
    }

    /** {@code g += sum_s a_s (x) x_s} over the kept steps, then empty. */
    void flush(TraceOps ops, float[] ones, float[] pack, float[] g) {
        if (count == 0) {
            return;
        }
        if (count == 1) {
            // One step kept (updates every step): the per-step path's own rank-1 row pass, without the
            // product's transpose and packing, which cost more than the update itself there. It rounds
            // the product before the add, as the per-step path does; the packed product rounds once.
            ops.decayRows(g, 0, rows, cols, ones, 0, coefficients, 0, sources, 0, 0);
        } else {
            transpose(coefficients, count, rows, matrix);
            ops.decayGemm(g, 0, rows, cols, cols, ones, 0, matrix, 0, count, sources, 0, pack);
        }
        count = 0;
    }

    /** {@code dst[c * rows + r] = src[r * cols + c]}: {@code src} is {@code rows x cols}. */
    private static void transpose(float[] src, int rows, int cols, float[] dst) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[c * rows + r] = src[r * cols + c];
            }
        }
    }
}
