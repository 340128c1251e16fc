package org.deepeprop.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.train.Adam;
import org.deepeprop.train.Sgd;
import org.deepeprop.train.Trainer;
import org.junit.jupiter.api.Test;

/** The public restore factories behind checkpoints check every value and name the bad one. */
class RestoreValidationTest {

    private static void rejected(Runnable call, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(message), () -> "\"" + e.getMessage() + "\" does not start with \""
                + message + "\"");
    }

    @Test
    void adamRestoreChecksItsState() {
        float[][] m = {{0.1f, 0.2f}, null};
        float[][] v = {{0.01f, 0.02f}, null};
        Adam adam = Adam.restore(0.01f, 0.9f, 0.999f, 1e-8f, 5, m, v);
        assertEquals(5, adam.updates());
        assertArrayEquals(m[0], adam.firstMoments()[0]);
        m[0][0] = 7f; // restored state is a copy
        assertEquals(0.1f, adam.firstMoments()[0][0]);

        rejected(() -> Adam.restore(0f, 0.9f, 0.999f, 1e-8f, 0, m, v), "learningRate: got 0.0");
        rejected(() -> Adam.restore(0.01f, 0.9f, 0.999f, 1e-8f, -1, m, v), "updates: got -1, expected >= 0");
        rejected(() -> Adam.restore(0.01f, 0.9f, 0.999f, 1e-8f, 0, m, new float[1][]), "moments: got 2 first and 1");
        rejected(() -> Adam.restore(0.01f, 0.9f, 0.999f, 1e-8f, 0, new float[][] {{1f}}, new float[][] {{1f, 2f}}),
                "moments[0]: got lengths 1 and 2");
        rejected(() -> Adam.restore(0.01f, 0.9f, 0.999f, 1e-8f, 0, new float[][] {{Float.NaN}}, new float[][] {{1f}}),
                "firstMoments[0][0]: got NaN, expected a finite number");
        rejected(() -> Adam.restore(0.01f, 0.9f, 0.999f, 1e-8f, 0, new float[][] {{1f}}, new float[][] {{-1f}}),
                "secondMoments[0][0]: got -1.0, expected a finite number >= 0");
    }

    @Test
    void trainerRestoreChecksTheSchedule() {
        DeepEpropNetwork net = new DeepEpropNetwork(NetworkConfig.builder().inputs(1).layers(2).outputs(1)
                .model(NeuronModel.LIF).build());
        Sgd sgd = new Sgd(0.1f);
        assertEquals(3, Trainer.restore(net, sgd, 4, 3).sinceUpdate());
        rejected(() -> Trainer.restore(net, sgd, 4, 4), "sinceUpdate: got 4, expected 0..3");
        rejected(() -> Trainer.restore(net, sgd, 4, -1), "sinceUpdate: got -1");
        rejected(() -> Trainer.restore(net, sgd, 0, 1), "sinceUpdate: got 1, expected 0 (updates only at the end");
        rejected(() -> Trainer.restore(net, null, 1, 0), "network and optimizer: got null");
    }
}
