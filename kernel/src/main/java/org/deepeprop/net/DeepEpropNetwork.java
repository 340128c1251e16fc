package org.deepeprop.net;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.deepeprop.neuron.NeuronLayer;
import org.deepeprop.simd.TraceOps;
import org.deepeprop.simd.TraceOpsProvider;
import org.deepeprop.train.Optimizer;

/**
 * A deep e-prop learner: a stack of recurrent layers with a linear readout whose weights of every
 * layer receive online gradients from the top layer's learning signal (SPEC.md section 3).
 *
 * <p>One call to {@link #step} per time step runs the forward pass, the neuron partials, the
 * terminal traces, the hierarchical traces bottom-up, the learning signal and the gradient
 * accumulation, and allocates nothing. Gradients accumulate until {@link #zeroGradients()} or
 * {@link #applyGradients}; {@link #resetState()} starts a new sequence.
 *
 * <p>Every public method validates its arguments before changing anything: a rejected call leaves
 * the network exactly as it was. Instances are <b>not thread-safe</b>; confine each network to one
 * thread (or synchronise externally). Several networks may run concurrently in one JVM.
 * The kernels a step calls ({@link TraceOps}) are stateless, so concurrent networks share nothing
 * mutable. By default a step runs entirely on the caller's thread; with
 * {@link NetworkConfig#threads()} above 1 the network owns that many minus one worker threads,
 * which only it uses, and {@link #close()} stops them.
 *
 * <p>Every step checks, in O(width), that the neuron states and the readout are still finite, and
 * every update that the gradients are; otherwise a {@link DivergenceException} names the layer and
 * the step. {@link Checkpoint} saves and restores the complete learner.
 *
 * <p>Where {@link NetworkConfig#factorised(int)} allows, adjacent traces are held in factor form; a
 * weight change within a sequence writes them out first, so the gradients are those of the
 * materialised traces in every case. The top layer's terms whose large operand is a shared row
 * (its own gradient, its factor, its deep trace fed from the factor below), and an ALIF top
 * layer's adjacent trace, are kept for up to {@link NetworkConfig#deferSteps()} steps (default 32)
 * and applied as matrix products; anything that reads or replaces gradients or traces applies them
 * first, so callers see per-step accumulation up to float rounding.
 */
public final class DeepEpropNetwork implements AutoCloseable {
    private final NetworkConfig config;
    private final TraceOps ops;
    private final Layer[] layers;
    private final int outputs;
    private final int top; // n_L

    private final float[] readout;     // W_out, n_out x n_L
    private final float[] readoutBias; // b_out
    private final float[] readoutGrad;
    private final float[] readoutBiasGrad;
    /** Explicit feedback {@code B} (n_L x n_out), or null for {@code B = W_out^T}. */
    private float[] feedback;

    private final float[] y;
    private final float[] error;
    private final float[] delta;
    /** {@code delta_m psi^L_{comp,m}}: the contraction weights of the top layer's traces. */
    private final float[] signal;
    private final float[] ones;
    private final float[] zeros;

    private double loss;
    private long steps;

    /** Worker threads when {@code config.threads() > 1}, else null. */
    private final StepWorkers workers;
    /** {@code packs[part]}: the scratch of the products run by part {@code part} (see {@link TraceOps#packFloats}). */
    private final float[][] packs;
    private final java.util.function.IntConsumer parallelPart = this::tracePart;
    /**
     * {@code split[k]}: whether layer {@code k}'s hierarchical updates run on the step threads, with
     * {@code T^{k<-k-1}} materialised; {@code splitFactored[k]} the same in factor form.
     */
    private final boolean[] split;
    private final boolean[] splitFactored;
    /**
     * {@code spareZero[k]}: the rows of {@code T^{k<-k-1}}'s array beyond its factor hold zeros. In
     * factor form only the factor rows are used, so {@link #resetState()} need not clear the rest
     * until {@link #materialise} or a checkpoint has written it: at width 256 that rest is 134 MB,
     * whose clearing took 13% of a depth-2 step at a new sequence every 1000 steps.
     */
    private final boolean[] spareZero;
    private int parallelLayer;
    private boolean parallelContract;
    /**
     * {@code splitCarry[k]}: whether layer {@code k}'s per-step product {@code c A W^{k-1}}
     * ({@link #carryProduct}) splits its rows over the step threads.
     */
    private final boolean[] splitCarry;
    private int carryLayer;
    private final java.util.function.IntConsumer carryTask = this::carryPart;
    /**
     * {@code splitForward[l]}: whether layer {@code l}'s forward product {@code W p} splits its rows
     * over the step threads, from a quarter of {@link #PARALLEL_FLOATS} weights (256 KB): each
     * thread then reads its half of {@code W} from its own L2 instead of all of it from L3. At width
     * 256 (525 KB) two threads ran the step 1.44x (depth 1) and 1.34x (depth 2) as fast as
     * without the split; at width 128 (131 KB) anywhere from 0.84x to 1.20x between runs (Zen 3,
     * 2026-11-29). Each row is computed as on one thread.
     */
    private final boolean[] splitForward;
    private Layer forwardLayer;
    private final java.util.function.IntConsumer forwardTask = this::forwardPart;
    /**
     * {@code factored[k]}: {@code T^{k<-k-1}} is held in factor form now (see {@link Layer#factorAdjacent}).
     * A weight change of layer {@code k} while the traces hold a sequence materialises it first, so
     * the traces keep exactly the contributions of the weights they were made with; the layer then
     * goes on in {@link #segments segment form}.
     */
    private final boolean[] factored;
    /** Whether a step has run since the last {@link #resetState()}: the traces may be non-zero. */
    private boolean traced;
    /**
     * {@code segments[k]}: the segment form of {@code T^{k<-k-1}} after a weight change of layer
     * {@code k} within a sequence (null where the layer has no factor form): the trace as the change
     * left it only decays from there, while a fresh factor takes the new terms. So a step stays as
     * cheap as in factor form after online updates, and the full trace costs a few passes (and,
     * below the top, one product into each deep trace above) per update instead of per step.
     */
    private final SegmentForm[] segments;
    /**
     * The top layer's deferred work (null where it does not apply, or with
     * {@link NetworkConfig#deferSteps()} 1): its own gradient terms, its factor's updates, its deep
     * trace fed from a factor, or (ALIF) its adjacent trace, applied every
     * {@link NetworkConfig#deferSteps()} steps as products and whenever anything reads them
     * ({@link #settle()}).
     */
    private final GradientBuffer topGradient;
    private final FactorBuffer topFactor;
    private final DeepBuffer topDeep;
    private final ChainBuffer topChain;
    /** Whether {@link #topChain}'s flushes run on the step threads. */
    private final boolean chainSplit;
    private final AlifBuffer topAlif;
    /** Whether {@link #topAlif}'s flushes run on the step threads. */
    private final boolean alifSplit;
    /** Whether {@link #topDeep}'s flushes run on the step threads (its trace is large enough to gain). */
    private final boolean deepSplit;
    /** The scratch of the deferred products. */
    private final float[] deferPack;

