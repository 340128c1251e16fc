package org.deepeprop.experiment.learn;

import java.util.SplittableRandom;
import org.deepeprop.experiment.model.NetSpec;

/**
 * Fixed random feedback matrices {@code B^l} ({@code n_l x n_out}, entries {@code N(0, 1 / n_out)},
 * the kernel's own distribution for random feedback), one per layer, drawn from one seed so every
 * rule that uses random feedback sees the same matrix for the same layer.
 */
public final class FeedbackMatrices {
    private FeedbackMatrices() {
    }

    /** {@code B^l} for every layer {@code l} of {@code spec}. */
    public static double[][] draw(NetSpec spec, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] b = new double[spec.depth()][];
        double scale = 1 / Math.sqrt(spec.outputs());
        for (int l = 0; l < spec.depth(); l++) {
            b[l] = new double[spec.width(l) * spec.outputs()];
            for (int i = 0; i < b[l].length; i++) {
                b[l][i] = scale * rng.nextGaussian();
            }
        }
        return b;
    }

    /** The same matrix in float, for {@code DeepEpropNetwork.setFeedback}. */
    public static float[] toFloat(double[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = (float) b[i];
        }
        return f;
    }
}
