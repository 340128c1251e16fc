package org.deepeprop.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.train.Sgd;
import org.deepeprop.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An online learner that never stops: a small recurrent network, updated every ten steps, on an
 * endless stream. Every step checks its own state (a {@link DivergenceException} would fail the
 * test); at the end a checkpoint save checks every remaining float (traces, gradients, weights)
 * is finite, and the loss must have fallen.
 *
 * <p>The default suite runs {@value #DEFAULT_STEPS} steps; {@code -Ddeepeprop.longRun=true} runs
 * {@value #LONG_STEPS} (a few seconds).
 */
class LongRunTest {
    static final int DEFAULT_STEPS = 100_000;
    static final int LONG_STEPS = 1_000_000;

    @TempDir
    java.nio.file.Path dir;

    @Test
    void onlineLearningStaysFiniteOverAStream() throws IOException {
        int steps = Boolean.getBoolean("deepeprop.longRun") ? LONG_STEPS : DEFAULT_STEPS;
        NetworkConfig config = NetworkConfig.builder().inputs(2).layers(8, 8).outputs(1)
                .model(NeuronModel.LEAKY_TANH).recurrent(true).seed(11).build();
        DeepEpropNetwork net = new DeepEpropNetwork(config);
        Trainer trainer = new Trainer(net, new Sgd(0.002f), 10);
        float[] x = new float[2];
        float[] y = new float[1];
        double early = 0;
        double late = 0;
        int window = steps / 10;
        for (int t = 0; t < steps; t++) {
            // Two incommensurate oscillations in, a delayed mixture of them out.
            x[0] = (float) Math.sin(0.05 * t);
            x[1] = (float) Math.sin(0.131 * t);
            y[0] = (float) (0.8 * Math.sin(0.05 * (t - 5)) * Math.sin(0.131 * (t - 3)));
            float loss = trainer.step(x, y);
            assertTrue(Float.isFinite(loss), "loss at step " + t);
            if (t < window) {
                early += loss;
            } else if (t >= steps - window) {
                late += loss;
            }
        }
        assertEquals(steps, net.steps());
        Checkpoint.save(trainer, dir.resolve("long.ckpt")); // refuses any non-finite float
        // Not a learning benchmark, but the updates must have gone somewhere sensible (about 0.85 at
        // 100k steps, 0.01 at a million).
        assertTrue(late < early, "loss over the first tenth " + early + ", over the last tenth " + late);
    }
}
