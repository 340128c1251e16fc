package org.deepeprop.jmh;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.deepeprop.net.DeepEpropNetwork;
import org.deepeprop.net.NetworkConfig;
import org.deepeprop.net.Path;
import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.train.Optimizer;

/**
 * One network with its seeded input sequence, stepped the same way by every step benchmark and by
 * the latency harness, so their numbers describe the same work.
 *
 * <p>The network has {@code depth} layers of {@code width} neurons, input width {@code width}
 * ("width N everywhere", as in SPEC.md section 5) and {@value #OUTPUTS} outputs. Inputs and targets
 * are a fixed random sequence of {@value #SEQUENCE} steps with a target at every step; at the end
 * of each sequence the state is reset and the gradients zeroed, as in training on sequences, so
 * spiking activity stays that of a fresh run and the accumulated gradients stay small.
 */
final class StepFixture {
    /** Readout width. */
    static final int OUTPUTS = 8;
    /** Steps per sequence: the state is reset after this many. */
    static final int SEQUENCE = 1000;
    /**
     * Trace memory above which a configuration is refused: keeps every network well inside the
     * forks' 2 GiB heap. It refuses 5 of the 120 step configurations, all at width 256 and depth 3
     * or 4; the largest accepted ones still take seconds per step on the scalar path.
     */
    static final long TRACE_BUDGET_BYTES = 512L << 20;
    /**
     * Inputs are N(0, 1) times this: with N(0, 1 / fan-in) weights the bottom layer's currents then
     * have a standard deviation of about 3-4, so tanh units use their whole range and LIF units fire.
     */
    static final float INPUT_SCALE = 4f;
    /**
     * Spiking models only: gain on the initial weights of every layer above the first, and the bias
     * of every neuron in units of {@code v_th}. With the engine's N(0, 1 / fan-in) weights and no
     * bias, sparse spikes from below cannot reach threshold and every layer above the first stays
     * silent; with these two values every layer of a 3 x 64 network (LIF and ALIF, recurrent or
     * not) fires at 2-8% of steps, a typical rate for spiking networks.
     */
    static final float SPIKING_GAIN = 4f;
    static final float SPIKING_BIAS = 0.9f;
    /** Steps compared between the vector network and its scalar twin before timing. */
    static final int CHECK_STEPS = 3;

    private final DeepEpropNetwork net;
    /** The weights after construction, every layer's and then the readout's: online runs restart from them. */
    private final float[][] initial;
    private final float[][] xs;
    private final float[][] ys;
    private int t;

    private StepFixture(NetworkConfig config) {
        String refusal = refusal(config);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        net = new DeepEpropNetwork(config);
        if (config.model().spiking()) {
            excite(config);
        }
        initial = new float[config.depth() + 2][];
        for (int l = 0; l < config.depth(); l++) {
            initial[l] = net.weights(l);
        }
        initial[config.depth()] = net.readoutWeights();
        initial[config.depth() + 1] = net.readoutBias();
        SplittableRandom rng = new SplittableRandom(BenchData.SEED);
        xs = new float[SEQUENCE][config.inputs()];
        ys = new float[SEQUENCE][OUTPUTS];
        for (int s = 0; s < SEQUENCE; s++) {
            for (int i = 0; i < xs[s].length; i++) {
                xs[s][i] = (float) rng.nextGaussian() * INPUT_SCALE;
            }
            for (int o = 0; o < OUTPUTS; o++) {
                ys[s][o] = (float) rng.nextGaussian();
            }
        }
    }

    /** Applies {@link #SPIKING_GAIN} and {@link #SPIKING_BIAS}. */
    private void excite(NetworkConfig config) {
        for (int l = 0; l < config.depth(); l++) {
            float[] w = net.weights(l);
            int pre = config.presynaptic(l);
            for (int j = 0; j < config.width(l); j++) {
                for (int i = 0; i < pre - 1; i++) {
                    w[j * pre + i] *= l == 0 ? 1f : SPIKING_GAIN;
                }
                w[j * pre + pre - 1] = SPIKING_BIAS * config.vTh();
            }
            net.setWeights(l, w);
        }
    }

    /**
     * The configuration of a step benchmark from its parameters.
     *
     * @param model {@code leaky_tanh}, {@code lif} or {@code alif}
     * @param path {@code scalar} or {@code vector}
     */
    static NetworkConfig config(int depth, int width, String model, boolean recurrent, String path) {
        return config(depth, width, model, recurrent, path, 1);
    }

    /** As above, with {@code threads} step threads (the network's own workers split the traces). */
    static NetworkConfig config(int depth, int width, String model, boolean recurrent, String path, int threads) {
        return config(depth, width, model, recurrent, path, threads, NetworkConfig.DEFAULT_DEFER_STEPS);
    }

    /** As above, deferring the top layer's terms over {@code deferSteps} steps (1: none). */
    static NetworkConfig config(int depth, int width, String model, boolean recurrent, String path, int threads,
                                int deferSteps) {
        int[] widths = new int[depth];
        Arrays.fill(widths, width);
        return NetworkConfig.builder()
                .inputs(width)
                .layers(widths)
                .outputs(OUTPUTS)
                .model(NeuronModel.parse(model))
                .recurrent(recurrent)
                .path(parsePath(path))
                .seed(BenchData.SEED)
                .threads(threads)
                .deferSteps(deferSteps)
                .build();
    }

