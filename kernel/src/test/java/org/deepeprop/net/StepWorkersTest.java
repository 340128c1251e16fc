package org.deepeprop.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.SplittableRandom;
import org.deepeprop.neuron.NeuronModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A step split over worker threads computes what the single-threaded step computes, bit for bit:
 * each element is computed by one thread in the single-threaded order.
 */
class StepWorkersTest {

    private static NetworkConfig.Builder builder(NeuronModel model) {
        // Widths that split unevenly across 2 and 3 threads, with 4x4 tiles and their edges.
        return NetworkConfig.builder().inputs(5).layers(13, 22, 9, 18).outputs(3).model(model).recurrent(true);
    }

    @ParameterizedTest
    @EnumSource(NeuronModel.class)
    void threadsGiveTheSameGradients(NeuronModel model) {
        // Bit for bit on the scalar path. The vector path is compared within 1e-6: its forward
        // gemv reduces in an order that may change when the JIT recompiles between the two runs.
        for (Path path : new Path[] {Path.SCALAR, Path.AUTO}) {
            double tolerance = path == Path.SCALAR ? 0 : 1e-6;
            DeepEpropNetwork single = new DeepEpropNetwork(builder(model).path(path).build());
            float[][] xs = new float[40][5];
            float[][] ys = new float[40][3];
            SplittableRandom rng = new SplittableRandom(9);
            for (int t = 0; t < 40; t++) {
                for (int i = 0; i < 5; i++) {
                    xs[t][i] = (float) (2 * rng.nextGaussian());
                }
                for (int o = 0; o < 3; o++) {
                    ys[t][o] = (float) rng.nextGaussian();
                }
            }
            Learners.drive(single);
            for (int t = 0; t < 40; t++) {
                single.step(xs[t], t % 3 == 0 ? null : ys[t]);
            }
            for (int threads : new int[] {2, 3}) {
                // Threshold 0: these layers are far below the default's, and would not be split.
                try (DeepEpropNetwork split = new DeepEpropNetwork(builder(model).path(path).threads(threads).build(), 0)) {
                    Learners.drive(split);
                    for (int t = 0; t < 40; t++) {
                        split.step(xs[t], t % 3 == 0 ? null : ys[t]);
                    }
                    String what = path + ", " + threads + " threads";
                    assertEquals(single.loss(), split.loss(), tolerance * single.loss(), what + ": loss");
                    for (int l = 0; l < 4; l++) {
                        float[] a = single.gradient(l);
                        float[] b = split.gradient(l);
                        double diff = 0;
                        double norm = 0;
                        for (int i = 0; i < a.length; i++) {
                            diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
                            norm += a[i] * (double) a[i];
                        }
                        assertTrue(norm > 0, "layer " + l + " has a zero gradient: the test would be vacuous");
                        if (tolerance == 0) {
                            assertArrayEquals(a, b, what + ", layer " + l);
                        } else {
                            assertTrue(Math.sqrt(diff / norm) <= tolerance,
                                    what + ", layer " + l + ": relative difference " + Math.sqrt(diff / norm));
                        }
                    }
                }
            }
        }
    }

    @Test
    void smallLayersStayOnTheCallersThread() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (DeepEpropNetwork small = new DeepEpropNetwork(builder(NeuronModel.LEAKY_TANH).threads(2).build())) {
            small.step(new float[5], new float[3]);
            assertEquals(0, newStepWorkers(before), "no worker for layers below DeepEpropNetwork.PARALLEL_FLOATS");
        }
        try (DeepEpropNetwork large = new DeepEpropNetwork(NetworkConfig.builder().inputs(64).layers(64, 64).outputs(3)
                .recurrent(true).threads(2).build())) {
            large.step(new float[64], new float[3]);
            assertEquals(1, newStepWorkers(before), "64 x 64 x 129 trace floats are above the threshold");
        }
        // Depth 1 has no hierarchical traces: 256 x 513 forward weights alone start a worker, 128 x 257 none.
        for (int width : new int[] {256, 128}) {
            Set<Thread> running = Thread.getAllStackTraces().keySet();
            try (DeepEpropNetwork net = new DeepEpropNetwork(NetworkConfig.builder().inputs(width).layers(width)
                    .outputs(3).recurrent(true).threads(2).build())) {
                net.step(new float[width], new float[3]);
                assertEquals(width == 256 ? 1 : 0, newStepWorkers(running),
                        "width " + width + ": forward weights against the threshold of 65,536 floats");
            }
        }
    }

    /** Live step workers started since {@code before} (workers of closed networks may still be exiting). */
    private static long newStepWorkers(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && t.getName().startsWith("deep-eprop-step")).count();
    }

    @ParameterizedTest
    @EnumSource(NeuronModel.class)
    void closedNetworkRefusesToStep(NeuronModel model) {
        DeepEpropNetwork net = new DeepEpropNetwork(builder(model).threads(2).build(), 0);
        net.step(new float[5], new float[3]);
        net.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.step(new float[5], new float[3]));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
