package org.deepeprop.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.train.Sgd;
import org.deepeprop.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adjacent traces in factor form ({@link NetworkConfig#factorised}) give the gradients of the
 * materialised traces, also when weights change within a sequence and across a checkpoint. The
 * exactness against BPTT is {@code EngineEquivalenceTest}'s (module verify).
 */
class FactorFormTest {
    private static final int STEPS = 30;
    private static final float[] ONES = {1f, 1f, 1f, 1f};

    @TempDir
    java.nio.file.Path dir;

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Path path : new Path[] {Path.SCALAR, Path.VECTOR}) {
            for (NeuronModel model : new NeuronModel[] {NeuronModel.LEAKY_TANH, NeuronModel.LIF}) {
                cases.add(Arguments.of(path, model));
            }
        }
        return cases;
    }

    /** Depth 4, so {@code T^{3<-1}} and {@code T^{2<-0}} are fed from a factor by {@code A W}. */
    private static NetworkConfig.Builder builder(NeuronModel model, Path path) {
        return NetworkConfig.builder().inputs(4).layers(6, 5, 7, 4).outputs(3).model(model).recurrent(true)
                .path(path).seed(11);
    }

    private static DeepEpropNetwork network(NetworkConfig config) {
        DeepEpropNetwork net = new DeepEpropNetwork(config);
        Learners.drive(net);
        return net;
    }

    private static void steps(DeepEpropNetwork net, long from, long to) {
        for (long t = from; t < to; t++) {
            net.step(Learners.input(net.config().model(), t, net.config().inputs()), Learners.target(t, net.config().outputs()));
        }
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (double) (expected[i] - actual[i]);
            norm += expected[i] * (double) expected[i];
        }
        assertTrue(norm > 0, what + ": the expected gradient is zero, so the comparison would prove nothing");
        double rel = Math.sqrt(diff / norm);
        assertTrue(rel <= tolerance, what + ": relative error " + rel + " > " + tolerance);
    }

    /**
     * Three ways to the same gradients: factor form throughout, factor form for one step and then
     * materialised (by setting the weights to themselves; also on two step threads), and
     * {@code factorise(false)}.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void factorFormGivesTheMaterialisedGradients(Path path, NeuronModel model) {
        assumeTrue(path != Path.VECTOR || Learners.vectorAvailable(), "Vector API not enabled in this run");
        DeepEpropNetwork factor = network(builder(model, path).build());
        DeepEpropNetwork switched = network(builder(model, path).build());
        DeepEpropNetwork dense = network(builder(model, path).factorise(false).build());
        DeepEpropNetwork threads = new DeepEpropNetwork(builder(model, path).threads(2).build(), 0);
        Learners.drive(threads);
        for (int k = 1; k < 4; k++) {
            assertTrue(factor.factored(k), "layer " + k + " starts in factor form");
            assertFalse(dense.factored(k), "factorise(false): layer " + k + " is materialised");
        }
        steps(factor, 0, 1);
        steps(switched, 0, 1);
        steps(dense, 0, 1);
        steps(threads, 0, 1);
        for (int k = 0; k < 4; k++) {
            switched.setWeights(k, switched.weights(k));
            threads.setWeights(k, threads.weights(k));
        }
        for (int k = 1; k < 3; k++) {
            assertTrue(switched.factored(k) && switched.segment(k), "layer " + k + " goes on in segment form");
        }
        assertTrue(switched.factored(3) && switched.segment(3), "the top layer goes on in segment form");
        steps(factor, 1, STEPS);
        steps(switched, 1, STEPS);
        steps(dense, 1, STEPS);
        steps(threads, 1, STEPS);
        threads.close();
        for (int l = 0; l < 4; l++) {
            assertClose(switched.gradient(l), threads.gradient(l), 1e-6, model + " " + path + " layer " + l + " threads");
            assertClose(dense.gradient(l), factor.gradient(l), 1e-5, model + " " + path + " layer " + l + " factor");
            assertClose(dense.gradient(l), switched.gradient(l), 1e-5, model + " " + path + " layer " + l + " switched");
        }
        factor.resetState();
        for (int k = 1; k < 4; k++) {
            assertTrue(factor.factored(k), "a new sequence returns layer " + k + " to factor form");
        }
    }

    /**
     * Online updates every 4 steps: each update materialises the factor form, so the traces keep the
     * contributions of the weights they were made with, as the materialised traces do.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void onlineUpdatesKeepTheOldWeightsInTheTraces(Path path, NeuronModel model) {
        assumeTrue(path != Path.VECTOR || Learners.vectorAvailable(), "Vector API not enabled in this run");
        Trainer factor = new Trainer(network(builder(model, path).build()), new Sgd(0.05f), 4);
        Trainer dense = new Trainer(network(builder(model, path).factorise(false).build()), new Sgd(0.05f), 4);
        float[][] start = new float[4][];
        for (int l = 0; l < 4; l++) {
            start[l] = dense.network().weights(l);
        }
        Learners.run(factor, 0, 2 * STEPS, STEPS);
        Learners.run(dense, 0, 2 * STEPS, STEPS);
        for (int l = 0; l < 4; l++) {
            assertClose(change(dense, l, start[l]), change(factor, l, start[l]), 1e-5,
                    model + " " + path + " weight change of layer " + l);
        }
        Learners.run(factor, 2 * STEPS, 5, STEPS);
        for (int k = 1; k < 3; k++) {
            assertTrue(factor.network().segment(k), "updated mid-sequence: layer " + k + " in segment form");
        }
        assertTrue(factor.network().segment(3), "updated mid-sequence: the top layer in segment form");
    }

    /**
     * Depth 2, where the top layer's factor is the only one: online updates every 3 steps (each one
     * starts a segment) or every step (the second update leaves factor form), the gradients read
     * mid-segment (which applies the decayed full trace's waiting contraction), against
     * {@code factorise(false)}, in the three step forms of {@link #onlineAgainstMaterialised}.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void segmentFormGivesTheMaterialisedGradients(Path path, NeuronModel model) {
        assumeTrue(path != Path.VECTOR || Learners.vectorAvailable(), "Vector API not enabled in this run");
        for (int every : new int[] {3, 1}) {
            onlineAgainstMaterialised(NetworkConfig.builder().inputs(4).layers(6, 5).outputs(3).model(model)
                    .recurrent(true).path(path).seed(13), every, model + " " + path + " depth 2, updates every " + every);
        }
    }

    /**
     * Depths 3 and 4, where the layers below the top go on in their own segment form after an
     * update: online updates every 3 steps or every step (the second update leaves factor form),
     * the gradients read mid-segment (which applies the waiting contractions of the decayed full
     * traces), against {@code factorise(false)};
     * with the deep traces deferred (the default), updated every step ({@code deferSteps(1)}), and on
     * two step threads.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void theSegmentFormBelowTheTopGivesTheMaterialisedGradients(Path path, NeuronModel model) {
        assumeTrue(path != Path.VECTOR || Learners.vectorAvailable(), "Vector API not enabled in this run");
        float[] seven = {0.9f, 0.8f, 0.85f, 0.95f, 0.7f, 0.9f, 0.9f};
        for (int every : new int[] {3, 1}) {
            for (int[] widths : new int[][] {{6, 5, 7}, {6, 5, 7, 4}}) {
                onlineAgainstMaterialised(NetworkConfig.builder().inputs(4).layers(widths).outputs(3).model(model)
                        .recurrent(true).path(path).seed(17), every,
                        model + " " + path + " depth " + widths.length + ", updates every " + every);
            }
            // Layers with per-neuron decays have no factor form: the top at depth 3 (so no top
            // segment and nothing deferred), the layer below the top at depth 4 (so layer 1's
            // segment feeds a materialised trace above it).
            onlineAgainstMaterialised(NetworkConfig.builder().inputs(4).layers(6, 5, 7).outputs(3).model(model)
                    .recurrent(true).path(path).seed(19).alphaPerNeuron(2, seven), every,
                    model + " " + path + " depth 3, per-neuron decays on top, updates every " + every);
            onlineAgainstMaterialised(NetworkConfig.builder().inputs(4).layers(6, 5, 7, 4).outputs(3).model(model)
                    .recurrent(true).path(path).seed(19).alphaPerNeuron(2, seven), every,
                    model + " " + path + " depth 4, per-neuron decays on layer 2, updates every " + every);
        }
    }

    /** Forty steps of {@code b}'s network in three step forms and with {@code factorise(false)}, updated every {@code every} steps. */
    private static void onlineAgainstMaterialised(NetworkConfig.Builder b, int every, String what) {
        DeepEpropNetwork dense = network(b.factorise(false).build());
        int depth = dense.config().depth();
        b.factorise(true);
        DeepEpropNetwork[] factor = {network(b.build()), network(b.deferSteps(1).build()),
            new DeepEpropNetwork(b.deferSteps(NetworkConfig.DEFAULT_DEFER_STEPS).threads(2).build(), 0)};
        Learners.drive(factor[2]);
        String[] form = {"deferred", "every step", "two threads"};
        for (long t = 0; t < 40; t++) {
            steps(dense, t, t + 1);
            for (DeepEpropNetwork f : factor) {
                steps(f, t, t + 1);
            }
            for (int v = 0; v < factor.length && t % 7 == 4; v++) {
                for (int l = 0; l < depth; l++) {
                    assertClose(dense.gradient(l), factor[v].gradient(l), 1e-5,
                            what + ", " + form[v] + ": layer " + l + " after step " + t);
                }
            }
            if (t % every == every - 1) {
                dense.applyGradients(new Sgd(0.05f));
                for (DeepEpropNetwork f : factor) {
                    f.applyGradients(new Sgd(0.05f));
                    // A new segment where the layer has a factor form, unless the change came one
                    // step into the last one: then the materialised form for the rest of the sequence.
                    for (int k = 1; k < depth; k++) {
                        boolean segment = f.config().factorised(k) && (every > 1 || t == 0);
                        assertTrue(f.factored(k) == segment && f.segment(k) == segment && f.segmentPower(k) == 1f,
                                what + ": layer " + k + " after the update at step " + t);
                    }
                }
            }
        }
        for (int v = 0; v < factor.length; v++) {
            for (int l = 0; l < depth; l++) {
                assertClose(dense.weights(l), factor[v].weights(l), 1e-5, what + ", " + form[v] + ": weights of layer " + l);
            }
            factor[v].resetState();
            for (int k = 1; k < depth; k++) {
                assertTrue(!factor[v].segment(k) && factor[v].factored(k) == factor[v].config().factorised(k),
                        what + ": a new sequence returns layer " + k + " to plain factor form");
            }
        }
        factor[2].close();
    }

    /**
     * In factor form only a trace's factor rows are live, so a new sequence clears only those,
     * unless a weight change or a checkpoint wrote the whole trace: then every float must be
     * cleared again.
     */
    @Test
    void aNewSequenceClearsTracesThatWereWrittenOut() throws IOException {
        Trainer trainer = new Trainer(network(builder(NeuronModel.LEAKY_TANH, Path.SCALAR).build()), new Sgd(0.05f), 4);
        Learners.run(trainer, 0, 10, 20);
        DeepEpropNetwork net = trainer.network();
        assertTrue(net.segment(1), "online updates wrote layer 1's adjacent trace out (segment form)");
        Layer below = net.layerArrays(0);
        boolean writtenBeyondFactor = false;
        for (int i = below.theta; i < below.up[0].length; i++) {
            writtenBeyondFactor |= below.up[0][i] != 0f;
        }
        assertTrue(writtenBeyondFactor, "the written-out trace holds values beyond its factor rows");
        java.nio.file.Path file = dir.resolve("written-out.ckpt");
        Checkpoint.save(trainer, file);
        DeepEpropNetwork loaded = Checkpoint.load(file).trainer().network();
        loaded.resetState();
        assertTracesCleared(loaded, "a network loaded from a checkpoint");
        for (int sequence = 0; sequence < 2; sequence++) {
            net.resetState();
            assertTracesCleared(net, "sequence " + sequence);
            Learners.run(trainer, 20, 3, 20);
        }
    }

    private static void assertTracesCleared(DeepEpropNetwork net, String what) {
        for (int l = 0; l < net.config().depth(); l++) {
            float[][] up = net.layerArrays(l).up;
            for (int d = 0; d < up.length; d++) {
                for (int i = 0; i < up[d].length; i++) {
                    assertTrue(Float.floatToRawIntBits(up[d][i]) == 0,
                            what + ": T^{" + (l + d + 1) + "<-" + l + "}[" + i + "] after a new sequence: " + up[d][i]);
                }
            }
            SegmentForm form = net.segmentArrays(l);
            if (form != null) {
                assertFalse(form.active(), what + ": layer " + l + " left segment form");
                float[][] arrays = java.util.stream.Stream.concat(java.util.stream.Stream.of(form.factor),
                        java.util.Arrays.stream(form.mix)).toArray(float[][]::new);
                for (float[] a : arrays) {
                    for (float v : a) {
                        assertTrue(Float.floatToRawIntBits(v) == 0, what + ": layer " + l + "'s segment arrays cleared: " + v);
                    }
                }
            }
        }
    }

    /** Saved mid-segment (online updates every 4 steps), the learner resumes bit for bit. */
    @Test
    void aCheckpointInSegmentFormResumesBitIdentically() throws IOException {
        Trainer original = new Trainer(network(builder(NeuronModel.LEAKY_TANH, Path.SCALAR).build()), new Sgd(0.05f), 4);
        Learners.run(original, 0, 10, 20);
        assertTrue(original.network().segment(3) && original.network().segmentPower(3) < 1, "mid-segment");
        for (int k = 1; k < 3; k++) {
            assertTrue(original.network().segment(k) && original.network().segmentPower(k) < 1, "layer " + k + " mid-segment");
        }
        java.nio.file.Path file = dir.resolve("segment.ckpt");
        Checkpoint.save(original, file);
        Trainer copy = Checkpoint.load(file).trainer();
        assertTrue(copy.network().segment(3) && copy.network().segment(1) && copy.network().segment(2), "restored in segment form");
        Learners.assertSameLearner(original, copy);
        Learners.run(original, 10, 25, 20);
        Learners.run(copy, 10, 25, 20);
        Learners.assertSameLearner(original, copy);
    }

    private static float[] change(Trainer trainer, int layer, float[] start) {
        float[] w = trainer.network().weights(layer);
        for (int i = 0; i < w.length; i++) {
            w[i] -= start[i];
        }
        return w;
    }

    /** Saved mid-sequence in factor form, the learner resumes bit for bit. */
    @Test
    void aCheckpointInFactorFormResumesBitIdentically() throws IOException {
        Trainer original = new Trainer(network(builder(NeuronModel.LEAKY_TANH, Path.SCALAR).build()), new Sgd(0.05f), 0);
        Learners.run(original, 0, 9, 20);
        assertTrue(original.network().traced() && original.network().factored(3), "mid-sequence, factor form");
        java.nio.file.Path file = dir.resolve("factor.ckpt");
        Checkpoint.save(original, file);
        Trainer copy = Checkpoint.load(file).trainer();
        Learners.assertSameLearner(original, copy);
        Learners.run(original, 9, 25, 20);
        Learners.run(copy, 9, 25, 20);
        Learners.assertSameLearner(original, copy);
    }

    /** A network that cannot hold a factor form refuses one from a restored file. */
    @Test
    void perNeuronDecaysHaveNoFactorForm() {
        DeepEpropNetwork net = new DeepEpropNetwork(builder(NeuronModel.LEAKY_TANH, Path.SCALAR)
                .alphaPerNeuron(2, 0.9f, 0.8f, 0.85f, 0.95f, 0.7f, 0.9f, 0.9f).build());
        assertTrue(net.factored(1) && !net.factored(2) && net.factored(3));
        boolean[] flags = {false, true, true, true};
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> net.restoreFactorForm(true, flags, new boolean[4], ONES));
        assertTrue(e.getMessage().startsWith("factor form of layer 2: got true, expected false"), e.getMessage());
        assertArrayEquals(new boolean[] {false, true, false, true},
                new boolean[] {net.factored(0), net.factored(1), net.factored(2), net.factored(3)}, "unchanged");
        DeepEpropNetwork dense = new DeepEpropNetwork(builder(NeuronModel.LEAKY_TANH, Path.SCALAR).factorise(false).build());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> dense.restoreFactorForm(true, new boolean[4], new boolean[] {false, false, false, true},
                        new float[] {1f, 1f, 1f, 0.5f}));
        assertTrue(e.getMessage().startsWith("segment form of layer 3: got true, expected false"), e.getMessage());
    }
}
