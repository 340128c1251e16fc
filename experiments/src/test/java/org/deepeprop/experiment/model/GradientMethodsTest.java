package org.deepeprop.experiment.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deepeprop.experiment.learn.FeedbackMatrices;
import org.deepeprop.experiment.learn.KernelGradients;
import org.deepeprop.verify.Bptt;
import org.deepeprop.verify.Case;
import org.deepeprop.verify.Cases;
import org.deepeprop.verify.Gradients;
import org.deepeprop.verify.Metrics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The double-precision engine of this module against the verify module's references and the kernel. */
class GradientMethodsTest {

    private static double[][] targets(Case c) {
        double[][] y = new double[c.T()][c.outputs()];
        for (int t = 0; t < c.T(); t++) {
            System.arraycopy(c.y(), t * c.outputs(), y[t], 0, c.outputs());
        }
        return y;
    }

    private static double[][] inputs(Case c) {
        double[][] x = new double[c.T()][c.inputs()];
        for (int t = 0; t < c.T(); t++) {
            System.arraycopy(c.x(), t * c.inputs(), x[t], 0, c.inputs());
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(strings = {"leaky_tanh", "lif", "alif"})
    void maskedBpttWithEveryTargetIsTheVerifyModulesBptt(String model) {
        Case c = Cases.randomWellConditioned(model, 3, new int[] {6, 5, 4}, 2, 20, true, 1.0, 11);
        NetSpec spec = NetSpec.of(c);
        Params params = Params.of(c);
        Gradients mine = MaskedBptt.run(spec, params, Dynamics.forward(spec, params, inputs(c)), targets(c));
        Gradients ref = Bptt.run(c);
        assertEquals(ref.loss(), mine.loss(), 1e-9 * Math.max(1, ref.loss()));
        for (int l = 0; l < c.depth(); l++) {
            assertTrue(Metrics.relativeError(mine.gradW()[l], ref.gradW()[l]) < 1e-9, "layer " + l);
        }
        assertTrue(Metrics.relativeError(mine.gradWout(), ref.gradWout()) < 1e-9);
        assertTrue(Metrics.relativeError(mine.gradBout(), ref.gradBout()) < 1e-9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"leaky_tanh", "lif", "alif"})
    void withoutRecurrenceTheTopLayerOfLocalEpropAndTheKernelAreExactUnderAMask(String model) {
        Case c = Cases.randomWellConditioned(model, 3, new int[] {6, 5, 4}, 2, 20, false, 0, 5);
        NetSpec spec = NetSpec.of(c);
        Params params = Params.of(c);
        double[][] y = targets(c);
        for (int t = 0; t < y.length; t += 3) {
            y[t] = null; // a loss mask: the kernel's step(x, null) against masked BPTT
        }
        Trajectory f = Dynamics.forward(spec, params, inputs(c));
        Gradients exact = MaskedBptt.run(spec, params, f, y);
        double[][] feedback = FeedbackMatrices.draw(spec, 1);
        feedback[spec.depth() - 1] = null; // W_out^T on top: classic e-prop, exact without recurrence
        Gradients local = LocalEprop.run(spec, params, f, y, feedback);
        Gradients kernel = KernelGradients.run(spec, params, inputs(c), y, null);
        int top = spec.depth() - 1;
        assertTrue(Metrics.relativeError(local.gradW()[top], exact.gradW()[top]) < 1e-9);
        for (int l = 0; l < spec.depth(); l++) {
            assertTrue(Metrics.relativeError(kernel.gradW()[l], exact.gradW()[l]) < 1e-4, "layer " + l);
        }
    }
}
