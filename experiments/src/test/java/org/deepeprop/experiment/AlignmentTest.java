package org.deepeprop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The alignment experiment's measurement: exact without recurrence, an approximation with it. */
class AlignmentTest {

    @ParameterizedTest
    @ValueSource(strings = {"leaky_tanh", "lif", "alif"})
    void atRecurrentScaleZeroEveryLayerMatchesBpttToFloatPrecision(String model) {
        Alignment.Row row = Alignment.measure(false, model, 3, 20, 0.0, 1);
        for (int l = 0; l < 3; l++) {
            assertEquals(1.0, row.cosine()[l], 1e-6, "layer " + (l + 1));
            assertTrue(row.relErr()[l] < 1e-4, "layer " + (l + 1) + ": " + row.relErr()[l]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"leaky_tanh", "lif"})
    void withRecurrentWeightsTheGradientIsOnlyAnApproximation(String model) {
        Alignment.Row row = Alignment.measure(false, model, 3, 20, 1.0, 1);
        assertTrue(row.relErr()[0] > 1e-3, "layer 1 relative error " + row.relErr()[0]);
    }
}
