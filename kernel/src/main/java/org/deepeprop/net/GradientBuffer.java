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
    /** Column {@code s}: step {@code s}'s coefficients, {@code rows x capacity} (stride {@code count} once packed). */
    private final float[] coefficients;
    /** Row {@code s}: step {@code s}'s source row, {@code capacity x cols}. */
    private final float[] sources;
    private int count;

    GradientBuffer(int rows, int cols, int capacity) {
        this.rows = rows;
        this.cols = cols;
        this.capacity = capacity;
        coefficients = new float[rows * capacity];
        sources = new float[capacity * cols];
    }

    /** Floats this buffer allocates, for {@link NetworkConfig#networkBytes()}. */
    static long floats(int rows, int cols, int capacity) {
        return (long) capacity * (rows + cols);
    }

    /** Keeps {@code a (x) x}: {@code a} has {@code rows} floats, {@code x} {@code cols}. */
    void add(float[] a, float[] x, int xOff) {
        for (int r = 0; r < rows; r++) {
            coefficients[r * capacity + count] = a[r];
        }
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
        pack(coefficients, rows, capacity, count);
        ops.decayGemm(g, 0, rows, cols, cols, ones, 0, coefficients, 0, count, sources, 0, pack);
        count = 0;
    }

    /**
     * Moves the first {@code count} columns of a {@code rows x capacity} matrix to stride
     * {@code count}, in place, so the product reads a dense {@code rows x count} matrix. Rows go
     * ascending: row {@code r}'s new place never overlaps a later row's old one.
     */
    static void pack(float[] m, int rows, int capacity, int count) {
        if (count == capacity) {
            return;
        }
        for (int r = 1; r < rows; r++) {
            System.arraycopy(m, r * capacity, m, r * count, count);
        }
    }
}
