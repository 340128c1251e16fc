package org.deepeprop.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.train.Adam;
import org.deepeprop.train.Sgd;
import org.deepeprop.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeepEpropNetworkTest {

    private static NetworkConfig config(NeuronModel model, boolean recurrent) {
        return NetworkConfig.builder().inputs(3).layers(6, 5, 4).outputs(2).model(model).recurrent(recurrent).build();
    }

    private static float[][] sequence(SplittableRandom rng, int steps, int width, double scale) {
        float[][] s = new float[steps][width];
        for (float[] row : s) {
            for (int i = 0; i < width; i++) {
                row[i] = (float) (rng.nextGaussian() * scale);
            }
        }
        return s;
    }

    private static void run(DeepEpropNetwork net, float[][] xs, float[][] ys) {
        for (int t = 0; t < xs.length; t++) {
            net.step(xs[t], ys[t]);
        }
    }

    /** Everything observable that a step may change. */
    private static String snapshot(DeepEpropNetwork net) {
        StringBuilder s = new StringBuilder();
        for (int l = 0; l < net.config().depth(); l++) {
            s.append(java.util.Arrays.toString(net.gradient(l)));
            float[] z = new float[net.config().width(l)];
            net.layerOutput(l, z);
            s.append(java.util.Arrays.toString(z));
        }
        float[] y = new float[net.config().outputs()];
        net.output(y);
        return s.append(java.util.Arrays.toString(y)).append(net.loss()).append(net.steps()).toString();
    }

    @ParameterizedTest
    @EnumSource(NeuronModel.class)
    void rejectedStepLeavesStateUnchanged(NeuronModel model) {
        DeepEpropNetwork net = new DeepEpropNetwork(config(model, true));
        SplittableRandom rng = new SplittableRandom(1);
        run(net, sequence(rng, 5, 3, 2), sequence(rng, 5, 2, 1));
        String before = snapshot(net);
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> net.step(new float[] {0, Float.NaN, 0}, new float[2]));
        assertEquals("x[1]: got NaN, expected a finite number", nan.getMessage());
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
                () -> net.step(new float[3], new float[3]));
        assertEquals("target: got length 3, expected 2", len.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> net.step(new float[3], new float[] {Float.POSITIVE_INFINITY, 0}));
        assertThrows(IllegalArgumentException.class, () -> net.setWeights(1, new float[3]));
        float[] w = net.weights(0);
        w[w.length - 1] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> net.setWeights(0, w));
        assertThrows(IllegalArgumentException.class, () -> net.setReadout(new float[8], new float[] {0, Float.NaN}));
        assertEquals(before, snapshot(net));
    }

    @ParameterizedTest
    @EnumSource(NeuronModel.class)
    void resetMakesSequencesRepeatable(NeuronModel model) {
        DeepEpropNetwork net = new DeepEpropNetwork(config(model, true));
        SplittableRandom rng = new SplittableRandom(2);
        float[][] xs = sequence(rng, 20, 3, 2);
        float[][] ys = sequence(rng, 20, 2, 1);
        run(net, xs, ys);
        float[] first = net.gradient(0);
        net.zeroGradients();
        net.resetState();
        run(net, xs, ys);
        assertArrayEquals(first, net.gradient(0));
    }

    /**
     * {@link NetworkConfig#networkBytes()}, which the memory check compares with the free heap,
     * covers what building a network allocates (measured on the building thread), for every model,
     * depth 1-4, narrow and wide, one and two threads: so no deferral buffer or scratch is left out.
     * It may count more (product scratch for the widest vectors, 2048 bits); it counts array headers
     * and small objects at 1 KiB a layer, and 2 KiB of slack covers the rest. Below 512 bits the
     * product scratch is exactly its bound, so this test measures the per-layer term there. With
     * 1015 inputs the deferred flushes' products (32 steps by rows of 1024 floats) get the largest
     * scratch of {@code TraceOps.packFloats(inner, cols)}.
     */
    @Test
    void networkBytesCoverTheAllocation() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (NeuronModel model : NeuronModel.values()) {
            for (int depth = 1; depth <= 4; depth++) {
                for (int[] shape : new int[][] {{5, 8}, {5, 40}, {1015, 8}}) {
                    int width = shape[1];
                    for (int t = 1; t <= 2; t++) {
                        int[] widths = new int[depth];
                        java.util.Arrays.fill(widths, width);
                        NetworkConfig config = NetworkConfig.builder().inputs(shape[0]).layers(widths).outputs(3)
                                .model(model).recurrent(true).threads(t).build();
                        new DeepEpropNetwork(config).close(); // load and initialise the classes first
                        long before = threads.getCurrentThreadAllocatedBytes();
                        DeepEpropNetwork network = new DeepEpropNetwork(config);
                        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                        network.close();
                        assertTrue(allocated <= config.networkBytes() + 2048, config + ": allocated " + allocated
                                + " bytes, networkBytes() " + config.networkBytes());
                    }
                }
            }
        }
    }

    /**
     * Until C2 has compiled them, Vector API calls allocate their vector objects, so the test warms
     * up and then asks for a window of 3200 steps that allocates nothing, within a bounded number of
     * windows. A step that allocates for real never gets such a window. The deferred terms run once
     * per 32 steps, so a kernel called only there (a standalone accumulateGemvT in the smallest
     * network here, 39 vector objects a call until then) reaches C2 late: in 30 runs after 2 to 92
     * windows (about 300k steps at most), hence up to 400. A wider network gets there in a few
     * windows, its calls iterating far more.
     */
    @Test
    void stepAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Widths of 40, 36, 33 give every kernel full 4x4 tiles and edges on any vector width.
        NetworkConfig.Builder wide = NetworkConfig.builder().inputs(3).layers(40, 36, 33).outputs(2).recurrent(true);
        for (NeuronModel model : NeuronModel.values()) {
          for (NetworkConfig config : new NetworkConfig[] {config(model, true), wide.model(model).build()}) {
            DeepEpropNetwork net = new DeepEpropNetwork(config);
            SplittableRandom rng = new SplittableRandom(3);
            float[][] xs = sequence(rng, 64, 3, 2);
            float[][] ys = sequence(rng, 64, 2, 1);
            long allocated = -1;
            for (int window = 0; window < 400 && allocated != 0; window++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int rep = 0; rep < 50; rep++) {
                    run(net, xs, ys);
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, config + ": bytes allocated by 3200 steps after warm-up");
          }
        }
    }

    @Test
    void refusesNetworksThatDoNotFitTheHeap() {
        NetworkConfig huge = NetworkConfig.builder().inputs(10).layers(1000, 1000, 1000, 1000).outputs(1)
                .recurrent(true).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DeepEpropNetwork(huge));
        assertTrue(e.getMessage().startsWith("memory: "), e.getMessage());
        assertTrue(e.getMessage().contains(huge.networkBytes() + " bytes"), e.getMessage());
    }

    @Test
    void trainerSchedulesUpdates() {
        DeepEpropNetwork a = new DeepEpropNetwork(config(NeuronModel.LEAKY_TANH, false));
        DeepEpropNetwork b = new DeepEpropNetwork(config(NeuronModel.LEAKY_TANH, false));
        float[] w0 = a.weights(0);
        Trainer perSequence = new Trainer(a, new Sgd(0.01f), 0);
        Trainer everyStep = new Trainer(b, new Sgd(0.01f), 1);
        SplittableRandom rng = new SplittableRandom(4);
        float[][] xs = sequence(rng, 10, 3, 1);
        float[][] ys = sequence(rng, 10, 2, 1);
        for (int t = 0; t < 10; t++) {
            perSequence.step(xs[t], ys[t]);
            everyStep.step(xs[t], ys[t]);
        }
        assertArrayEquals(w0, a.weights(0), "per-sequence schedule must not update mid-sequence");
        assertNotEquals(java.util.Arrays.toString(w0), java.util.Arrays.toString(b.weights(0)));
        perSequence.endSequence();
        assertNotEquals(java.util.Arrays.toString(w0), java.util.Arrays.toString(a.weights(0)));
        assertEquals(0.0, a.loss());
    }

    @Test
    void adamLearnsAConstantTarget() {
        DeepEpropNetwork net = new DeepEpropNetwork(config(NeuronModel.LEAKY_TANH, true));
        Trainer trainer = new Trainer(net, new Adam(0.01f), 0);
        SplittableRandom rng = new SplittableRandom(5);
        float[][] xs = sequence(rng, 20, 3, 1);
        float[][] ys = new float[20][];
        java.util.Arrays.fill(ys, new float[] {0.5f, -0.3f});
        double first = 0;
        double last = 0;
        for (int epoch = 0; epoch < 200; epoch++) {
            run(net, xs, ys);
            if (epoch == 0) {
                first = net.loss();
            }
            last = net.loss();
            trainer.endSequence();
        }
        assertTrue(last < 0.05 * first, "loss " + first + " -> " + last);
    }
}
