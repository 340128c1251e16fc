package org.deepeprop.experiment.learn;

import java.util.List;
import org.deepeprop.experiment.model.NetSpec;
import org.deepeprop.experiment.model.Params;
import org.deepeprop.experiment.task.Sequence;
import org.deepeprop.net.DeepEpropNetwork;
import org.deepeprop.train.Adam;

/**
 * Deep e-prop on the float kernel: one {@link DeepEpropNetwork} whose gradients accumulate over a
 * batch and are applied once with the kernel's {@link Adam}.
 */
final class KernelLearner implements Learner {
    private final DeepEpropNetwork net;
    private final Adam adam;
    private final float[] x;
    private final float[] target;

    /** @param feedbackSeed seed of a random top-layer feedback matrix, or null for {@code W_out^T} */
    KernelLearner(NetSpec spec, Params init, float learningRate, Long feedbackSeed) {
        net = new DeepEpropNetwork(spec.config());
        init.copyInto(net);
        if (feedbackSeed != null) {
            double[][] b = FeedbackMatrices.draw(spec, feedbackSeed);
            net.setFeedback(FeedbackMatrices.toFloat(b[spec.depth() - 1]));
        }
        adam = new Adam(learningRate);
        x = new float[spec.inputs()];
        target = new float[spec.outputs()];
    }

    @Override
    public void train(List<Sequence> batch) {
        for (Sequence s : batch) {
            net.resetState();
            for (int t = 0; t < s.steps(); t++) {
                net.step(toFloat(s.x()[t], x), s.target()[t] == null ? null : toFloat(s.target()[t], target));
            }
        }
        net.applyGradients(adam);
    }

    @Override
    public Params params() {
        return Params.of(net);
    }

    static float[] toFloat(double[] src, float[] dst) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (float) src[i];
        }
        return dst;
    }
}
