package org.deepeprop.net;

import java.util.Arrays;
import org.deepeprop.simd.TraceOps;

/**
 * Segment form of the adjacent trace of the layer below the top, {@code B = T^{L-1<-L-2}}, after a
 * weight change of that layer within a sequence. Materialised, {@code B} would feed the top layer's
 * deep trace {@code T = T^{L<-L-2}} by a product of {@code n_L n_{L-1} n_{L-2} P_{L-2}}
 * multiply-adds every step; this form keeps that product to one per weight change.
 *
 * <p>The full array holds {@code B} as the change left it, {@code B_0}, which from there on only
 * decays ({@code a} per step, one decay for all rows); a fresh factor {@link #factor} takes the new
 * terms: {@code B_s = a^s B_0 + c W Q'_s}. The deep trace's update {@code T = D T + A_s B_s} then
 * splits into the factor update the network already runs, {@code R = D R + (c A_s W) Q'_s}, and a
 * small recursion of coefficients, {@code M_s = D M_{s-1} + a^s A_s} ({@code n_L x n_{L-1}}), with
 * {@code T_s = R_s + M_s B_0}. The deep trace's contraction of {@code M_s B_0} waits as
 * {@code sigma = sum_s M_s^T signal_s} until something reads the gradient; {@code M B_0} is added
 * into {@code T} when the next change ends the segment.
 */
final class LowerSegment {
    private final int top;    // n_L
    private final int rows;   // n_{L-1}
    private final int theta;  // n_{L-2} P_{L-2}: one row of B
    /** {@code Q'}, {@code n_{L-2} x P_{L-2}}. */
    final float[] factor;
    /** {@code M}, {@code n_L x n_{L-1}}. */
    final float[] mix;
    private final float[] sigma;
    /** Scratch: {@link #power} once per row of {@code B}. */
    private final float[] decay;
    private boolean active;
    /** {@code a^s}, {@code s} steps into the segment. */
    private float power = 1f;
    private boolean contracted;

    LowerSegment(int top, int rows, int theta) {
        this.top = top;
        this.rows = rows;
        this.theta = theta;
        factor = new float[theta];
        mix = new float[top * rows];
        sigma = new float[rows];
        decay = new float[rows];
    }

    /** Floats this form allocates, for {@link NetworkConfig#networkBytes()}. */
    static long floats(int top, int rows, long theta) {
        return theta + (long) top * rows + 2L * rows;
    }

    boolean active() {
        return active;
    }

    float power() {
        return power;
    }

    /** Layer {@code L-1}'s step: {@code B_0} decays once more ({@code a} the factor's decay). */
    void decay(float a) {
        power *= a;
    }

    /**
     * The top layer's step: {@code M = D M + a^s A} ({@code carry} {@code A}, {@code n_L x n_{L-1}};
     * {@code d} the top layer's decays), then {@code sigma += M^T signal} unless {@code signal} is null.
     */
    void carry(float[] carry, float[] d, float[] signal) {
        for (int m = 0; m < top; m++) {
            float dm = d[m];
            int row = m * rows;
            for (int i = 0; i < rows; i++) {
                mix[row + i] = dm * mix[row + i] + power * carry[row + i];
            }
        }
        if (signal != null) {
            for (int m = 0; m < top; m++) {
                float s = signal[m];
                int row = m * rows;
                for (int i = 0; i < rows; i++) {
                    sigma[i] += s * mix[row + i];
                }
            }
            contracted = true;
        }
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
     * Ends the segment (the deferred terms settled): {@code T += M B_0}, then
     * {@code B = a^s B_0 + c W Q'} with {@code cw} the old {@code c W} ({@code n_{L-1} x n_{L-2}}).
     */
    void end(TraceOps ops, float[] ones, float[] pack, float[] t, float[] b, float[] cw, int cols) {
        ops.decayGemm(t, 0, top, theta, theta, ones, 0, mix, 0, rows, b, 0, pack);
        Arrays.fill(mix, 0f);
        Arrays.fill(decay, power);
        int lower = theta / cols;
        ops.decayBlockRows(b, 0, rows, lower, lower, cols, decay, 0, cw, 0, factor, 0, cols);
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
        Arrays.fill(mix, 0f);
        Arrays.fill(sigma, 0f);
    }

    /** Restores a saved segment's flag and power (its arrays are read in place). */
    void restore(boolean active, float power) {
        this.active = active;
        this.power = power;
    }
}
