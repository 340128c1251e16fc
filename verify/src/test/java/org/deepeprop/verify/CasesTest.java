package org.deepeprop.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The case generator: deterministic, float32-exact, spiking where it should, margins measured right. */
class CasesTest {

    @Test
    void sameSeedSameCase() {
        Case a = Cases.random("alif", 3, new int[] {4, 2}, 2, 9, true, 0.5, 99);
        Case b = Cases.random("alif", 3, new int[] {4, 2}, 2, 9, true, 0.5, 99);
        for (int l = 0; l < a.depth(); l++) {
            assertArrayEquals(a.W()[l], b.W()[l]);
        }
        assertArrayEquals(a.Wout(), b.Wout());
        assertArrayEquals(a.x(), b.x());
        assertArrayEquals(a.y(), b.y());
    }

    @Test
    void shapesFollowTheSpecAndValuesAreFloat32() {
        Case c = Cases.random("lif", 3, new int[] {4, 2}, 5, 9, true, 0.5, 1);
        assertEquals(4 * (3 + 4 + 1), c.W()[0].length);
        assertEquals(2 * (4 + 2 + 1), c.W()[1].length);
        assertEquals(5 * 2, c.Wout().length);
        assertEquals(9 * 3, c.x().length);
        assertEquals(9 * 5, c.y().length);
        for (double[] block : new double[][] {c.W()[0], c.W()[1], c.Wout(), c.bout(), c.x(), c.y(),
                {c.alpha(), c.vTh(), c.gamma(), c.beta(), c.rho()}}) {
            for (double value : block) {
                assertEquals(value, (double) (float) value);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lif", "alif"})
    void spikingCasesSpikeInEveryLayer(String model) {
        double sum = 0.0;
        int seeds = 10;
        for (long seed = 0; seed < seeds; seed++) {
            double f = Cases.activeFraction(Cases.random(model, 5, new int[] {7, 7, 7, 7, 7}, 3, 50, false, 0, seed));
            assertTrue(f > 0, "a silent layer at seed " + seed);
            sum += f;
        }
        assertTrue(sum / seeds >= 0.5, "mean active fraction " + sum / seeds);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lif", "alif"})
    void wellConditionedCasesKeepTheirMargin(String model) {
        Case c = Cases.randomWellConditioned(model, 5, new int[] {7, 5, 3}, 2, 40, true, 0.5, 0);
        assertTrue(Cases.thresholdMargin(c) >= Cases.WELL_CONDITIONED_MARGIN);
    }

    @Test
    void marginOfASmoothModelIsInfinite() {
        assertEquals(Double.POSITIVE_INFINITY,
                Cases.thresholdMargin(Cases.random("leaky_tanh", 2, new int[] {3}, 1, 5, false, 0, 0)));
    }

    /** One LIF neuron, one step: v_1 = (1 - a) w x, planted near the threshold and the kinks of q. */
    @ParameterizedTest
    @ValueSource(doubles = {1.0001, 1.9998, 0.0003})
    void marginFindsAPlantedMembrane(double v1) {
        double a = Cases.ALPHA;
        Case c = new Case("lif", 1, new int[] {1}, 1, 1, false, a, 1.0, 0.3, 0.07, 0.97,
                new double[][] {{v1 / (1 - a), 0.0}}, new double[] {1.0}, new double[] {0.0}, null,
                new double[] {1.0}, new double[] {0.0});
        double expected = Math.min(Math.abs(v1 - 1), Math.min(Math.abs(v1 - 2), Math.abs(v1)));
        assertEquals(expected, Cases.thresholdMargin(c), 1e-12);
    }
}
