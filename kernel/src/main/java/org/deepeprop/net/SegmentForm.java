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
    private final TraceOps ops;
    private final float[] ones;
    /** One product scratch per part of the fold; {@code packs[0]} also for the per-step products. */
    private final float[][] packs;
    /** The step threads, or null. */
    private final StepWorkers workers;
    /** The traces of layer {@code s-1}: {@code up[0]} is {@code B}, {@code up[k - s]} is {@code T^{k<-s-1}}. */
    private final float[][] up;
    /** {@code G^{s-1}}, where the waiting contraction goes. */
    private final float[] gradient;
    private final int rows;    // n_s
    private final int theta;   // n_{s-1} P_{s-1}: one row of B
    private final int cols;    // P_{s-1}
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
    private final java.util.function.IntConsumer foldPart;

    /**
     * The form of layer {@code s}'s trace, {@code source} the layer below it ({@code B} is
     * {@code source.up[0]}), under layers of {@code widths}, bottom up; {@code ones} at least as
     * long as the widest of them, one of {@code packs} per step thread.
     */
    SegmentForm(TraceOps ops, float[] ones, float[][] packs, StepWorkers workers, Layer source, int rows,
                int[] widths) {
        this.ops = ops;
        this.ones = ones;
        this.packs = packs;
        this.workers = workers;
        this.up = source.up;
        this.gradient = source.gradient;
        this.rows = rows;
        this.theta = source.theta;
        this.cols = source.pre;
        this.widths = widths;
        factor = new float[theta];
        mix = new float[widths.length][];
        for (int i = 0; i < widths.length; i++) {
            mix[i] = new float[widths[i] * rows];
        }
        sigma = new float[rows];
        decay = new float[rows];
        int parts = workers == null ? 1 : workers.parts();
        foldPart = part -> fold(part, parts);
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
    void carry(int level, float[] a, float[] d) {
        float[] m = mix[level];
        if (level == 0) {
            for (int r = 0; r < widths[0]; r++) {
                ops.decayAxpy(m, r * rows, d[r], power, a, r * rows, rows);
            }
        } else {
            ops.decayGemm(m, 0, widths[level], rows, rows, d, 0, a, 0, widths[level - 1], mix[level - 1], 0, packs[0]);
        }
    }

    /** Where {@code s} is the top layer, its contraction: {@code sigma += a^t signal}. */
    void contractSelf(float[] signal) {
        ops.decayAxpy(sigma, 0, 1f, power, signal, 0, rows);
        contracted = true;
    }

    /** Below the top, the top layer's contraction: {@code sigma += (M^L)^T signal}. */
    void contract(float[] signal) {
        int last = mix.length - 1;
        ops.accumulateGemvT(sigma, 0, mix[last], 0, widths[last], rows, signal, 0);
        contracted = true;
    }

    /** Applies the waiting contraction: {@code G^{s-1} += sum_i sigma_i B_0[i, :]}. */
    void flush() {
        if (contracted) {
            ops.accumulateGemvT(gradient, 0, up[0], 0, rows, theta, sigma, 0);
            Arrays.fill(sigma, 0f);
            contracted = false;
        }
    }

    /**
     * Ends the segment (the deferred terms settled): {@code T^{k<-s-1} += M^k B_0} for every
     * {@code k}, split by rows of {@code T^{k<-s-1}} over the step threads; then
     * {@code B = a^t B_0 + c W Q'} with {@code cw} the old {@code c W} ({@code n_s x n_{s-1}}).
     */
    void end(float[] cw) {
        if (workers == null || mix.length == 0) {
            fold(0, 1);
        } else {
            workers.run(foldPart);
        }
        for (float[] m : mix) {
            Arrays.fill(m, 0f);
        }
        Arrays.fill(decay, power);
        int lower = theta / cols;
        ops.decayBlockRows(up[0], 0, rows, lower, lower, cols, decay, 0, cw, 0, factor, 0, cols);
    }

    /** Part {@code part} of {@code parts} of {@code T^{k<-s-1} += M^k B_0}: a range of its rows {@code m}. */
    private void fold(int part, int parts) {
        for (int level = 0; level < mix.length; level++) {
            int r0 = StepWorkers.start(widths[level], part, parts);
            int r1 = StepWorkers.start(widths[level], part + 1, parts);
            if (r1 > r0) {
                ops.decayGemm(up[level + 1], r0 * theta, r1 - r0, theta, theta, ones, 0, mix[level], r0 * rows,
                        rows, up[0], 0, packs[part]);
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
