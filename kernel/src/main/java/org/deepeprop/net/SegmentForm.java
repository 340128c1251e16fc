package org.deepeprop.net;

import java.util.Arrays;
import org.deepeprop.simd.TraceOps;

/**
 * Segment form of the adjacent trace of a layer {@code s}, {@code B = T^{s<-s-1}}, after a weight
 * change of that layer within a sequence. Materialised, {@code B} would be updated every step,
 * contracted into the gradient every step if {@code s} is the top layer, and, below the top, feed
 * every deep trace above it, {@code T^{k<-s-1}} for {@code k > s}, by products of {@code N^4}
 * multiply-adds every step; this form does each once per weight change.
 *
 * <p>The full array holds {@code B} as the change left it, {@code B_0}, which from there on only
 * decays ({@code a} per step, one decay for all rows); a fresh factor {@link #factor} takes the new
 * terms: {@code B_t = a^t B_0 + c W Q'_t}. Every deep trace above then splits as
 * {@code T^{k<-s-1} = R^k + M^k B_0}: the network updates {@code R^k} as before (from the factor
 * {@code Q'}, or by its products from {@code R^{k-1}}), and the coefficients follow
 * <pre>
 * M^{s+1}_t = D^{s+1} M^{s+1}_{t-1} + a^t A^{s+1}_t,    M^k_t = D^k M^k_{t-1} + A^k_t M^{k-1}_t  (k > s + 1)
 * </pre>
 * ({@code n_k x n_s}: {@code N^2} and {@code N^3} a step). The top layer's contraction of
 * {@code M^L B_0}, or of {@code a^t B_0} where {@code s} is the top, waits as
 * {@code sigma = sum_t (M^L_t)^T signal_t} (or {@code sum_t a^t signal_t}) until something reads
 * the gradient; each {@code M^k B_0} is added into {@code T^{k<-s-1}} when the next change ends
 * the segment.
 */
final class SegmentForm {
    private final int rows;    // n_s
    private final int theta;   // n_{s-1} P_{s-1}: one row of B
    /** {@code n_k} for {@code k = s+1..L}: none for the top layer. */
    private final int[] widths;
    /** {@code Q'}, {@code n_{s-1} x P_{s-1}}. */
    final float[] factor;
    /** {@code mix[k - s - 1]}: {@code M^k}, {@code n_k x n_s}. */
    final float[][] mix;
    private final float[] sigma;
    /** Scratch: {@link #power} once per row of {@code B}. */
    private final float[] decay;
    private boolean active;
    /** {@code a^t}, {@code t} steps into the segment. */
    private float power = 1f;
    private boolean contracted;
    /** The operands of the fold ({@link #end}) while its parts run. */
    private TraceOps foldOps;
    private float[] foldOnes;
    private float[][] foldPacks;
    private float[][] foldUp;
    private int foldParts;
    private final java.util.function.IntConsumer foldPart = part -> fold(part, foldParts);

    /** The form of {@code B} ({@code rows} rows of {@code theta} floats) under layers of {@code widths}, bottom up. */
    SegmentForm(int rows, int theta, int[] widths) {
        this.rows = rows;
        this.theta = theta;
        this.widths = widths.clone();
        factor = new float[theta];
        mix = new float[widths.length][];
        for (int i = 0; i < widths.length; i++) {
            mix[i] = new float[widths[i] * rows];
        }
        sigma = new float[rows];
        decay = new float[rows];
    }

    /** Floats this form allocates, for {@link NetworkConfig#networkBytes()}. */
    static long floats(int rows, long theta, int[] widths) {
        long floats = theta + 2L * rows;
        for (int w : widths) {
            floats += (long) w * rows;
        }
        return floats;
    }

    boolean active() {
        return active;
    }

    float power() {
        return power;
    }

    /** Layer {@code s}'s step: {@code B_0} decays once more ({@code a} the factor's decay). */
    void decay(float a) {
        power *= a;
    }