    /**
     * Builds a network with weights drawn from {@code config.seed()}: layer weights
     * {@code N(0, 1 / fan-in)}, biases 0, readout {@code N(0, 1 / n_L)}; a random feedback matrix
     * {@code N(0, 1 / n_out)} when {@link Feedback#RANDOM}.
     *
     * @throws IllegalArgumentException if the network's memory ({@link NetworkConfig#networkBytes()})
     *     does not fit in the heap that is free now
     * @throws IllegalStateException if {@link Path#VECTOR} is requested and the Vector API is not usable
     */
    public DeepEpropNetwork(NetworkConfig config) {
        this(config, PARALLEL_FLOATS);
    }

    /**
     * The hierarchical updates of a layer go to the step threads only when they cover at least this
     * many trace floats (an adjacent trace in factor form counted as its factor). Below it the parts'
     * boundaries cost more than the split saves: every trace row has a cache line both threads
     * write, and with short rows those lines are a large share of the work. At depth 3 width 32 (at
     * most 133K floats a layer) two threads took 70-79 us a step against 55 on one, each part as
     * long as the whole; at width 64 (528K and more) they gain 1.3-1.8x (Zen 5, 2026-11-28).
     */
    static final long PARALLEL_FLOATS = 1L << 18;

    /** As {@link #DeepEpropNetwork(NetworkConfig)}, splitting layers from {@code parallelFloats} trace floats up. */
    DeepEpropNetwork(NetworkConfig config, long parallelFloats) {
        checkMemory(config);
        int deferSteps = config.deferSteps();
        this.config = config;
        this.ops = switch (config.path()) {
            case SCALAR -> TraceOpsProvider.scalar();
            case AUTO -> TraceOpsProvider.get();
            case VECTOR -> TraceOpsProvider.vector().orElseThrow(() -> new IllegalStateException(
                    "path: VECTOR requested but " + TraceOpsProvider.vectorUnavailableReason()));
        };
        int depth = config.depth();
        layers = new Layer[depth];
        int widest = config.outputs();
        for (int l = 0; l < depth; l++) {
            layers[l] = new Layer(config, l, ops);
            widest = Math.max(widest, config.width(l));
        }
        outputs = config.outputs();
        top = config.width(depth - 1);
        readout = new float[outputs * top];
        readoutBias = new float[outputs];
        readoutGrad = new float[outputs * top];
        readoutBiasGrad = new float[outputs];
        y = new float[outputs];
        error = new float[outputs];
        delta = new float[top];
        signal = new float[config.model().stateDim() * top];
        ones = new float[widest];
        Arrays.fill(ones, 1f);
        zeros = new float[widest];
        initialise(new SplittableRandom(config.seed()));
        int widestInner = 0;
        for (int l = 0; l + 2 < depth; l++) {
            widestInner = Math.max(widestInner, layers[l + 1].dim * layers[l + 1].width);
        }
        packs = new float[Math.max(1, config.threads())][ops.packFloats(widestInner)];
        Layer topLayer = layers[depth - 1];
        boolean defer = deferSteps > 1;
        topGradient = defer && topLayer.factorised ? new GradientBuffer(top, topLayer.pre, deferSteps) : null;
        topFactor = defer && topLayer.factorAdjacent && layers[depth - 2].factorised
                ? new FactorBuffer(layers[depth - 2].width, layers[depth - 2].pre, top, topLayer.pre, deferSteps) : null;
        boolean deep = defer && depth >= 3 && topLayer.factorised && layers[depth - 2].factorAdjacent
                && layers[depth - 3].factorised;
        // A flush splits from 8x the step's threshold: at depth 3 width 64 (2^19 floats, in L3) two
        // threads ran it 0.81x as fast as one, at width 128 (2^22 floats) 1.17x (Zen 5, 2026-11-28).
        deepSplit = deep && config.threads() > 1 && layers[depth - 3].up[1].length >= 8 * parallelFloats;
        if (deep) {
            Layer source = layers[depth - 3];
            float[][] deepPacks = new float[deepSplit ? config.threads() : 1][ops.packFloats(deferSteps)];
            topDeep = new DeepBuffer(ops, ones, deepPacks, topLayer.neurons.decay(), layers[depth - 2].factorDecay,
                    source.up[1], source.gradient, top, source.width, source.pre, deferSteps);
        } else {
            topDeep = null;
        }
        if (defer && depth >= 4 && topLayer.factorised && layers[depth - 2].factorised
                && layers[depth - 3].factorAdjacent && layers[depth - 4].factorised) {
            Layer source = layers[depth - 4];
            int middle = layers[depth - 2].width;
            // Its flush is mostly products (the one by the middle trace has N^4 multiply-adds), so it
            // splits from the step's threshold, not from DeepBuffer's 8x.
            chainSplit = config.threads() > 1 && source.up[2].length >= parallelFloats;
            float[][] chainPacks = new float[chainSplit ? config.threads() : 1][ops.packFloats(Math.max(middle, deferSteps))];
            topChain = new ChainBuffer(ops, zeros, chainPacks,
                    topLayer.neurons.decay(), layers[depth - 2].neurons.decay(), layers[depth - 3].factorDecay,
                    source.up[2], source.up[1], source.gradient, top, middle, source.width, source.pre, deferSteps);
        } else {
            topChain = null;
            chainSplit = false;
        }
        // The flushes' products: K steps by the rows of the top layer's gradient or of the factor,
        // and the factor's contraction weights, K signals by the top layer's weights.
        int flushCols = topFactor != null ? Math.max(topLayer.pre, layers[depth - 2].pre) : topLayer.pre;
        deferPack = topGradient != null || topFactor != null ? new float[Math.max(ops.packFloats(deferSteps, flushCols),
                topFactor != null ? ops.packFloats(top) : 0)] : null;
        if (defer && depth >= 2 && topLayer.dim == 2) {
            Layer below = layers[depth - 2];
            alifSplit = config.threads() > 1 && below.up[0].length >= 8 * parallelFloats;
            float[][] alifPacks = new float[alifSplit ? config.threads() : 1][ops.packFloats(deferSteps)];
            topAlif = new AlifBuffer(ops, ones, alifPacks, topLayer.neurons.decay(), below.up[0], below.gradient,
                    top, below.width, below.pre, deferSteps);
        } else {
            topAlif = null;
            alifSplit = false;
        }
        split = new boolean[depth];
        spareZero = new boolean[depth];
        splitFactored = new boolean[depth];
        splitCarry = new boolean[depth];
        boolean any = false;
        for (int k = 1; k < depth; k++) {
            long floats = 0;
            for (int l = 0; l < k; l++) {
                floats += layers[l].up[k - l - 1].length;
            }
            if (alifDeferred(k)) {
                floats -= layers[k - 1].up[0].length;
            }
            long factor = floats - layers[k - 1].up[0].length + (deferred(k) ? 0 : layers[k - 1].theta)
                    - (deepDeferrable(k) ? layers[k - 2].up[1].length : 0)
                    - (chainDeferrable(k) ? layers[k - 3].up[2].length : 0)
                    - (chainDeferrable(k + 1) ? layers[k - 2].up[1].length : 0);
            split[k] = config.threads() > 1 && floats >= parallelFloats;
            splitFactored[k] = config.threads() > 1 && factor >= parallelFloats;
            // From 4x the threshold in multiply-adds, width 128 at depth 3 (2^21) and not 64 (2^18),
            // where two threads ran the whole step slower than one on the Zen 3 of 2026-11-29.
            splitCarry[k] = config.threads() > 1 && k >= 2
                    && (long) layers[k].width * layers[k - 1].dim * layers[k - 1].width * layers[k - 2].width
                    >= 4 * parallelFloats;
            any |= split[k] || splitCarry[k];
        }
        any |= deepSplit || alifSplit || chainSplit;
        splitForward = new boolean[depth];
        for (int l = 0; l < depth; l++) {
            splitForward[l] = config.threads() > 1 && (long) layers[l].width * layers[l].pre >= parallelFloats / 4;
            any |= splitForward[l];
        }
        workers = any ? new StepWorkers(config.threads(), "deep-eprop-step") : null;
        segments = new SegmentForm[depth];
        for (int s = 1; s < depth; s++) {
            if (layers[s].factorAdjacent) {
                segments[s] = new SegmentForm(ops, ones, packs, workers, layers[s - 1], layers[s].width,
                        config.widthsAbove(s));
            }
        }
        factored = new boolean[depth];
        startFactorForm();
    }

