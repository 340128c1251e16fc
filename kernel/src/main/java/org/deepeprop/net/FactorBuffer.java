package org.deepeprop.net;

import org.deepeprop.simd.TraceOps;

/**
 * The top layer's factor {@code Q} and its contraction over up to {@code capacity} steps, applied
 * by products instead of two passes over {@code Q} and one over the gradient per step.
 *
 * <p>A step does {@code Q[j, :] = a_j Q[j, :] + psi_j(s) x_s} (x: the layer below's filtered row
 * {@code pbar}, shared by all rows) and then {@code G[j, :] += h_j(s) Q[j, :]}. Over steps
 * {@code s = 0..K-1} from {@code Q_0}:
 * <pre>
 * Q_K = a^K Q_0 + sum_r a^(K-1-r) psi(r) x_r
 * G  += alpha Q_0 + sum_r beta(r) x_r,  alpha = sum_s h(s) a^(s+1),  beta(r) = psi(r) sum_{s>=r} h(s) a^(s-r)
 * </pre>
 * (row-wise in {@code j}): one row-scaled pass and two products of a {@code n x K} by a
 * {@code K x P} matrix, the same arithmetic as K steps, with {@code Q} and {@code G} read and
 * written once. Only the top layer's factor qualifies: no layer above reads its {@code Q} during
 * the step.
 */
final class FactorBuffer {
    final int rows;
    final int cols;
    final int capacity;
    /** {@code psi_j(s)} and {@code h_j(s)}, {@code capacity x rows} (one contiguous row per step). */
    private final float[] psi;
    private final float[] h;
    /** The flush's coefficient matrices {@code beta} and {@code gamma} ({@code rows x count}) and its row scales. */
    private final float[] beta;
    private final float[] gamma;
    private final float[] alpha;
    private final float[] decayK;
    /** Row {@code s}: step {@code s}'s shared source row, {@code capacity x cols}. */
    private final float[] sources;
    private int count;
    private boolean contracted;

    FactorBuffer(int rows, int cols, int capacity) {
        this.rows = rows;
        this.cols = cols;
        this.capacity = capacity;
        psi = new float[rows * capacity];
        h = new float[rows * capacity];
        beta = new float[rows * capacity];
        gamma = new float[rows * capacity];
        alpha = new float[rows];
        decayK = new float[rows];
        sources = new float[capacity * cols];
    }

    /** Floats this buffer allocates, for {@link NetworkConfig#networkBytes()}. */
    static long floats(int rows, int cols, int capacity) {
        return (long) capacity * (4L * rows + cols) + 2L * rows;
    }

    /** Keeps one step: {@code psi} for the update, {@code signal} for the contraction (null: none this step). */
    void add(float[] psiNow, float[] signal, float[] x, int xOff) {
        System.arraycopy(psiNow, 0, psi, count * rows, rows);
        contracted |= Slots.keepSignal(signal, h, count * rows, rows);
        System.arraycopy(x, xOff, sources, count * cols, cols);
        count++;
    }

    boolean full() {
        return count == capacity;
    }

    /** Applies the kept steps to {@code q} ({@code rows x cols}, decay {@code a[r]}) and {@code g}, then empties. */
    void flush(TraceOps ops, float[] ones, float[] pack, float[] a, float[] q, float[] g) {
        if (count == 0) {
            return;
        }
        int k = count;
        for (int r = 0; r < rows; r++) {
            float ar = a[r];
            int out = r * k;
            float suffix = 0f; // sum_{s >= i} h(s) a^(s-i)
            float power = 1f;  // a^(k-1-i)
            for (int i = k - 1; i >= 0; i--) {
                float p = psi[i * rows + r];
                suffix = h[i * rows + r] + ar * suffix;
                beta[out + i] = p * suffix;
                gamma[out + i] = power * p;
                power *= ar;
            }
            decayK[r] = power;
            alpha[r] = ar * suffix; // sum_s h(s) a^(s+1) = a * suffix at i = 0
        }
        if (contracted) {
            ops.decayRows(g, 0, rows, cols, ones, 0, alpha, 0, q, 0, cols);
            ops.decayGemm(g, 0, rows, cols, cols, ones, 0, beta, 0, k, sources, 0, pack);
        }
        ops.decayGemm(q, 0, rows, cols, cols, decayK, 0, gamma, 0, k, sources, 0, pack);
        count = 0;
        contracted = false;
    }
}
