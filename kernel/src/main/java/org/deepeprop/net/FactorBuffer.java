package org.deepeprop.net;

import java.util.Arrays;
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
 *
 * <p>The contraction weights {@code h(s) = c W^T signal(s)} (the first {@code n} columns of the
 * top layer's weights {@code W}) are kept as the signals and formed at the flush, as one
 * {@code K x n_top} by {@code n_top x n} product: {@code W} is read once per flush instead of once
 * per step (at depth 2 width 256 it is 256 KB that the forward pass has just pushed out of L2).
 * {@code W} cannot change in between: a weight change settles the network first.
 */
final class FactorBuffer {
    final int rows;
    final int cols;
    final int capacity;
    /** The top layer's width and its weights' row length. */
    private final int top;
    private final int ld;
    /** {@code psi_j(s)}, {@code capacity x rows} (one contiguous row per step). */
    private final float[] psi;
    /** Step {@code s}'s learning signal, {@code capacity x top} (a zero row: no target that step). */
    private final float[] signals;
    /** {@code W^T signal(s)} in the first {@code rows} floats of row {@code s}, {@code capacity x ld}. */
    private final float[] h;
    /** The product's row scales: {@code h} starts from zero. */
    private final float[] noDecay;
    /** The flush's coefficient matrices {@code beta} and {@code gamma} ({@code rows x count}) and its row scales. */
    private final float[] beta;
    private final float[] gamma;
    private final float[] alpha;
    private final float[] decayK;
    /** Row {@code s}: step {@code s}'s shared source row, {@code capacity x cols}. */
    private final float[] sources;
    private int count;
    private boolean contracted;

    FactorBuffer(int rows, int cols, int top, int ld, int capacity) {
        this.rows = rows;
        this.cols = cols;
        this.capacity = capacity;
        this.top = top;
        this.ld = ld;
        psi = new float[rows * capacity];
        signals = new float[top * capacity];
        h = new float[ld * capacity];
        noDecay = new float[capacity];
        beta = new float[rows * capacity];
        gamma = new float[rows * capacity];
        alpha = new float[rows];
        decayK = new float[rows];
        sources = new float[capacity * cols];
    }

    /** Floats this buffer allocates, for {@link NetworkConfig#networkBytes()}. */
    static long floats(int rows, int cols, int top, int ld, int capacity) {
        return (long) capacity * (3L * rows + cols + top + ld + 1) + 2L * rows;
    }

    /** Keeps one step: {@code psi} for the update, {@code signal} for the contraction (null: none this step). */
    void add(float[] psiNow, float[] signal, float[] x, int xOff) {
        System.arraycopy(psiNow, 0, psi, count * rows, rows);
        contracted |= Slots.keepSignal(signal, signals, count * top, top);
        System.arraycopy(x, xOff, sources, count * cols, cols);
        count++;
    }

    boolean full() {
        return count == capacity;
    }

    /**
     * Applies the kept steps to {@code q} ({@code rows x cols}, decay {@code a[r]}) and {@code g},
     * then empties; {@code w} and {@code c} are the top layer's weights and injection, {@code pack}
     * at least {@code packFloats(capacity)} and {@code packFloats(top)} floats.
     */
    void flush(TraceOps ops, float[] ones, float[] pack, float[] a, float[] q, float[] g, float[] w, float c) {
        if (count == 0) {
            return;
        }
        int k = count;
        if (contracted) {
            Arrays.fill(h, 0, k * ld, 0f);
            if (k == 1) {
                // Updates every step: packing W's panels for one row would cost more than the product.
                ops.accumulateGemvT(h, 0, w, 0, top, rows, ld, signals, 0);
            } else {
                ops.decayGemm(h, 0, k, rows, ld, noDecay, 0, signals, 0, top, w, 0, pack);
            }
        }
        for (int r = 0; r < rows; r++) {
            float ar = a[r];
            int out = r * k;
            float suffix = 0f; // sum_{s >= i} h(s) a^(s-i)
            float power = 1f;  // a^(k-1-i)
            for (int i = k - 1; i >= 0; i--) {
                float p = psi[i * rows + r];
                suffix = c * h[i * ld + r] + ar * suffix;
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