    /** Whether layer {@code k}'s factor, while it has one, is updated by {@link #topFactor}. */
    private boolean deferred(int k) {
        return k == layers.length - 1 && topFactor != null;
    }

    /** Whether {@code T^{k<-k-2}}, while the layer below holds a factor, is updated by {@link #topDeep}. */
    private boolean deepDeferrable(int k) {
        return k == layers.length - 1 && topDeep != null;
    }

    /**
     * Whether {@code k} is the top layer and {@link #topChain} updates its {@code T^{k<-k-3}} and
     * the middle trace {@code T^{k-1<-k-3}} while layer {@code k-2} holds a factor (for the layer
     * below the top, ask with {@code k + 1}).
     */
    private boolean chainDeferrable(int k) {
        return k == layers.length - 1 && topChain != null;
    }

    /** Whether {@code T^{k<-k-1}} (ALIF) is updated by {@link #topAlif}. */
    private boolean alifDeferred(int k) {
        return k == layers.length - 1 && topAlif != null;
    }

    /**
     * Every layer that can hold its adjacent trace in factor form does, from an empty sequence on,
     * with the rest of that trace's array zero, and none is in segment form.
     */
    private void startFactorForm() {
        for (int k = 0; k < layers.length; k++) {
            factored[k] = layers[k].factorAdjacent;
            spareZero[k] = layers[k].factorAdjacent;
        }
        for (SegmentForm form : segments) {
            if (form != null) {
                form.clear();
            }
        }
    }

    /**
     * Stops this network's worker threads (started when {@link NetworkConfig#threads()} is above 1);
     * a no-op otherwise. The deferred terms are applied first, so gradients and traces stay
     * readable; the network cannot step afterwards if it had workers.
     */
    @Override
    public void close() {
        if (workers != null) {
            settle(); // a flush may need the workers
            workers.close();
        }
    }

    /**
     * Refuses a configuration whose memory will not fit, before anything is allocated.
     *
     * @throws IllegalArgumentException with the bytes needed and the bytes available
     */
    public static void checkMemory(NetworkConfig config) {
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long needed = config.networkBytes();
        if (needed > available) {
            throw new IllegalArgumentException("memory: " + config + " needs " + needed + " bytes ("
                    + (needed >> 20) + " MiB, of which traces " + (4 * config.traceFloats() >> 20)
                    + " MiB), but only " + available + " bytes (" + (available >> 20)
                    + " MiB) of heap are free; raise -Xmx or shrink the network");
        }
    }

    private void initialise(SplittableRandom rng) {
        for (Layer layer : layers) {
            double scale = 1 / Math.sqrt(layer.pre - 1);
            for (int j = 0; j < layer.width; j++) {
                for (int i = 0; i < layer.pre - 1; i++) {
                    layer.weights[j * layer.pre + i] = (float) (rng.nextGaussian() * scale);
                }
            }
        }
        double scale = 1 / Math.sqrt(top);
        for (int i = 0; i < readout.length; i++) {
            readout[i] = (float) (rng.nextGaussian() * scale);
        }
        if (config.feedback() == Feedback.RANDOM) {
            feedback = new float[top * outputs];
            double fScale = 1 / Math.sqrt(outputs);
            for (int i = 0; i < feedback.length; i++) {
                feedback[i] = (float) (rng.nextGaussian() * fScale);
            }
        }
    }

