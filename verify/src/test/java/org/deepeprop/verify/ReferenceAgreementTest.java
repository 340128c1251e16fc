package org.deepeprop.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two double references check each other (SPEC.md section 4): deep e-prop equals BPTT without
 * recurrent weights, differs from it with them, and BPTT itself matches finite differences of the
 * loss where the loss is smooth.
 */
class ReferenceAgreementTest {
    private static final String[] MODELS = {"leaky_tanh", "lif", "alif"};
    private static final double EXACT = 1e-9;
    /** Loss and readout gradients are computed the same way in both references: rounding only. */
    private static final double READOUT_EXACT = 1e-12;

    static Stream<Arguments> nonRecurrentShapes() {
        int[][] shapes = {{1}, {7}, {33}, {1, 7}, {7, 1}, {5, 7, 3}, {4, 1, 6, 2}, {3, 5, 7, 5, 3}};
        int[] steps = {1, 13, 50};
        List<Arguments> out = new ArrayList<>();
        for (String model : MODELS) {
            for (int s = 0; s < shapes.length; s++) {
                out.add(Arguments.of(model, shapes[s], steps[s % steps.length]));
            }
            out.add(Arguments.of(model, new int[] {33, 33, 33}, 50));
        }
        // The widest, deepest case once, on the model with the richest Jacobian (d = 2).
        out.add(Arguments.of("alif", new int[] {33, 33, 33, 33, 33}, 50));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} layers={1} T={2}")
    @MethodSource("nonRecurrentShapes")
    void withoutRecurrenceEpropIsTheExactGradient(String model, int[] layers, int steps) {
        Case c = Cases.random(model, 5, layers, 3, steps, false, 0.0, 7L * layers.length + steps);
        Gradients eprop = ReferenceEprop.run(c);
        Gradients bptt = Bptt.run(c);
        assertReadoutIdentical(eprop, bptt);
        for (int l = 0; l < layers.length; l++) {
            // A silent path would make the comparison vacuous.
            assertTrue(Metrics.norm(bptt.gradW()[l]) > 0, "layer " + l + " has a zero gradient");
            assertTrue(relErr(eprop.gradW()[l], bptt.gradW()[l]) <= EXACT,
                    "layer " + l + " relative error " + relErr(eprop.gradW()[l], bptt.gradW()[l]));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"leaky_tanh", "lif", "alif"})
    void withRecurrenceEpropDropsPathsButKeepsTheReadoutExact(String model) {
        Case c = Cases.random(model, 4, new int[] {6, 7, 5}, 2, 30, true, 1.0, 11);
        Gradients eprop = ReferenceEprop.run(c);
        Gradients bptt = Bptt.run(c);
        assertReadoutIdentical(eprop, bptt);
        for (int l = 0; l < c.depth(); l++) {
            double cos = cosine(eprop.gradW()[l], bptt.gradW()[l]);
            assertTrue(cos < 1 - 1e-6, "layer " + l + " matches BPTT (cosine " + cos + "): recurrent paths kept?");
        }
    }

    static Stream<Arguments> recurrentShapes() {
        int[][] shapes = {{1}, {7}, {5, 1, 3}, {3, 5, 7, 5, 3}};
        List<Arguments> out = new ArrayList<>();
        for (String model : MODELS) {
            for (int[] layers : shapes) {
                out.add(Arguments.of(model, layers));
            }
        }
        return out.stream();
    }

    /** With recurrence, deep e-prop is exactly BPTT with the recurrent edges cut from the backward graph. */
    @ParameterizedTest(name = "{0} layers={1}")
    @MethodSource("recurrentShapes")
    void withRecurrenceEpropIsBpttWithoutRecurrentPaths(String model, int[] layers) {
        Case c = Cases.random(model, 4, layers, 3, 25, true, 1.0, 29L * layers.length);
        Gradients eprop = ReferenceEprop.run(c);
        Gradients cut = Bptt.run(c, false);
        assertReadoutIdentical(eprop, cut);
        for (int l = 0; l < layers.length; l++) {
            assertTrue(Metrics.norm(cut.gradW()[l]) > 0, "layer " + l + " has a zero gradient");
            assertTrue(relErr(eprop.gradW()[l], cut.gradW()[l]) <= EXACT,
                    "layer " + l + " relative error " + relErr(eprop.gradW()[l], cut.gradW()[l]));
        }
    }

