package org.deepeprop.experiment.learn;

import java.util.Arrays;
import org.deepeprop.experiment.model.Dynamics;
import org.deepeprop.experiment.model.MaskedBptt;
import org.deepeprop.experiment.model.NetSpec;
import org.deepeprop.experiment.model.Params;
import org.deepeprop.experiment.model.Trajectory;
import org.deepeprop.experiment.task.Sequence;
import org.deepeprop.verify.Gradients;
import org.deepeprop.verify.Metrics;

/**
 * What online updates do to deep e-prop, measured at one step {@code t} of a training sequence
 * against references computed with the weights in force at {@code t}, held fixed over the prefix
 * {@code 1..t}. Every field is a cosine per layer, then over all layers at once (last entry).
 *
 * <p>Prefix: the sum of what the running engine contributed at steps {@code 1..t} (traces and
 * errors from weights that changed along the way, much of it already applied) against the gradient
 * of the prefix loss {@code l_1 + ... + l_t} by a fresh engine with frozen weights ("frozen") and by
 * BPTT. This is the drift of the applied gradient from the true gradient of the current weights.
 *
 * <p>Step: the engine's contribution at step {@code t} alone against the frozen engine's and
 * BPTT's gradient of {@code l_t} computed <em>with the engine's own error</em> {@code e_t}, so the
 * learning signal is shared and only the traces differ: the drift of the traces themselves.
 *
 * @param sequence the training sequence (1-based) of the probe
 * @param step     the 1-based step {@code t}
 */
public record DriftProbe(int sequence, int step, double[] engineVsBptt, double[] frozenVsBptt,
                         double[] engineVsFrozen, double[] stepEngineVsFrozen, double[] stepEngineVsBptt) {

    /**
     * @param current     the weights in force at step {@code t} (0-based here)
     * @param prefixSum   the engine's contributions summed over steps {@code 0..t}
     * @param stepGrad    the engine's contribution at step {@code t}
     * @param engineOut   the engine's readout {@code y_t}
     */
    static DriftProbe take(NetSpec spec, Params current, Sequence s, int t, int sequence, double[][] prefixSum,
                           double[][] stepGrad, float[] engineOut) {
        double[][] x = Arrays.copyOf(s.x(), t + 1);
        double[][] targets = Arrays.copyOf(s.target(), t + 1);
        Gradients bptt = MaskedBptt.run(spec, current, Dynamics.forward(spec, current, x), targets);
        Gradients frozen = KernelGradients.run(spec, current, x, targets, null);

        double[] error = new double[spec.outputs()];
        for (int o = 0; o < error.length; o++) {
            error[o] = engineOut[o] - s.target()[t][o];
        }
        // A target that gives the reference the engine's error at step t: y_ref - e_engine.
        double[][] onlyT = new double[t + 1][];
        onlyT[t] = shifted(KernelGradients.output(spec, current, x), error);
        Gradients frozenStep = KernelGradients.run(spec, current, x, onlyT, null);
        Trajectory f = Dynamics.forward(spec, current, x);
        double[][] onlyTExact = new double[t + 1][];
        onlyTExact[t] = shifted(f.y()[t + 1], error);
        Gradients bpttStep = MaskedBptt.run(spec, current, f, onlyTExact);

        return new DriftProbe(sequence, t + 1, cosines(prefixSum, bptt.gradW()), cosines(frozen.gradW(), bptt.gradW()),
                cosines(prefixSum, frozen.gradW()), cosines(stepGrad, frozenStep.gradW()),
                cosines(stepGrad, bpttStep.gradW()));
    }

    private static double[] shifted(double[] y, double[] error) {
        double[] target = new double[y.length];
        for (int o = 0; o < y.length; o++) {
            target[o] = y[o] - error[o];
        }
        return target;
    }

    /** Cosine per layer, then over all layers concatenated. */
    private static double[] cosines(double[][] a, double[][] b) {
        double[] c = new double[a.length + 1];
        for (int l = 0; l < a.length; l++) {
            c[l] = Metrics.cosine(a[l], b[l]);
        }
        c[a.length] = Metrics.cosine(concat(a), concat(b));
        return c;
    }

    private static double[] concat(double[][] parts) {
        return Arrays.stream(parts).flatMapToDouble(Arrays::stream).toArray();
    }
}