    /**
     * One time step: forward through the layers, neuron partials, terminal traces, hierarchical
     * traces bottom-up, and (when {@code target} is given) the learning signal and gradient
     * accumulation. Allocates nothing.
     *
     * @param x the input {@code x_t}, {@code inputs()} finite values
     * @param target the target {@code y*_t} ({@code outputs()} finite values), or {@code null} for a
     *     step without a loss term (the traces still advance)
     * @return this step's loss {@code 1/2 ||y_t - y*_t||^2}, or 0 without a target
     * @throws IllegalArgumentException on a wrong length or a non-finite value; nothing changes then
     * @throws DivergenceException if a neuron state or the readout is no longer finite after the step
     *     (naming the layer and the step); the network's state is then unusable
     */
    public float step(float[] x, float[] target) {
        checkVector("x", x, config.inputs());
        if (target != null) {
            checkVector("target", target, outputs);
        }
        traced = true;
        float[] below = x;
        int last = layers.length - 1;
        float stepLoss = 0f;
        for (int l = 0; l <= last; l++) {
            Layer layer = layers[l];
            forward(l, below);
            terminalTraces(layer);
            if (l == last) {
                // The learning signal is known once z^L_t is: the top layer's hierarchical traces
                // are then contracted into the gradients in the same pass that updates them.
                stepLoss = readout(target);
            }
            if (l > 0) {
                hierarchicalTraces(l, l == last && target != null);
            }
            below = layer.z;
        }
        steps++;
        if (target != null) {
            loss += stepLoss;
            topGradients();
        }
        if (topFactor != null && topFactor.full()) {
            flushFactor();
        }
        if (topDeep != null && topDeep.full()) {
            flushDeep();
        }
        if (topAlif != null && topAlif.full()) {
            flushAlif();
        }
        if (topChain != null && topChain.full()) {
            flushChain();
        }
        checkFinite();
        return stepLoss;
    }

    /** {@code y = W_out z^L + b_out}; with a target, the error, the loss and {@code delta = B e}. */
    private float readout(float[] target) {
        float[] zTop = layers[layers.length - 1].z;
        ops.gemv(readout, 0, outputs, top, zTop, 0, y, 0);
        for (int o = 0; o < outputs; o++) {
            y[o] += readoutBias[o];
        }
        if (target == null) {
            return 0f;
        }
        float stepLoss = 0f;
        for (int o = 0; o < outputs; o++) {
            error[o] = y[o] - target[o];
            stepLoss += 0.5f * error[o] * error[o];
        }
        learningSignal();
        return stepLoss;
    }

    /** {@code p = [z^{l-1}_t ; z^l_{t-1} ; 1]}, {@code I = W p}, then the neurons. */
    private void forward(int l, float[] below) {
        Layer layer = layers[l];
        System.arraycopy(below, 0, layer.p, 0, layer.inputWidth);
        if (config.recurrent()) {
            System.arraycopy(layer.z, 0, layer.p, layer.inputWidth, layer.width);
        }
        if (splitForward[l]) {
            forwardLayer = layer;
            workers.run(forwardTask);
        } else {
            ops.gemv(layer.weights, 0, layer.width, layer.pre, layer.p, 0, layer.current, 0);
        }
        layer.neurons.step(layer.current, layer.z);
    }

    /** Part {@code part} of {@link #forwardLayer}'s {@code W p}: a range of its rows. */
    private void forwardPart(int part) {
        Layer layer = forwardLayer;
        int m0 = StepWorkers.start(layer.width, part, workers.parts());
        int m1 = StepWorkers.start(layer.width, part + 1, workers.parts());
        ops.gemv(layer.weights, m0 * layer.pre, m1 - m0, layer.pre, layer.p, 0, layer.current, m0);
    }

    /** {@code E[:, j, :] = D_j E[:, j, :] + c_j p} (SPEC.md section 3), and for d = 2 the sensitivities. */
    private void terminalTraces(Layer layer) {
        NeuronLayer nl = layer.neurons;
        int n = layer.width;
        int pre = layer.pre;
        if (layer.factorised) {
            ops.decayAxpy(layer.trace, 0, nl.decay()[0], nl.inject()[0], layer.p, 0, pre);
        } else if (layer.dim == 1) {
            ops.decayRows(layer.trace, 0, n, pre, nl.decay(), 0, nl.inject(), 0, layer.p, 0, 0);
        } else {
            ops.adaptiveRows(layer.trace, 0, layer.theta, layer.sensitivity, n, pre, nl.decay(), nl.inject(), layer.p,
                    nl.adaptDecay(), nl.cross(), nl.psi(), nl.psiAdapt());
        }
    }

