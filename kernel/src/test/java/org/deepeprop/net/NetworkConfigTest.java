package org.deepeprop.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import org.deepeprop.neuron.NeuronModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkConfigTest {

    private static NetworkConfig.Builder valid() {
        return NetworkConfig.builder().inputs(3).layers(4, 5).outputs(2);
    }

    private static void assertRejected(UnaryOperator<NetworkConfig.Builder> edit, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> edit.apply(valid()).build());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message \"" + e.getMessage() + "\" lacks \"" + f + "\"");
        }
    }

    @Test
    void rejectsBadSizesNamingParameterAndValue() {
        assertRejected(b -> b.inputs(0), "inputs", "got 0", ">= 1");
        assertRejected(b -> b.outputs(-2), "outputs", "got -2");
        assertRejected(b -> b.layers(), "layers", "at least one");
        assertRejected(b -> b.layers(4, 0, 3), "layers[1]", "got 0");
        assertRejected(b -> b.threads(0), "threads", "got 0", "[1, 64]");
        assertRejected(b -> b.deferSteps(0), "deferSteps", "got 0", "[1, 256]");
        assertRejected(b -> b.deferSteps(257), "deferSteps", "got 257");
    }

    @ParameterizedTest
    @CsvSource({"1.0", "-0.1", "NaN", "Infinity"})
    void rejectsDecaysOutsideUnitInterval(float a) {
        assertRejected(b -> b.alpha(a), "alpha", "got " + a, "[0, 1)");
        assertRejected(b -> b.rho(a), "rho", "got " + a);
    }

    @Test
    void rejectsBadNeuronParameters() {
        assertRejected(b -> b.vTh(0f), "v_th", "got 0.0");
        assertRejected(b -> b.gamma(Float.NaN), "gamma", "got NaN");
        assertRejected(b -> b.beta(-1f), "beta", "got -1.0");
        assertRejected(b -> b.alphaPerLayer(0.5f), "alphaPerLayer.length", "got 1", "2");
        assertRejected(b -> b.alphaPerNeuron(1, 0.5f, 0.5f), "alphaPerNeuron[1].length", "got 2", "5");
        assertRejected(b -> b.alphaPerNeuron(0, 0.5f, 0.5f, 1.5f, 0.5f), "alphaPerNeuron[0][2]", "got 1.5");
    }

    @Test
    void refusesArraysBeyondJavaLimits() {
        assertRejected(b -> b.layers(4000, 4000, 4000).recurrent(true), "largest Java array");
    }

    @Test
    void factorisationOnlyForUniformOneDimensionalLayers() {
        NetworkConfig lif = valid().model(NeuronModel.LIF).alphaPerNeuron(1, 0.9f, 0.8f, 0.9f, 0.9f, 0.9f).build();
        assertTrue(lif.factorised(0));
        assertFalse(lif.factorised(1));
        assertFalse(valid().model(NeuronModel.ALIF).build().factorised(0));
        assertFalse(valid().factorise(false).build().factorised(0));
    }

    @Test
    void traceFloatsFollowTheCostModel() {
        // Not factorised, d = 1: E^1: 4*(3+1), E^2: 5*(4+1), T^{2<-1}: 5*4*4.
        NetworkConfig c = valid().factorise(false).build();
        assertEquals(16 + 25 + 80, c.traceFloats());
        // Factorised: E rows collapse to P_l floats; T is unchanged.
        assertEquals(4 + 5 + 80, valid().build().traceFloats());
        // ALIF doubles every trace (d = 2), recurrent widens P_l.
        NetworkConfig alif = valid().model(NeuronModel.ALIF).recurrent(true).build();
        assertEquals(2 * (4 * 8 + 5 * 10 + 5 * 4 * 8), alif.traceFloats());
    }

    @Test
    void steppedTraceFloatsCountAdjacentFactors() {
        // P_0 = 2 + 3 + 1 = 6, P_1 = 3 + 4 + 1 = 8: pbar^0 6, T^{1<-0} 4 x 3 x 6 = 72, pbar^1 8.
        NetworkConfig c = NetworkConfig.builder().inputs(2).layers(3, 4).outputs(1).recurrent(true).build();
        assertEquals(86, c.traceFloats());
        assertEquals(6 + 3 * 6 + 8, c.steppedTraceFloats(), "T^{1<-0} stepped as its factor Q, 3 x 6");
        NetworkConfig perNeuron = NetworkConfig.builder().inputs(2).layers(3, 4).outputs(1).recurrent(true)
                .alphaPerNeuron(1, 0.9f, 0.8f, 0.7f, 0.6f).build();
        assertEquals(6 + 72 + 4 * 8, perNeuron.steppedTraceFloats(), "no factor form with per-neuron decays above");
    }
}