    private static Path parsePath(String path) {
        return switch (path) {
            case "scalar" -> Path.SCALAR;
            case "vector" -> Path.VECTOR;
            default -> throw new IllegalArgumentException("path: got \"" + path + "\", expected scalar or vector");
        };
    }

    /** Why {@code config} is not benchmarked (its traces exceed the budget), or {@code null} if it is. */
    static String refusal(NetworkConfig config) {
        long bytes = 4 * config.traceFloats();
        if (bytes <= TRACE_BUDGET_BYTES) {
            return null;
        }
        return "not benchmarked: " + config + " keeps " + (bytes >> 20) + " MiB of traces, more than the "
                + (TRACE_BUDGET_BYTES >> 20) + " MiB budget of the step benchmarks (StepFixture.TRACE_BUDGET_BYTES)";
    }

    /**
     * A fixture for the parameters; on the vector path it first checks, on a few steps, that the
     * vector network computes what its scalar twin computes.
     *
     * @throws IllegalArgumentException if the configuration is refused or does not fit in the heap
     * @throws IllegalStateException if the vector and scalar networks disagree
     */
    static StepFixture create(int depth, int width, String model, boolean recurrent, String path) {
        return create(depth, width, model, recurrent, path, 1);
    }

    /** As above, with {@code threads} step threads; the scalar twin is single-threaded. */
    static StepFixture create(int depth, int width, String model, boolean recurrent, String path, int threads) {
        return create(depth, width, model, recurrent, path, threads, NetworkConfig.DEFAULT_DEFER_STEPS);
    }

    /** As above, deferring over {@code deferSteps} steps (the scalar twin too). */
    static StepFixture create(int depth, int width, String model, boolean recurrent, String path, int threads,
                              int deferSteps) {
        NetworkConfig config = config(depth, width, model, recurrent, path, threads, deferSteps);
        if (!path.equals("vector") && threads == 1) {
            return new StepFixture(config);
        }
        // The twin runs first and is dropped before the measured network exists: one network in memory at a time.
        NetworkConfig twin = config(depth, width, model, recurrent, "scalar", 1, deferSteps);
        float[][] reference = new StepFixture(twin).checkRun();
        StepFixture fixture = new StepFixture(config);
        float[][] got = fixture.checkRun();
        for (int i = 0; i < reference.length; i++) {
            assertClose(config + ": " + (i < depth ? "gradient of layer " + i : "losses"), reference[i], got[i]);
        }
        fixture.newSequence();
        return fixture;
    }

    /** Stops the network's worker threads, if it has any. */
    void close() {
        net.close();
    }

    /** The losses and every layer's gradient after {@link #CHECK_STEPS} steps. */
    private float[][] checkRun() {
        float[][] result = new float[net.config().depth() + 1][];
        float[] losses = new float[CHECK_STEPS];
        for (int i = 0; i < CHECK_STEPS; i++) {
            losses[i] = advance();
        }
        for (int l = 0; l < net.config().depth(); l++) {
            result[l] = net.gradient(l);
        }
        result[result.length - 1] = losses;
        return result;
    }

    /**
     * Relative error over the whole array: reassociated sums in the vector path may move single
     * elements that are nearly zero by more than their own size, so an element-wise test would be
     * too strict.
     */
    private static void assertClose(String what, float[] expected, float[] actual) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += Math.pow(actual[i] - (double) expected[i], 2);
            norm += Math.pow(expected[i], 2);
        }
        double rel = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
        if (!(rel <= 1e-3)) {
            throw new IllegalStateException(what + ": vector and scalar paths disagree after " + CHECK_STEPS
                    + " steps (relative error " + rel + ", expected <= 1e-3)");
        }
    }

    /** Steps once on the next input of the sequence; does not reset at the end of it. */
    float advance() {
        float loss = net.step(xs[t], ys[t]);
        t++;
        return loss;
    }

    /** Whether the sequence is finished, so {@link #newSequence()} is due. */
    boolean sequenceEnded() {
        return t == SEQUENCE;
    }

    /** Back to the first input, with the network's state reset and its gradients zeroed. */
    void newSequence() {
        t = 0;
        net.resetState();
        net.zeroGradients();
    }

    /** One online step; every {@value #SEQUENCE} steps a new sequence starts, its reset amortised over them. */
    float step() {
        float loss = advance();
        if (sequenceEnded()) {
            newSequence();
        }
        return loss;
    }

    /**
     * One online step and, after every {@code every}-th step of the sequence, an update by
     * {@code optimizer}; a new sequence also restores the initial weights (amortised, about 0.1%).
     */
    float onlineStep(Optimizer optimizer, int every) {
        float loss = advance();
        if (t % every == 0) {
            net.applyGradients(optimizer);
        }
        if (sequenceEnded()) {
            int depth = net.config().depth();
            for (int l = 0; l < depth; l++) {
                net.setWeights(l, initial[l]);
            }
            net.setReadout(initial[depth], initial[depth + 1]);
            newSequence();
        }
        return loss;
    }

    /** A whole sequence of {@code length} steps from a fresh state ({@code length <= SEQUENCE}). */
    float sequence(int length) {
        newSequence();
        float loss = 0;
        for (int i = 0; i < length; i++) {
            loss += advance();
        }
        return loss;
    }
}
