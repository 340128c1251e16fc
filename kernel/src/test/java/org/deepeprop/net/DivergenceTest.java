package org.deepeprop.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.train.Sgd;
import org.deepeprop.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DivergenceTest {

    private static DeepEpropNetwork twoLayers(NeuronModel model) {
        return new DeepEpropNetwork(NetworkConfig.builder().inputs(2).layers(4, 4).outputs(1).model(model)
                .recurrent(true).build());
    }

    /** Sets the recurrent block of layer {@code l} to {@code value}, leaving input weights and biases. */
    private static void setRecurrent(DeepEpropNetwork net, int l, float value) {
        NetworkConfig c = net.config();
        float[] w = net.weights(l);
        int pre = c.presynaptic(l);
        for (int j = 0; j < c.width(l); j++) {
            Arrays.fill(w, j * pre + c.inputWidth(l), j * pre + c.inputWidth(l) + c.width(l), value);
            w[j * pre + pre - 1] = 2f; // a bias that makes every neuron fire (spiking) or saturate
        }
        net.setWeights(l, w);
    }

    private static boolean allFinite(float[] a) {
        for (float v : a) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Recurrent weights so large that the currents overflow: the step that first produces a
     * non-finite membrane is reported with the layer and the step number, and no earlier step
     * returned a non-finite value.
     */
    @ParameterizedTest
    @EnumSource(NeuronModel.class)
    void explodingRecurrentWeightsAreReportedWithLayerAndStep(NeuronModel model) {
        DeepEpropNetwork net = twoLayers(model);
        setRecurrent(net, 1, 1e38f);
        float[] y = new float[1];
        DivergenceException e = null;
        for (int t = 0; t < 50 && e == null; t++) {
            try {
                float loss = net.step(new float[] {0.5f, -0.5f}, new float[] {0.1f});
                net.output(y);
                assertTrue(Float.isFinite(loss) && allFinite(y), "step " + net.steps() + " returned a non-finite value");
            } catch (DivergenceException d) {
                e = d;
            }
        }
        assertTrue(e != null, model + ": no divergence reported in 50 steps");
        assertEquals(1, e.layer());
        assertEquals(net.steps(), e.step());
        assertTrue(e.step() >= 2 && e.step() <= 20, "reported at " + e.step());
        String m = e.getMessage();
        assertTrue(m.startsWith("divergence: layer 1 neuron "), m);
        assertTrue(m.contains(" at step " + e.step() + ";"), m);
        assertTrue(m.contains("membrane v = "), m);
        assertTrue(!m.contains("\n"), m);
    }

    /**
     * Huge but representable recurrent weights (1e30) saturate rather than diverge: tanh and spikes
     * bound every output, {@code psi} vanishes, and recurrent weights never enter a trace (e-prop
     * drops those paths), so everything stays finite and nothing is reported.
     */
    @ParameterizedTest
    @EnumSource(NeuronModel.class)
    void hugeButRepresentableRecurrentWeightsSaturate(NeuronModel model) {
        DeepEpropNetwork net = twoLayers(model);
        setRecurrent(net, 0, 1e30f);
        setRecurrent(net, 1, 1e30f);
        Trainer trainer = new Trainer(net, new Sgd(0.01f), 10);
        for (int t = 0; t < 500; t++) {
            trainer.step(new float[] {(float) Math.sin(0.1 * t), (float) Math.cos(0.3 * t)}, new float[] {0.1f});
        }
        for (int l = 0; l < 2; l++) {
            assertTrue(allFinite(net.weights(l)) && allFinite(net.gradient(l)), "layer " + l);
        }
    }

    /**
     * A learning signal that overflows (readout weights of 1e30 make {@code delta = W_out^T e}
     * infinite) makes the gradients non-finite; they are never applied, and the refused update
     * changes nothing.
     */
    @Test
    void nonFiniteGradientsAreNeverApplied() {
        DeepEpropNetwork net = twoLayers(NeuronModel.LEAKY_TANH);
        float[] wOut = new float[4];
        Arrays.fill(wOut, 1e30f);
        net.setReadout(wOut, new float[1]);
        for (int t = 0; t < 3; t++) {
            net.step(new float[] {0.5f, -0.5f}, new float[] {0f});
        }
        float[] w0 = net.weights(0);
        float[] g0 = net.gradient(0);
        float[] g1 = net.gradient(1);
        assertTrue(!allFinite(g0), "the test needs a non-finite gradient");
        Sgd sgd = new Sgd(0.1f);
        DivergenceException e = assertThrows(DivergenceException.class, () -> net.applyGradients(sgd));
        assertEquals(0, e.layer());
        assertEquals(3, e.step());
        assertTrue(e.getMessage().startsWith("divergence: layer 0 gradient["), e.getMessage());
        assertTrue(e.getMessage().contains("at step 3; not applied"), e.getMessage());
        assertArrayEquals(w0, net.weights(0));
        assertArrayEquals(g0, net.gradient(0));
        assertArrayEquals(g1, net.gradient(1));
        assertArrayEquals(wOut, net.readoutWeights());
        net.zeroGradients(); // discarding them makes the network usable for updates again
        net.applyGradients(sgd);
    }

    /** A refused online update does not stall the trainer's schedule. */
    @Test
    void trainerScheduleSurvivesARefusedUpdate() {
        DeepEpropNetwork net = twoLayers(NeuronModel.LEAKY_TANH);
        float[] wOut = net.readoutWeights();
        float[] huge = new float[4];
        Arrays.fill(huge, 1e30f);
        net.setReadout(huge, new float[1]);
        Trainer trainer = new Trainer(net, new Sgd(0.1f), 2);
        float[] x = {0.5f, -0.5f};
        float[] y = {0f};
        trainer.step(x, y);
        float[] w1 = net.weights(1);
        assertThrows(DivergenceException.class, () -> trainer.step(x, y));
        assertEquals(0, trainer.sinceUpdate());
        assertArrayEquals(w1, net.weights(1));
        net.zeroGradients();
        net.setReadout(wOut, new float[1]);
        trainer.step(x, y);
        trainer.step(x, y);
        assertTrue(!Arrays.equals(w1, net.weights(1)), "the next update is applied on schedule");
    }

    @Test
    void nullOptimizerIsRefusedBeforeAnyChange() {
        DeepEpropNetwork net = twoLayers(NeuronModel.LIF);
        net.step(new float[] {1, 1}, new float[] {1});
        float[] g = net.gradient(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.applyGradients(null));
        assertEquals("optimizer: got null, expected an Optimizer", e.getMessage());
        assertArrayEquals(g, net.gradient(1));
    }

    @Test
    void alifAdaptationThatCannotDecayIsRefused() {
        NetworkConfig.Builder b = NetworkConfig.builder().inputs(2).layers(3).outputs(1).model(NeuronModel.ALIF)
                .rho(0.9f).gamma(0.5f).beta(4f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().startsWith("beta: got 4.0, expected beta * gamma / v_th < 1 + rho = 1.9 for ALIF"),
                e.getMessage());
        assertTrue(e.getMessage().contains("reaches -1.1"), e.getMessage());
        b.beta(3.7f).build(); // rho - beta gamma / v_th = -0.95: every decay of magnitude < 1
        b.beta(4f).vTh(2f).build(); // q is at most gamma / v_th: a higher threshold allows a larger beta
        b.vTh(1f).model(NeuronModel.LIF).build(); // beta plays no part in LIF
    }
}