    /**
     * {@code T^{k<-l}} for {@code k = this layer} and every {@code l} below: the adjacent update
     * from the layer just below, the deep product for the others. All reuse one coefficient matrix
     * {@code A[m, n] = c_m W[m, n] psi^{k-1}_n}. For the top layer with a target ({@code contract}),
     * each update also adds {@code sum_m delta_m psi_m T^{L<-l}[m, :]} to {@code G^l}.
     *
     * <p>With worker threads, each part owns a fixed range of every layer's lower neurons {@code j},
     * so the same columns of every {@code T^{k<-l}} and of {@code G^l}, step after step: a part
     * only ever reads trace columns it wrote itself (the product's operand {@code T^{k-1<-l}}
     * included), and each element of {@code G^l} is added up by one thread in the single-threaded
     * order. Splitting the rows {@code m} instead made every product read columns the other core had
     * just written, and two cores were no faster than one at depth 3, width 64.
     */
    private void hierarchicalTraces(int k, boolean contract) {
        Layer layer = layers[k];
        Layer below = layers[k - 1];
        NeuronLayer nk = layer.neurons;
        if (segment(k)) {
            segments[k].decay(layer.factorDecay[0]);
            if (contract && k == layers.length - 1) {
                segments[k].contractSelf(signal);
            }
        }
        int n = layer.width;
        int nb = below.width;
        int inner = below.dim * nb;
        // In factor form or deferred the adjacent update needs no A; only the products above layer 1 use it.
        if (k >= 2 || !factored[k] && !alifDeferred(k)) {
            for (int m = 0; m < n; m++) {
                float cm = nk.inject()[m];
                int row = m * layer.pre;
                if (below.dim == 1) {
                    ops.mulScaled(layer.carry, m * inner, cm, layer.weights, row, below.neurons.psi(), 0, nb);
                } else { // ALIF below: two coefficient rows and the plain one, still a loop (not measured)
                    for (int j = 0; j < nb; j++) {
                        float cw = cm * layer.weights[row + j];
                        layer.carry[m * inner + j] = cw * below.neurons.psi()[j];
                        layer.carry[m * inner + nb + j] = cw * below.neurons.psiAdapt()[j];
                        layer.carryPlain[m * nb + j] = cw;
                    }
                }
            }
        }
        for (int s = 1; s < k; s++) {
            if (segment(s)) {
                segments[s].carry(k - s - 1, layer.carry, nk.decay());
                if (contract) {
                    segments[s].contract(signal);
                }
            }
        }
        if (factored[k] && contract && !deferred(k)) { // else topFactor forms h at its flush
            // h_j = c sum_m w_m W[m, j]: then G^{k-1}[j, :] += h_j Q[j, :] is the whole contraction.
            Arrays.fill(layer.factorSignal, 0f);
            ops.accumulateGemvT(layer.factorSignal, 0, layer.weights, 0, n, nb, layer.pre, signal, 0);
            float c = nk.inject()[0];
            for (int j = 0; j < nb; j++) {
                layer.factorSignal[j] *= c;
            }
        }
        if (k >= 2 && factored[k - 1]) {
            if (splitCarry[k]) {
                carryLayer = k;
                workers.run(carryTask);
            } else {
                carryProduct(k, 0, 1);
            }
        }
        if (factored[k] && deferred(k)) {
            topFactor.add(below.neurons.psi(), contract ? signal : null, below.trace, 0);
        }
        if (alifDeferred(k)) {
            topAlif.add(layer.weights, layer.pre, nk.inject(), nk.cross(), nk.adaptDecay(), contract ? signal : null,
                    below.sensitivity);
        }
        if (k >= 2 && factored[k - 1] && deepDeferrable(k)) {
            Layer source = layers[k - 2];
            topDeep.add(layer.deepCarry, contract ? signal : null, source.neurons.psi(), source.trace, 0,
                    factorArray(k - 1));
        }
        if (k >= 3 && factored[k - 2] && chainDeferrable(k)) {
            Layer source = layers[k - 3];
            topChain.add(layer.carry, below.deepCarry, contract ? signal : null, source.neurons.psi(), source.trace, 0,
                    factorArray(k - 2));
        }
        if (!(factored[k] ? splitFactored[k] : split[k])) {
            traceColumns(k, contract, 0, 1);
            return;
        }
        parallelLayer = k;
        parallelContract = contract;
        workers.run(parallelPart);
    }

    /**
     * Part {@code part} of {@code parts} of layer {@code k}'s {@code c A W^{k-1}} (a range of its
     * rows): {@code T^{k-1<-k-2} = c W^{k-1} Q}, so {@code A T^{k-1<-k-2} = (c A W^{k-1}) Q}, an
     * adjacent-style update. {@code N^3} multiply-adds a step: at depth 3 width 128 about a fifth
     * of the one-thread step.
     */
    private void carryProduct(int k, int part, int parts) {
        Layer layer = layers[k];
        Layer below = layers[k - 1];
        int nb2 = layers[k - 2].width;
        int inner = below.dim * below.width;
        int m0 = StepWorkers.start(layer.width, part, parts);
        int m1 = StepWorkers.start(layer.width, part + 1, parts);
        if (m1 == m0) {
            return;
        }
        ops.decayGemm(layer.deepRaw, m0 * below.pre, m1 - m0, nb2, below.pre, zeros, m0, layer.carry, m0 * inner,
                inner, below.weights, 0, packs[part]);
        float c = below.neurons.inject()[0];
        for (int m = m0; m < m1; m++) {
            for (int j = 0; j < nb2; j++) {
                layer.deepCarry[m * nb2 + j] = c * layer.deepRaw[m * below.pre + j];
            }
        }
    }

    /** Part {@code part} of {@link #carryProduct} for the layer in {@link #carryLayer}. */
    private void carryPart(int part) {
        carryProduct(carryLayer, part, workers.parts());
    }

    /** Part {@code part} of {@link #hierarchicalTraces}. */
    private void tracePart(int part) {
        traceColumns(parallelLayer, parallelContract, part, workers.parts());
    }

    /**
     * Part {@code part} of {@code parts} of every {@code T^{k<-l}}: the columns of lower neurons
     * {@code j} in {@code [n_l part / parts, n_l (part + 1) / parts)}, all rows.
     */
    private void traceColumns(int k, boolean contract, int part, int parts) {
        Layer layer = layers[k];
        NeuronLayer nk = layer.neurons;
        int n = layer.width;
        int inner = layers[k - 1].dim * layers[k - 1].width;
        int sources = alifDeferred(k) ? k - 1 : k; // topAlif applies T^{k<-k-1}
        for (int l = 0; l < sources; l++) {
            if (l == k - 3 && factored[k - 2] && chainDeferrable(k)) {
                continue; // topChain applies it
            }
            Layer source = layers[l];
            float[] t = source.up[k - l - 1];
            int theta = source.theta;
            int j0 = StepWorkers.start(source.width, part, parts);
            int j1 = StepWorkers.start(source.width, part + 1, parts);
            int c0 = j0 * source.pre;
            int cols = (j1 - j0) * source.pre;
            float[] g = source.gradient;
            if (layer.dim == 2) {
                // The adaptation rows read the old membrane rows: update them first.
                if (contract) {
                    ops.decayRowsContract(t, n * theta + c0, n, cols, theta, nk.adaptDecay(), 0, nk.cross(), 0,
                            t, c0, theta, signal, n, g, c0);
                } else {
                    for (int m = 0; m < n; m++) {
                        ops.decayRows(t, (n + m) * theta + c0, 1, cols, nk.adaptDecay(), m, nk.cross(), m, t,
                                m * theta + c0, 0);
                    }
                }
            }
            if (l == k - 1 && factored[k]) {
                if (!deferred(k)) { // else topFactor applies it
                    factor(layer, source, factorArray(k), contract, j0, j1, g);
                }
            } else if (l == k - 1) {
                adjacent(layer, source, t, contract, j0, j1, g);
            } else if (l == k - 2 && factored[k - 1]) {
                if (!deepDeferrable(k) && !chainDeferrable(k + 1)) { // else topDeep or topChain applies it
                    float[] q = factorArray(k - 1);
                    if (contract) {
                        ops.decayBlockRowsContract(t, c0, n, j1 - j0, source.width, source.pre, nk.decay(), 0,
                                layer.deepCarry, j0, q, c0, source.pre, signal, 0, g, c0);
                    } else {
                        ops.decayBlockRows(t, c0, n, j1 - j0, source.width, source.pre, nk.decay(), 0,
                                layer.deepCarry, j0, q, c0, source.pre);
                    }
                }
            } else if (contract) {
                ops.decayGemmContract(t, c0, n, cols, theta, nk.decay(), 0, layer.carry, 0, inner,
                        layers[l].up[k - l - 2], c0, packs[part], signal, 0, g, c0);
            } else {
                ops.decayGemm(t, c0, n, cols, theta, nk.decay(), 0, layer.carry, 0, inner,
                        layers[l].up[k - l - 2], c0, packs[part]);
            }
        }
    }

