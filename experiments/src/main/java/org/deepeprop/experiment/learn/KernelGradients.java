package org.deepeprop.experiment.learn;

import org.deepeprop.experiment.model.NetSpec;
import org.deepeprop.experiment.model.Params;
import org.deepeprop.net.DeepEpropNetwork;
import org.deepeprop.verify.Gradients;

/** Deep e-prop gradients of one masked sequence from the float kernel, read back in double. */
public final class KernelGradients {
    private KernelGradients() {
    }

    /**
     * Runs {@code x} from the zero state on a fresh network holding {@code params}.
     *
     * @param targets one row per step, {@code null} for a step without a loss term
     * @param feedback {@code B} ({@code n_L x n_out}) or {@code null} for {@code W_out^T}
     */
    public static Gradients run(NetSpec spec, Params params, double[][] x, double[][] targets, float[] feedback) {
        DeepEpropNetwork net = new DeepEpropNetwork(spec.config());
        params.copyInto(net);
        net.setFeedback(feedback);
        float[] in = new float[spec.inputs()];
        float[] target = new float[spec.outputs()];
        for (int t = 0; t < x.length; t++) {
            net.step(KernelLearner.toFloat(x[t], in),
                    targets[t] == null ? null : KernelLearner.toFloat(targets[t], target));
        }
        return read(net);
    }

    /** The readout {@code y_T} after running {@code x} from the zero state on a fresh network holding {@code params}. */
    public static double[] output(NetSpec spec, Params params, double[][] x) {
        DeepEpropNetwork net = new DeepEpropNetwork(spec.config());
        params.copyInto(net);
        float[] in = new float[spec.inputs()];
        for (double[] row : x) {
            net.step(KernelLearner.toFloat(row, in), null);
        }
        float[] y = new float[spec.outputs()];
        net.output(y);
        return toDouble(y);
    }

    /** The gradients accumulated so far by {@code net}. */
    public static Gradients read(DeepEpropNetwork net) {
        double[][] w = new double[net.config().depth()][];
        for (int l = 0; l < w.length; l++) {
            w[l] = toDouble(net.gradient(l));
        }
        return new Gradients(net.loss(), w, toDouble(net.readoutWeightGradient()), toDouble(net.readoutBiasGradient()));
    }

    static double[] toDouble(float[] src) {
        double[] dst = new double[src.length];
        for (int i = 0; i < src.length; i++) {
            dst[i] = src[i];
        }
        return dst;
    }
}
