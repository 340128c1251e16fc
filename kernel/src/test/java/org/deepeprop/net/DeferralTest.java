package org.deepeprop.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.train.Sgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The top layer's deferred terms ({@link GradientBuffer}, {@link FactorBuffer}, {@link DeepBuffer},
 * {@link AlifBuffer}, {@link ChainBuffer}) give the gradients of applying every step's own: with
 * reads of partly filled buffers, steps without a target, new sequences and an update mid-sequence
 * (which materialises the factor form until the next sequence) all at step counts that are not
 * multiples of {@link NetworkConfig#DEFAULT_DEFER_STEPS}. The reads at 7 and 15 start buffers whose
 * traces are not zero, so the terms in the old traces count; the sequence from step 50 fills a
 * buffer in factor form. The reference is a network built with {@code deferSteps(1)}, which applies
 * every step's own.
 */
class DeferralTest {

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Path path : new Path[] {Path.SCALAR, Path.VECTOR}) {
            for (NeuronModel model : new NeuronModel[] {NeuronModel.LEAKY_TANH, NeuronModel.LIF, NeuronModel.ALIF}) {
                for (int depth = 1; depth <= 5; depth++) {
                    cases.add(Arguments.of(path, model, depth));
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1} depth {2}")
    @MethodSource("cases")
    void deferredTermsGiveThePerStepGradients(Path path, NeuronModel model, int depth) {
        assumeTrue(path != Path.VECTOR || Learners.vectorAvailable(), "Vector API not enabled in this run");
        int[] widths = java.util.Arrays.copyOf(new int[] {6, 9, 7, 5, 8}, depth);
        NetworkConfig.Builder builder = NetworkConfig.builder().inputs(5).layers(widths).outputs(3).model(model)
                .recurrent(true).path(path).seed(5);
        NetworkConfig config = builder.build();
        DeepEpropNetwork deferred = new DeepEpropNetwork(config);
        DeepEpropNetwork plain = new DeepEpropNetwork(builder.deferSteps(1).build());
        Learners.drive(deferred);
        Learners.drive(plain);
        for (int t = 0; t < 100; t++) {
            if (t == 23 || t == 50) {
                deferred.resetState();
                plain.resetState();
            }
            if (t == 41) {
                deferred.applyGradients(new Sgd(0.05f));
                plain.applyGradients(new Sgd(0.05f));
            }
            float[] x = Learners.input(model, t, config.inputs());
            float[] target = t % 6 == 5 ? null : Learners.target(t, config.outputs());
            deferred.step(x, target);
            plain.step(x, target);
            // 50..99 holds a full buffer and a partial one.
            if (t == 7 || t == 15 || t == 22 || t == 40 || t == 99) {
                for (int l = 0; l < depth; l++) {
                    String what = model + " " + path + " depth " + depth + " layer " + l + " after step " + t;
                    FactorFormTest.assertClose(plain.gradient(l), deferred.gradient(l), 1e-5, what);
                }
            }
        }
        for (int l = 0; l < depth; l++) {
            FactorFormTest.assertClose(plain.weights(l), deferred.weights(l), 1e-6, "weights of layer " + l);
        }
        assertTrue(plain.loss() > 0, "a loss accumulated");
        assertEquals(plain.loss(), deferred.loss(), 1e-6 * plain.loss(), "the loss after the update");
    }
    /**
     * Online learning, an update after every step: each flush then holds one step, which the
     * gradient buffer adds as a rank-1 row pass instead of a product.
     */
    @ParameterizedTest(name = "{0} {1} depth {2}")
    @MethodSource("cases")
    void updatesEveryStepGiveThePerStepWeights(Path path, NeuronModel model, int depth) {
        assumeTrue(path != Path.VECTOR || Learners.vectorAvailable(), "Vector API not enabled in this run");
        assumeTrue(depth <= 3, "depths 1-3 cover the buffers a one-step flush reaches");
        int[] widths = java.util.Arrays.copyOf(new int[] {6, 9, 7}, depth);
        NetworkConfig.Builder builder = NetworkConfig.builder().inputs(5).layers(widths).outputs(3).model(model)
                .recurrent(true).path(path).seed(9);
        NetworkConfig config = builder.build();
        DeepEpropNetwork deferred = new DeepEpropNetwork(config);
        DeepEpropNetwork plain = new DeepEpropNetwork(builder.deferSteps(1).build());
        Learners.drive(deferred);
        Learners.drive(plain);
        float[] before = plain.weights(0);
        for (int t = 0; t < 40; t++) {
            float[] x = Learners.input(model, t, config.inputs());
            float[] target = Learners.target(t, config.outputs());
            deferred.step(x, target);
            plain.step(x, target);
            deferred.applyGradients(new Sgd(0.02f));
            plain.applyGradients(new Sgd(0.02f));
        }
        for (int l = 0; l < depth; l++) {
            FactorFormTest.assertClose(plain.weights(l), deferred.weights(l), 1e-6, model + " " + path + " layer " + l);
        }
        assertTrue(!java.util.Arrays.equals(before, plain.weights(0)), "the updates moved the bottom layer's weights");
    }

    static List<Arguments> splitCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Path path : new Path[] {Path.SCALAR, Path.VECTOR}) {
            for (NeuronModel model : new NeuronModel[] {NeuronModel.LEAKY_TANH, NeuronModel.ALIF}) {
                cases.add(Arguments.of(path, model, 3));
            }
            cases.add(Arguments.of(path, NeuronModel.LEAKY_TANH, 4));
        }
        return cases;
    }

    /**
     * A deferred deep trace (LEAKY_TANH; at depth 4 also the chain below it) or adjacent ALIF trace
     * flushed by two step threads (each a range of lower neurons) gives the one-thread gradients.
     */
    @ParameterizedTest(name = "{0} {1} depth {2}")
    @MethodSource("splitCases")
    void splitFlushesGiveTheOneThreadGradients(Path path, NeuronModel model, int depth) {
        assumeTrue(path != Path.VECTOR || Learners.vectorAvailable(), "Vector API not enabled in this run");
        NetworkConfig.Builder builder = NetworkConfig.builder().inputs(5)
                .layers(java.util.Arrays.copyOf(new int[] {6, 9, 7, 5}, depth)).outputs(3)
                .model(model).recurrent(true).path(path).seed(5);
        DeepEpropNetwork one = new DeepEpropNetwork(builder.build());
        DeepEpropNetwork two = new DeepEpropNetwork(builder.threads(2).build(), 0);
        Learners.drive(one);
        Learners.drive(two);
        for (int t = 0; t < 40; t++) {
            float[] x = Learners.input(model, t, 5);
            one.step(x, Learners.target(t, 3));
            two.step(x, Learners.target(t, 3));
        }
        two.close();
        for (int l = 0; l < depth; l++) {
            FactorFormTest.assertClose(one.gradient(l), two.gradient(l), 1e-6, path + " " + model + " layer " + l);
        }
    }
}