    /**
     * {@code T[m, j, :] = D_m T[m, j, :] + A[m, j] Z^{l<-l}[j, :]} for every {@code m} and
     * {@code j} in {@code [j0, j1)}, with the source row chosen by layout.
     */
    private void adjacent(Layer layer, Layer source, float[] t, boolean contract, int j0, int j1, float[] g) {
        NeuronLayer nk = layer.neurons;
        int nb = source.width;
        int pre = source.pre;
        float[] k;
        float[] x;
        int stride;
        if (source.dim == 2) {
            k = layer.carryPlain;
            x = source.sensitivity;
            stride = pre;
        } else {
            k = layer.carry;
            x = source.trace;
            stride = source.factorised ? 0 : pre;
        }
        if (contract) {
            ops.decayBlockRowsContract(t, j0 * pre, layer.width, j1 - j0, nb, pre, nk.decay(), 0, k, j0, x,
                    j0 * stride, stride, signal, 0, g, j0 * pre);
        } else {
            ops.decayBlockRows(t, j0 * pre, layer.width, j1 - j0, nb, pre, nk.decay(), 0, k, j0, x, j0 * stride, stride);
        }
    }

    /**
     * The factor form of {@code T^{k<-k-1}} for lower neurons {@code j} in {@code [j0, j1)}:
     * {@code Q[j, :] = a Q[j, :] + psi_j E[j, :]}, then {@code G[j, :] += h_j Q[j, :]}.
     */
    private void factor(Layer layer, Layer source, float[] q, boolean contract, int j0, int j1, float[] g) {
        int pre = source.pre;
        int stride = source.factorised ? 0 : pre;
        ops.decayRows(q, j0 * pre, j1 - j0, pre, layer.factorDecay, j0, source.neurons.psi(), j0, source.trace,
                j0 * stride, stride);
        if (contract) {
            ops.decayRows(g, j0 * pre, j1 - j0, pre, ones, 0, layer.factorSignal, j0, q, j0 * pre, pre);
        }
    }

    /**
     * Writes {@code T^{k<-k-1}[m, j, :] = c W[m, j] Q[j, :]} in place of its factor {@code Q} (row 0
     * last, as it holds {@code Q}). The layer goes on in {@link #segments segment form}, where a
     * later change writes {@code T = a^t T_0 + c W Q'} and starts a new segment, unless it comes one
     * step into the segment.
     */
    private void materialise(int k) {
        spareZero[k] = false;
        Layer layer = layers[k];
        Layer source = layers[k - 1];
        float[] t = source.up[0];
        int nb = source.width;
        int pre = source.pre;
        float[] cw = layer.carry; // scratch between steps
        float c = layer.neurons.inject()[0];
        for (int m = 0; m < layer.width; m++) {
            for (int j = 0; j < nb; j++) {
                cw[m * nb + j] = c * layer.weights[m * layer.pre + j];
            }
        }
        if (segment(k)) {
            segments[k].end(cw);
        } else {
            ops.decayBlockRows(t, source.theta, layer.width - 1, nb, nb, pre, zeros, 0, cw, nb, t, 0, pre);
            for (int j = 0; j < nb; j++) {
                for (int i = 0; i < pre; i++) {
                    t[j * pre + i] *= cw[j];
                }
            }
        }
        // A change one step into a segment leaves factor form for the rest of the sequence: with
        // updates every step, segment form costs more than the materialised form. At the top that is
        // two passes over the full trace per step (the waiting contraction and this one) against
        // one; below it, the products into the deep traces above ran 0.61-0.86x as fast as the
        // per-step form at depths 3-4 (RESULTS.md section 3).
        if (segment(k) && segments[k].power() >= layer.factorDecay[0]) {
            factored[k] = false;
            segments[k].clear();
        } else {
            segments[k].start();
        }
    }

    private void flushFactor() {
        int last = layers.length - 1;
        topFactor.flush(ops, ones, deferPack, layers[last].factorDecay, factorArray(last), layers[last - 1].gradient,
                layers[last].weights, layers[last].neurons.inject()[0]);
    }

    /** Where layer {@code k}'s factor {@code Q} lives: row 0 of its trace array, or apart in segment form. */
    private float[] factorArray(int k) {
        if (segment(k)) {
            return segments[k].factor;
        }
        return layers[k - 1].up[0];
    }

    private void flushDeep() {
        topDeep.flush(deepSplit ? workers : null);
    }

    private void flushAlif() {
        topAlif.flush(alifSplit ? workers : null);
    }

    private void flushChain() {
        topChain.flush(chainSplit ? workers : null);
    }

    /**
     * Applies the deferred top-layer work ({@link NetworkConfig#deferSteps()}), so that every trace and gradient
     * holds its value after the last step: called before anything reads or replaces them.
     */
    void settle() {
        if (topFactor != null) {
            flushFactor();
        }
        if (topDeep != null) {
            flushDeep();
        }
        if (topGradient != null) {
            topGradient.flush(ops, ones, deferPack, layers[layers.length - 1].gradient);
        }
        if (topAlif != null) {
            flushAlif();
        }
        if (topChain != null) {
            flushChain();
        }
        for (int s = 1; s < layers.length; s++) {
            if (segments[s] != null) {
                segments[s].flush();
            }
        }
    }

    /** Materialises every factor-form trace that layer {@code layer}'s weights ({@code -1}: every layer's) enter. */
    private void beforeWeightChange(int layer) {
        settle();
        if (!traced) {
            return;
        }
        for (int k = 1; k < layers.length; k++) {
            if (factored[k] && (layer < 0 || layer == k)) {
                materialise(k);
            }
        }
    }

