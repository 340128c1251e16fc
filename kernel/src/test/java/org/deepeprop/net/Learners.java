package org.deepeprop.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.SplittableRandom;
import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.simd.TraceOpsProvider;
import org.deepeprop.train.Trainer;

/** Shared fixtures of the reliability tests: configurations, input streams and full-state comparison. */
final class Learners {
    private Learners() {
    }

    /** Whether the Vector API path can be built in this JVM (false in the scalar-fallback run). */
    static boolean vectorAvailable() {
        return TraceOpsProvider.vector().isPresent();
    }

    /**
     * Three recurrent layers; the middle one has per-neuron decays, so with {@code factorise} a
     * {@code d = 1} network mixes factorised and per-neuron terminal traces.
     */
    static NetworkConfig config(NeuronModel model, Path path, boolean factorise, Feedback feedback) {
        return NetworkConfig.builder().inputs(3).layers(5, 4, 3).outputs(2).model(model).recurrent(true)
                .alphaPerNeuron(1, 0.9f, 0.8f, 0.85f, 0.95f).feedback(feedback).path(path).factorise(factorise)
                .seed(7).build();
    }

    /** Spiking layers above the first stay silent with the default weights; these make them fire. */
    static void drive(DeepEpropNetwork net) {
        if (!net.config().model().spiking()) {
            return;
        }
        for (int l = 0; l < net.config().depth(); l++) {
            float[] w = net.weights(l);
            int pre = net.config().presynaptic(l);
            for (int i = 0; i < w.length; i++) {
                w[i] = i % pre == pre - 1 ? 0.9f : 4 * w[i];
            }
            net.setWeights(l, w);
        }
    }

    /** A deterministic input for step {@code t}: spiking models get a stronger drive so they fire. */
    static float[] input(NeuronModel model, long t, int width) {
        SplittableRandom rng = new SplittableRandom(1000 + t);
        float scale = model.spiking() ? 3f : 1f;
        float[] x = new float[width];
        for (int i = 0; i < width; i++) {
            x[i] = (float) (scale * (Math.sin(0.3 * t + i) + 0.5 * rng.nextGaussian()));
        }
        return x;
    }

    /** A deterministic target for step {@code t}, or {@code null} every seventh step (a step without a loss). */
    static float[] target(long t, int width) {
        if (t % 7 == 3) {
            return null;
        }
        float[] y = new float[width];
        for (int o = 0; o < width; o++) {
            y[o] = (float) Math.cos(0.2 * t + o);
        }
        return y;
    }

    /** Runs {@code steps} steps from step number {@code from}, ending a sequence every {@code sequence} steps. */
    static void run(Trainer trainer, long from, int steps, int sequence) {
        NetworkConfig c = trainer.network().config();
        for (long t = from; t < from + steps; t++) {
            trainer.step(input(c.model(), t, c.inputs()), target(t, c.outputs()));
            if ((t + 1) % sequence == 0) {
                trainer.endSequence();
            }
        }
    }

    /** The complete state of a learner as checkpoint bytes: equal bytes, equal learners. */
    static byte[] fingerprint(Trainer trainer) {
        try {
            java.nio.file.Path dir = Files.createTempDirectory("deepeprop-fingerprint");
            java.nio.file.Path file = dir.resolve("state.ckpt");
            try {
                Checkpoint.save(trainer, file);
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts bit-identical observable state, with a readable failure before the byte comparison. */
    static void assertSameLearner(Trainer expected, Trainer actual) {
        DeepEpropNetwork a = expected.network();
        DeepEpropNetwork b = actual.network();
        assertEquals(a.steps(), b.steps(), "steps");
        assertEquals(a.loss(), b.loss(), "loss");
        for (int l = 0; l < a.config().depth(); l++) {
            assertArrayEquals(a.weights(l), b.weights(l), "weights of layer " + l);
            assertArrayEquals(a.gradient(l), b.gradient(l), "gradient of layer " + l);
        }
        assertArrayEquals(a.readoutWeights(), b.readoutWeights(), "readout");
        float[] ya = new float[a.config().outputs()];
        float[] yb = new float[a.config().outputs()];
        a.output(ya);
        b.output(yb);
        assertArrayEquals(ya, yb, "output y");
        assertArrayEquals(fingerprint(expected), fingerprint(actual), "complete state (checkpoint bytes)");
    }
}
