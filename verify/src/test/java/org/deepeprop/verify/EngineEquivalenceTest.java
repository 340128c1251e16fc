package org.deepeprop.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deepeprop.net.Path;
import org.deepeprop.simd.TraceOpsProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float32 engine against the double-precision references, on both kernel paths and with
 * factorised terminal traces on and off:
 * <ul>
 *   <li>with recurrence, against the independent double deep e-prop reference (same approximation);
 *   <li>without recurrence, against exact BPTT (SPEC.md section 4: deep e-prop is exact there).
 * </ul>
 * Spiking cases are drawn well-conditioned (no membrane within 1e-3 of a threshold or a kink of
 * {@code q}), so float rounding cannot flip a spike.
 */
class EngineEquivalenceTest {
    static final double TOLERANCE = 1e-4;

    /** Shapes spanning depths 1 to 5, widths 1 to 33 and T up to 50, kept small enough to stay fast. */
    static Stream<Arguments> cases() {
        int[][] shapes = {
            // inputs, T, widths...
            {3, 12, 1},
            {2, 50, 5},
            {4, 20, 16, 1},
            {5, 10, 33, 17},
            {3, 15, 7, 5, 9},
            {2, 8, 4, 33, 3, 2},
            {3, 6, 6, 5, 4, 3, 2},
            {1, 30, 1, 1, 1},
            {3, 45, 6, 5},    // past the engine's 32 deferred steps, so a buffer starts mid-sequence
            {2, 40, 4, 5, 3},
        };
        List<Arguments> args = new ArrayList<>();
        long seed = 100;
        for (String model : new String[] {"leaky_tanh", "lif", "alif"}) {
            for (int[] s : shapes) {
                int[] widths = java.util.Arrays.copyOfRange(s, 2, s.length);
                args.add(Arguments.of(model, s[0], widths, s[1], seed++));
            }
        }
        return args.stream();
    }

    static Path[] paths() {
        return TraceOpsProvider.vector().isPresent() ? new Path[] {Path.SCALAR, Path.VECTOR} : new Path[] {Path.SCALAR};
    }

    @ParameterizedTest(name = "{0} inputs={1} layers={2} T={3}")
    @MethodSource("cases")
    void exactWithoutRecurrence(String model, int inputs, int[] widths, int T, long seed) {
        Case c = Cases.randomWellConditioned(model, inputs, widths, 2, T, false, 0, seed);
        Gradients bptt = Bptt.run(c);
        for (Path path : paths()) {
            for (boolean factorise : new boolean[] {true, false}) {
                Gradients kernel = KernelRunner.run(c, path, factorise);
                assertClose(bptt, kernel, model + " " + path + " factorise=" + factorise + " vs BPTT");
            }
        }
    }

    @ParameterizedTest(name = "{0} inputs={1} layers={2} T={3}")
    @MethodSource("cases")
    void matchesDoubleReferenceWithRecurrence(String model, int inputs, int[] widths, int T, long seed) {
        Case c = Cases.randomWellConditioned(model, inputs, widths, 3, T, true, 1.0, seed + 1000);
        Gradients reference = ReferenceEprop.run(c);
        for (Path path : paths()) {
            for (boolean factorise : new boolean[] {true, false}) {
                Gradients kernel = KernelRunner.run(c, path, factorise);
                assertClose(reference, kernel, model + " " + path + " factorise=" + factorise + " vs double e-prop");
            }
        }
    }

    @ParameterizedTest(name = "{0} inputs={1} layers={2} T={3}")
    @MethodSource("cases")
    void randomFeedbackMatchesDoubleReference(String model, int inputs, int[] widths, int T, long seed) {
        assumeTrue(widths.length <= 3, "a few shapes suffice for the feedback matrix");
        Case base = Cases.randomWellConditioned(model, inputs, widths, 2, T, false, 0, seed + 2000);
        double[] b = new double[widths[widths.length - 1] * 2];
        java.util.Random rng = new java.util.Random(seed);
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rng.nextGaussian();
        }
        Case c = Cases.withB(base, b);
        Gradients reference = ReferenceEprop.run(c);
        for (Path path : paths()) {
            assertClose(reference, KernelRunner.run(c, path, true), model + " " + path + " random B");
        }
    }

    /**
     * With recurrent weights deep e-prop is an approximation (SPEC.md section 4): this prints, per
     * layer, its cosine similarity and relative error against exact BPTT. Only the readout
     * gradients are exact there, and that is what is asserted; the hidden layers must at least
     * point the same way as the true gradient (cosine > 0) at this moderate recurrent scale.
     */
    @ParameterizedTest(name = "{0} inputs={1} layers={2} T={3}")
    @MethodSource("cases")
    void approximationWithRecurrenceIsReported(String model, int inputs, int[] widths, int T, long seed) {
        Case c = Cases.randomWellConditioned(model, inputs, widths, 2, T, true, 0.5, seed + 3000);
        Gradients bptt = Bptt.run(c);
        Gradients kernel = KernelRunner.run(c, paths()[paths().length - 1], true);
        StringBuilder line = new StringBuilder(String.format(java.util.Locale.ROOT,
                "recurrent x0.5 %-10s layers=%-14s T=%-3d", model, java.util.Arrays.toString(widths), T));
        for (int l = 0; l < widths.length; l++) {
            double cos = Metrics.cosine(kernel.gradW()[l], bptt.gradW()[l]);
            line.append(String.format(java.util.Locale.ROOT, " | W%d cos %.4f rel %.3f", l + 1, cos,
                    Metrics.relativeError(kernel.gradW()[l], bptt.gradW()[l])));
            if (Metrics.norm(bptt.gradW()[l]) > 0) {
                assertTrue(cos > 0, model + " layer " + l + ": cosine " + cos);
            }
        }
        System.out.println(line);
        check(bptt.gradWout(), kernel.gradWout(), model + ": W_out (exact even with recurrence)");
        check(bptt.gradBout(), kernel.gradBout(), model + ": b_out (exact even with recurrence)");
    }

    static void assertClose(Gradients expected, Gradients actual, String what) {
        check(new double[] {expected.loss()}, new double[] {actual.loss()}, what + ": loss");
        for (int l = 0; l < expected.gradW().length; l++) {
            check(expected.gradW()[l], actual.gradW()[l], what + ": layer " + l);
        }
        check(expected.gradWout(), actual.gradWout(), what + ": W_out");
        check(expected.gradBout(), actual.gradBout(), what + ": b_out");
    }

    private static void check(double[] ref, double[] got, String what) {
        double err = Metrics.relativeError(got, ref);
        assertTrue(err <= TOLERANCE, what + ": relative error " + err + " > " + TOLERANCE
                + " (|ref| = " + Metrics.norm(ref) + ")");
    }
}
