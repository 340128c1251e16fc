package org.deepeprop.experiment.learn;

import java.util.List;
import org.deepeprop.experiment.model.Dynamics;
import org.deepeprop.experiment.model.LocalEprop;
import org.deepeprop.experiment.model.MaskedBptt;
import org.deepeprop.experiment.model.NetSpec;
import org.deepeprop.experiment.model.Params;
import org.deepeprop.experiment.model.Readout;
import org.deepeprop.experiment.model.Trajectory;
import org.deepeprop.experiment.task.Sequence;
import org.deepeprop.train.Adam;
import org.deepeprop.verify.Gradients;

/**
 * The rules computed in double precision by this module (BPTT, layer-local e-prop, readout only).
 * The weights stay float32 and are updated by the kernel's own {@link Adam} with the kernel's tensor
 * numbering, so the optimiser is identical for every rule.
 */
final class DoubleLearner implements Learner {
    private final Method method;
    private final NetSpec spec;
    private final Params params;
    private final Adam adam;
    private final double[][] feedback;

    DoubleLearner(Method method, NetSpec spec, Params init, float learningRate, long feedbackSeed) {
        this.method = method;
        this.spec = spec;
        this.params = init.copy();
        this.adam = new Adam(learningRate);
        this.feedback = FeedbackMatrices.draw(spec, feedbackSeed);
        if (method == Method.LOCAL_EPROP) {
            feedback[spec.depth() - 1] = null; // W_out^T for the top layer, read afresh every time
        }
    }

    @Override
    public void train(List<Sequence> batch) {
        Gradients sum = null;
        for (Sequence s : batch) {
            Gradients g = gradients(s);
            sum = sum == null ? g : add(sum, g);
        }
        adam.beginUpdate();
        int depth = spec.depth();
        if (method != Method.READOUT_ONLY) {
            for (int l = 0; l < depth; l++) {
                adam.update(l, params.w()[l], toFloat(sum.gradW()[l]));
            }
        }
        adam.update(depth, params.wOut(), toFloat(sum.gradWout()));
        adam.update(depth + 1, params.bOut(), toFloat(sum.gradBout()));
    }

    private Gradients gradients(Sequence s) {
        Trajectory f = Dynamics.forward(spec, params, s.x());
        return switch (method) {
            case BPTT -> MaskedBptt.run(spec, params, f, s.target());
            case LOCAL_EPROP, LOCAL_EPROP_RANDOM -> LocalEprop.run(spec, params, f, s.target(), feedback);
            case READOUT_ONLY -> Readout.of(f, s.target()).readoutOnly(spec, f);
            default -> throw new IllegalStateException(method + " runs on the kernel");
        };
    }

    @Override
    public Params params() {
        return params.copy();
    }

    private static Gradients add(Gradients a, Gradients b) {
        double[][] w = new double[a.gradW().length][];
        for (int l = 0; l < w.length; l++) {
            w[l] = sum(a.gradW()[l], b.gradW()[l]);
        }
        return new Gradients(a.loss() + b.loss(), w, sum(a.gradWout(), b.gradWout()), sum(a.gradBout(), b.gradBout()));
    }

    private static double[] sum(double[] a, double[] b) {
        double[] s = a.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += b[i];
        }
        return s;
    }

    private static float[] toFloat(double[] src) {
        float[] dst = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            dst[i] = (float) src[i];
        }
        return dst;
    }
}