    /**
     * Layer {@code k}'s step, {@code k = s + 1 + level}, after the layers below it:
     * {@code M^k = D M^k + a^t A} at the first level, {@code D M^k + A M^{k-1}} above ({@code a}
     * the layer's coefficients {@code A}, {@code n_k x n_{k-1}}; {@code d} its decays).
     */
    void carry(int level, float[] a, float[] d, TraceOps ops, float[] pack) {
        float[] m = mix[level];
        if (level == 0) {
            for (int r = 0; r < widths[0]; r++) {
                float dr = d[r];
                int row = r * rows;
                for (int i = 0; i < rows; i++) {
                    m[row + i] = dr * m[row + i] + power * a[row + i];
                }
            }
        } else {
            ops.decayGemm(m, 0, widths[level], rows, rows, d, 0, a, 0, widths[level - 1], mix[level - 1], 0, pack);
        }
    }

    /** Where {@code s} is the top layer, its contraction: {@code sigma += a^t signal}. */
    void contractSelf(float[] signal) {
        for (int i = 0; i < rows; i++) {
            sigma[i] += power * signal[i];
        }
        contracted = true;
    }

    /** Below the top, the top layer's contraction: {@code sigma += (M^L)^T signal}. */
    void contract(float[] signal) {
        float[] m = mix[mix.length - 1];
        for (int r = 0; r < widths[widths.length - 1]; r++) {
            float w = signal[r];
            int row = r * rows;
            for (int i = 0; i < rows; i++) {
                sigma[i] += w * m[row + i];
            }
        }
        contracted = true;
    }

    /** Applies the waiting contraction: {@code g += sum_i sigma_i B_0[i, :]} ({@code b} the array of {@code B}). */
    void flush(TraceOps ops, float[] g, float[] b) {
        if (contracted) {
            ops.accumulateGemvT(g, 0, b, 0, rows, theta, sigma, 0);
            Arrays.fill(sigma, 0f);
            contracted = false;
        }
    }

    /**
     * Ends the segment (the deferred terms settled): {@code T^{k<-s-1} += M^k B_0} for every
     * {@code k} ({@code up} the traces of layer {@code s-1}, {@code B} first), with
     * {@code workers} (or null) split by rows of {@code T^{k<-s-1}}, one of {@code packs} per part;
     * then {@code B = a^t B_0 + c W Q'} with {@code cw} the old {@code c W} ({@code n_s x n_{s-1}})
     * and rows of {@code cols} floats.
     */
    void end(TraceOps ops, float[] ones, float[][] packs, StepWorkers workers, float[][] up, float[] cw, int cols) {
        foldOps = ops;
        foldOnes = ones;
        foldPacks = packs;
        foldUp = up;
        if (workers == null || mix.length == 0) {
            fold(0, 1);
        } else {
            foldParts = workers.parts();
            workers.run(foldPart);
        }
        foldUp = null;
        for (float[] m : mix) {
            Arrays.fill(m, 0f);
        }
        float[] b = up[0];
        Arrays.fill(decay, power);
        int lower = theta / cols;
        ops.decayBlockRows(b, 0, rows, lower, lower, cols, decay, 0, cw, 0, factor, 0, cols);
    }

    /** Part {@code part} of {@code parts} of {@code T^{k<-s-1} += M^k B_0}: a range of its rows {@code m}. */
    private void fold(int part, int parts) {
        for (int level = 0; level < mix.length; level++) {
            int r0 = StepWorkers.start(widths[level], part, parts);
            int r1 = StepWorkers.start(widths[level], part + 1, parts);
            if (r1 > r0) {
                foldOps.decayGemm(foldUp[level + 1], r0 * theta, r1 - r0, theta, theta, foldOnes, 0, mix[level],
                        r0 * rows, rows, foldUp[0], 0, foldPacks[part]);
            }
        }
    }

    /** A new segment: {@code B_0} is the trace as it stands. */
    void start() {
        active = true;
        power = 1f;
        Arrays.fill(factor, 0f);
    }

    /** Out of segment form, every term cleared. */
    void clear() {
        active = false;
        power = 1f;
        contracted = false;
        Arrays.fill(factor, 0f);
        for (float[] m : mix) {
            Arrays.fill(m, 0f);
        }
        Arrays.fill(sigma, 0f);
    }

    /** Restores a saved segment's flag and power (its arrays are read in place). */
    void restore(boolean active, float power) {
        this.active = active;
        this.power = power;
    }
}