    /** At zero recurrent weights the dropped paths carry nothing, recurrent columns included. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"leaky_tanh", "lif", "alif"})
    void tinyRecurrentWeightsGiveANearlyExactGradient(String model) {
        Case c = Cases.random(model, 4, new int[] {6, 7, 5}, 2, 30, true, 1e-7, 11);
        Gradients eprop = ReferenceEprop.run(c);
        Gradients bptt = Bptt.run(c);
        for (int l = 0; l < c.depth(); l++) {
            assertTrue(Metrics.norm(bptt.gradW()[l]) > 0, "layer " + l + " has a zero gradient");
            double err = relErr(eprop.gradW()[l], bptt.gradW()[l]);
            assertTrue(err < 1e-4, "layer " + l + " relative error " + err);
        }
    }

    @ParameterizedTest(name = "recurrent={0}")
    @ValueSource(booleans = {false, true})
    void bpttMatchesCentralFiniteDifferences(boolean recurrent) {
        Case c = Cases.random("leaky_tanh", 3, new int[] {4, 5, 3}, 2, 12, recurrent, 1.0, 5);
        Gradients g = Bptt.run(c);
        Random pick = new Random(3);
        for (int l = 0; l < c.depth(); l++) {
            for (int k = 0; k < 4; k++) {
                int idx = pick.nextInt(c.W()[l].length);
                assertFiniteDifference(c, l, idx, g.gradW()[l][idx]);
            }
        }
        for (int k = 0; k < 3; k++) {
            int idx = pick.nextInt(c.Wout().length);
            assertFiniteDifference(c, -1, idx, g.gradWout()[idx]);
        }
        assertFiniteDifference(c, -2, 1, g.gradBout()[1]);
    }

    @Test
    void explicitTransposedReadoutFeedbackIsTheDefault() {
        Case c = Cases.random("alif", 4, new int[] {5, 3}, 3, 20, true, 0.5, 17);
        Gradients implicit = ReferenceEprop.run(c);
        Gradients explicit = ReferenceEprop.run(Cases.withB(c, Cases.transposedReadout(c)));
        for (int l = 0; l < c.depth(); l++) {
            assertEquals(0.0, relErr(explicit.gradW()[l], implicit.gradW()[l]), "layer " + l);
        }
    }

    @Test
    void randomFeedbackChangesOnlyTheHiddenGradients() {
        Case c = Cases.random("leaky_tanh", 4, new int[] {5, 3}, 3, 20, false, 0.0, 19);
        Random rng = new Random(23);
        double[] b = new double[3 * 3];
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.nextGaussian();
        }
        Gradients random = ReferenceEprop.run(Cases.withB(c, b));
        Gradients exact = Bptt.run(Cases.withB(c, b));
        assertReadoutIdentical(random, exact);
        for (int l = 0; l < c.depth(); l++) {
            assertNotEquals(0.0, relErr(random.gradW()[l], exact.gradW()[l]), "layer " + l);
        }
    }

    private static void assertReadoutIdentical(Gradients g, Gradients ref) {
        assertEquals(ref.loss(), g.loss(), READOUT_EXACT * Math.abs(ref.loss()), "loss");
        assertTrue(relErr(g.gradWout(), ref.gradWout()) <= READOUT_EXACT, "grad W_out");
        assertTrue(relErr(g.gradBout(), ref.gradBout()) <= READOUT_EXACT, "grad b_out");
    }

    /** Layer {@code -1} is W_out, {@code -2} is b_out. */
    private static void assertFiniteDifference(Case c, int layer, int idx, double analytic) {
        double h = 1e-5;
        double fd = (Bptt.forward(perturb(c, layer, idx, h)).loss()
                - Bptt.forward(perturb(c, layer, idx, -h)).loss()) / (2 * h);
        assertEquals(fd, analytic, 1e-6 * Math.max(Math.abs(analytic), 1e-2),
                "dL/dtheta at layer " + layer + " index " + idx);
    }

    private static Case perturb(Case c, int layer, int idx, double h) {
        double[][] w = c.W().clone();
        double[] wOut = c.Wout();
        double[] bOut = c.bout();
        double[] target = switch (layer) {
            case -1 -> wOut = wOut.clone();
            case -2 -> bOut = bOut.clone();
            default -> w[layer] = w[layer].clone();
        };
        target[idx] += h;
        return new Case(c.model(), c.inputs(), c.layers(), c.outputs(), c.T(), c.recurrent(), c.alpha(),
                c.vTh(), c.gamma(), c.beta(), c.rho(), w, wOut, bOut, c.B(), c.x(), c.y());
    }

    private static double relErr(double[] g, double[] ref) {
        double diff = 0.0;
        for (int i = 0; i < g.length; i++) {
            diff += (g[i] - ref[i]) * (g[i] - ref[i]);
        }
        // A silent top layer (spiking, short T) has an all-zero readout gradient: equal is exact.
        return diff == 0.0 ? 0.0 : Math.sqrt(diff) / Metrics.norm(ref);
    }

    private static double cosine(double[] g, double[] ref) {
        double dot = 0.0;
        for (int i = 0; i < g.length; i++) {
            dot += g[i] * ref[i];
        }
        return dot / (Metrics.norm(g) * Metrics.norm(ref));
    }
}