    /** {@code delta = B e}: {@code W_out^T e} read in place (symmetric) or the explicit matrix. */
    private void learningSignal() {
        if (feedback == null) {
            Arrays.fill(delta, 0f);
            ops.accumulateGemvT(delta, 0, readout, 0, outputs, top, error, 0);
        } else {
            ops.gemv(feedback, 0, top, outputs, error, 0, delta, 0);
        }
        NeuronLayer nl = layers[layers.length - 1].neurons;
        for (int m = 0; m < top; m++) {
            signal[m] = delta[m] * nl.psi()[m];
        }
        if (nl.stateDim() == 2) {
            for (int m = 0; m < top; m++) {
                signal[top + m] = delta[m] * nl.psiAdapt()[m];
            }
        }
    }

    /**
     * The gradients not already contracted with the traces: the top layer's own
     * ({@code G^L[j, :] += delta_j psi_j . E[:, j, :]}) and the exact readout gradients.
     */
    private void topGradients() {
        Layer topLayer = layers[layers.length - 1];
        int pre = topLayer.pre;
        if (topGradient != null) {
            topGradient.add(signal, topLayer.trace, 0);
            if (topGradient.full()) {
                topGradient.flush(ops, ones, deferPack, topLayer.gradient);
            }
        } else if (topLayer.factorised) {
            ops.decayRows(topLayer.gradient, 0, top, pre, ones, 0, signal, 0, topLayer.trace, 0, 0);
        } else if (topLayer.dim == 1) {
            ops.decayRows(topLayer.gradient, 0, top, pre, ones, 0, signal, 0, topLayer.trace, 0, pre);
        } else {
            ops.decayRows(topLayer.gradient, 0, top, pre, ones, 0, delta, 0, topLayer.sensitivity, 0, pre);
        }
        ops.decayRows(readoutGrad, 0, outputs, top, ones, 0, error, 0, topLayer.z, 0, 0);
        for (int o = 0; o < outputs; o++) {
            readoutBiasGrad[o] += error[o];
        }
    }

    /**
     * Starts a new sequence: neuron states, outputs and all traces return to zero. Weights,
     * gradients and the accumulated loss are kept.
     */
    public void resetState() {
        settle();
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            layer.neurons.reset();
            Arrays.fill(layer.z, 0f);
            Arrays.fill(layer.trace, 0f);
            if (layer.sensitivity != null) {
                Arrays.fill(layer.sensitivity, 0f);
            }
            for (int d = 0; d < layer.up.length; d++) {
                // In factor form only the first theta floats (the factor) of T^{l+1<-l} can be nonzero.
                boolean factorOnly = d == 0 && spareZero[l + 1];
                Arrays.fill(layer.up[d], 0, factorOnly ? layer.theta : layer.up[d].length, 0f);
            }
        }
        Arrays.fill(y, 0f);
        startFactorForm();
        traced = false;
    }

    /** Zeroes every accumulated gradient and the accumulated loss. */
    public void zeroGradients() {
        settle();
        for (Layer layer : layers) {
            Arrays.fill(layer.gradient, 0f);
        }
        Arrays.fill(readoutGrad, 0f);
        Arrays.fill(readoutBiasGrad, 0f);
        loss = 0;
    }

    /**
     * Applies the accumulated gradients with {@code optimizer} (tensors numbered: layers
     * {@code 0..L-1}, readout weights {@code L}, readout bias {@code L+1}), then zeroes them. The
     * traces are kept, so online updates every K steps continue the sequence with the new weights.
     *
     * @throws DivergenceException if an accumulated gradient is not finite; nothing changes then
     */
    public void applyGradients(Optimizer optimizer) {
        settle();
        checkUpdate(optimizer);
        beforeWeightChange(-1);
        optimizer.beginUpdate();
        for (int l = 0; l < layers.length; l++) {
            optimizer.update(l, layers[l].weights, layers[l].gradient);
        }
        optimizer.update(layers.length, readout, readoutGrad);
        optimizer.update(layers.length + 1, readoutBias, readoutBiasGrad);
        zeroGradients();
    }

    /** The configuration this network was built from. */
    public NetworkConfig config() {
        return config;
    }

    /** The kernel implementation in use, e.g. {@code "scalar"} or {@code "vector-512"}. */
    public String kernelName() {
        return ops.name();
    }

    /** Whether this network runs on the Vector API path. */
    public boolean vectorised() {
        return ops != TraceOpsProvider.scalar();
    }

    /** Loss accumulated since the last {@link #zeroGradients()} (or construction). */
    public double loss() {
        return loss;
    }

    /** Steps taken since construction. */
    public long steps() {
        return steps;
    }

    /** Copies the last readout {@code y_t} into {@code dst} ({@code outputs()} floats). */
    public void output(float[] dst) {
        checkLength("dst", dst, outputs);
        System.arraycopy(y, 0, dst, 0, outputs);
    }

    /** Copies the last output {@code z^l_t} of layer {@code layer} into {@code dst}. */
    public void layerOutput(int layer, float[] dst) {
        checkLength("dst", dst, config.width(layer));
        System.arraycopy(layers[layer].z, 0, dst, 0, dst.length);
    }

    /** A copy of {@code W^l} ({@code n_l x P_l}, row-major: input block, recurrent block, bias). */
    public float[] weights(int layer) {
        return layers[checkLayer(layer)].weights.clone();
    }

    /** Replaces {@code W^l}; {@code w} must have {@code n_l * P_l} finite values. */
    public void setWeights(int layer, float[] w) {
        Layer target = layers[checkLayer(layer)];
        checkVector("weights[" + layer + "]", w, target.theta);
        beforeWeightChange(layer);
        System.arraycopy(w, 0, target.weights, 0, target.theta);
    }

    /** A copy of the readout weights {@code W_out} ({@code n_out x n_L}). */
    public float[] readoutWeights() {
        return readout.clone();
    }

    /** A copy of the readout bias {@code b_out}. */
    public float[] readoutBias() {
        return readoutBias.clone();
    }

    /** Replaces the readout: {@code wOut} is {@code n_out x n_L}, {@code bOut} has {@code n_out} values. */
    public void setReadout(float[] wOut, float[] bOut) {
        checkVector("W_out", wOut, readout.length);
        checkVector("b_out", bOut, outputs);
        System.arraycopy(wOut, 0, readout, 0, readout.length);
        System.arraycopy(bOut, 0, readoutBias, 0, outputs);
    }

    /**
     * Uses an explicit feedback matrix {@code B} ({@code n_L x n_out}, row-major) for the learning
     * signal {@code delta = B e} from now on; {@code null} restores {@code B = W_out^T}.
     */
    public void setFeedback(float[] b) {
        if (b == null) {
            feedback = null;
            return;
        }
        checkVector("B", b, top * outputs);
        feedback = b.clone();
    }

    /** A copy of the accumulated gradient of {@code W^l}. */
    public float[] gradient(int layer) {
        checkLayer(layer);
        settle();
        return layers[layer].gradient.clone();
    }

    /** A copy of the accumulated gradient of {@code W_out}. */
    public float[] readoutWeightGradient() {
        return readoutGrad.clone();
    }

    /** A copy of the accumulated gradient of {@code b_out}. */
    public float[] readoutBiasGradient() {
        return readoutBiasGrad.clone();
    }

    private int checkLayer(int layer) {
        if (layer < 0 || layer >= layers.length) {
            throw new IndexOutOfBoundsException("layer: got " + layer + ", expected 0.." + (layers.length - 1));
        }
        return layer;
    }

    private static void checkLength(String name, float[] v, int expected) {
        if (v == null) {
            throw new IllegalArgumentException(name + ": got null, expected " + expected + " floats");
        }
        if (v.length != expected) {
            throw new IllegalArgumentException(name + ": got length " + v.length + ", expected " + expected);
        }
    }

    private void checkVector(String name, float[] v, int expected) {
        checkLength(name, v, expected);
        int i = ops.firstNonFinite(v, 0, v.length);
        if (i >= 0) {
            throw new IllegalArgumentException(name + "[" + i + "]: got " + v[i] + ", expected a finite number");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Divergence checks (issue 6): O(width) per step, O(parameters) per update.

    /**
     * Throws a {@link DivergenceException} if a neuron state or the readout is no longer finite:
     * called at the end of every {@link #step}.
     */
    private void checkFinite() {
        for (int l = 0; l < layers.length; l++) {
            NeuronLayer nl = layers[l].neurons;
            int bad = nl.firstNonFiniteState();
            if (bad >= 0) {
                float[] state = new float[nl.stateSize()];
                nl.saveState(state, 0);
                int neuron = bad % nl.width();
                String component = bad < nl.width() ? "membrane v" : "adaptation a";
                throw new DivergenceException(l, steps, "divergence: layer " + l + " neuron " + neuron + " "
                        + component + " = " + state[bad] + " (input current I = " + layers[l].current[neuron]
                        + ") at step " + steps + "; the weights or inputs drive the state out of float range");
            }
        }
        for (int o = 0; o < outputs; o++) {
            if (!Float.isFinite(y[o])) {
                throw new DivergenceException(layers.length, steps, "divergence: readout y[" + o + "] = " + y[o]
                        + " at step " + steps + "; the readout weights or bias are out of float range");
            }
        }
    }

    /**
     * Refuses an update that would write non-finite weights: a null optimiser, or any non-finite
     * accumulated gradient (then a {@link DivergenceException}; nothing has changed).
     */
    private void checkUpdate(Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer: got null, expected an Optimizer");
        }
        for (int l = 0; l <= layers.length + 1; l++) {
            float[] g = l < layers.length ? layers[l].gradient : l == layers.length ? readoutGrad : readoutBiasGrad;
            int i = ops.firstNonFinite(g, 0, g.length);
            if (i >= 0) {
                String name = l < layers.length ? "layer " + l + " gradient[" + i + "]"
                        : (l == layers.length ? "readout gradient W_out[" : "readout gradient b_out[") + i + "]";
                throw new DivergenceException(Math.min(l, layers.length), steps, "divergence: " + name + " = "
                        + g[i] + " at step " + steps + "; not applied (the traces or the learning signal "
                        + "overflowed: lower the weight scale, the learning rate or the update interval)");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Checkpoint access (package-private; see Checkpoint): the live arrays, nothing copied.

    /** The live arrays of layer {@code l}. */
    Layer layerArrays(int l) {
        return layers[l];
    }

    /** The live readout arrays: {@code W_out, b_out}, their gradients, and the last output {@code y}. */
    float[][] readoutArrays() {
        return new float[][] {readout, readoutBias, readoutGrad, readoutBiasGrad, y};
    }

    /** The explicit feedback matrix, or {@code null} for {@code B = W_out^T}. */
    float[] feedbackArray() {
        return feedback;
    }

    /** Whether a step ran since the last reset, and which layers hold {@code T^{k<-k-1}} in factor form. */
    boolean traced() {
        return traced;
    }

    boolean factored(int k) {
        return factored[k];
    }

    /**
     * Restores the factor-form state saved with the traces.
     *
     * @throws IllegalArgumentException if a layer is marked factored that cannot be
     */
    void restoreFactorForm(boolean traced, boolean[] factored, boolean[] segment, float[] segmentPower) {
        for (int k = 0; k < layers.length; k++) {
            if (factored[k] && !layers[k].factorAdjacent) {
                throw new IllegalArgumentException("factor form of layer " + k + ": got true, expected false ("
                        + "only layers with d = 1 and one decay for all neurons have one, when factorise is on)");
            }
        }
        for (int k = 0; k < layers.length; k++) {
            if (segment[k] && (segments[k] == null || !factored[k] || !traced)) {
                throw new IllegalArgumentException("segment form of layer " + k + ": got true, expected false (only"
                        + " a traced layer in factor form has one)");
            }
        }
        this.traced = traced;
        System.arraycopy(factored, 0, this.factored, 0, layers.length);
        Arrays.fill(spareZero, false); // the checkpoint's arrays are read in whole
        for (int k = 0; k < layers.length; k++) {
            if (segments[k] != null) {
                segments[k].restore(segment[k], segmentPower[k]);
            }
        }
    }

    /** Whether {@code T^{k<-k-1}} is in segment form ({@link #segments}). */
    boolean segment(int k) {
        return segments[k] != null && segments[k].active();
    }

    /** Its decay power {@code a^t} (1 outside segment form). */
    float segmentPower(int k) {
        return segments[k] == null ? 1f : segments[k].power();
    }

    /** Layer {@code k}'s segment form, whose arrays a checkpoint holds; null where there is none. */
    SegmentForm segmentArrays(int k) {
        return segments[k];
    }

    /** Restores the accumulated loss and the step counter. */
    void restoreCounters(double loss, long steps) {
        this.loss = loss;
        this.steps = steps;
    }
}
