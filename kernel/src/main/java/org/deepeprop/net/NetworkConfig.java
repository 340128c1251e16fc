package org.deepeprop.net;

import java.util.Arrays;
import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.simd.TraceOps;

/**
 * A validated, immutable description of a deep e-prop network: sizes, neuron model and its
 * parameters, recurrence, feedback, kernel path and trace layout.
 *
 * <p>Build one with {@link #builder()}; {@link Builder#build()} checks every value and throws an
 * {@link IllegalArgumentException} naming the parameter, the value and what was expected. Layers
 * are numbered {@code 0 .. depth()-1} here ({@code l = 1 .. L} in SPEC.md).
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class NetworkConfig {
    /** Default firing threshold {@code v_th}. */
    public static final float DEFAULT_V_TH = 1f;
    /** Default pseudo-derivative dampening {@code gamma}. */
    public static final float DEFAULT_GAMMA = 0.3f;
    /**
     * Default ALIF adaptation strength {@code beta}. With {@code rho = 0.97} a neuron firing every
     * step raises its threshold by {@code beta / (1 - rho) ~ 2.3 v_th} at most, strong enough to
     * matter, weak enough to leave the neuron able to fire.
     */
    public static final float DEFAULT_BETA = 0.07f;
    /** Default ALIF adaptation decay {@code rho} (a time constant of about 33 steps). */
    public static final float DEFAULT_RHO = 0.97f;
    /** Default membrane decay {@code alpha} ({@code exp(-dt/tau_m)} with {@code tau_m ~ 10 dt}). */
    public static final float DEFAULT_ALPHA = 0.9f;

    private final int inputs;
    private final int[] widths;
    private final int outputs;
    private final NeuronModel model;
    private final float[][] alpha; // [layer][neuron], always filled
    private final boolean uniformAlpha[];
    private final boolean recurrent;
    private final float vTh;
    private final float gamma;
    private final float beta;
    private final float rho;
    private final Feedback feedback;
    private final long seed;
    private final Path path;
    private final boolean factorise;
    private final int threads;
    private final int deferSteps;

    /**
     * The default of {@link Builder#deferSteps(int)}: each deferred term costs one multiply-add per
     * element of a matrix that a per-step pass would read and write, so applying K steps as one
     * product cuts that traffic K-fold. Measured against 16 (Zen 5, 2026-11-28): 32 gave
     * 1.05-1.29x, 64 1.09-1.30x at depths 1-3 width 64-256. The deep buffer holds 2K + 2 floats per
     * (m, i) pair against the trace's P_{L-2}, and the applying step does K steps' terms (a latency
     * spike every K steps): 32 is where the gain flattens.
     */
    public static final int DEFAULT_DEFER_STEPS = 32;

    private NetworkConfig(Builder b) {
        this.inputs = b.inputs;
        this.widths = b.widths.clone();
        this.outputs = b.outputs;
        this.model = b.model;
        this.recurrent = b.recurrent;
        this.vTh = b.vTh;
        this.gamma = b.gamma;
        this.beta = b.beta;
        this.rho = b.rho;
        this.feedback = b.feedback;
        this.seed = b.seed;
        this.path = b.path;
        this.factorise = b.factorise;
        this.threads = b.threads;
        this.deferSteps = b.deferSteps;
        int depth = widths.length;
        this.alpha = new float[depth][];
        this.uniformAlpha = new boolean[depth];
        for (int l = 0; l < depth; l++) {
            float[] perNeuron = b.alphaPerNeuron == null ? null : b.alphaPerNeuron[l];
            if (perNeuron != null) {
                alpha[l] = perNeuron.clone();
            } else {
                alpha[l] = new float[widths[l]];
                Arrays.fill(alpha[l], b.alphaPerLayer[l]);
            }
            boolean uniform = true;
            for (float a : alpha[l]) {
                uniform &= Float.floatToIntBits(a) == Float.floatToIntBits(alpha[l][0]);
            }
            uniformAlpha[l] = uniform;
        }
    }

    /** A builder with the defaults documented on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** Input width {@code n_0}. */
    public int inputs() {
        return inputs;
    }

    /** Number of layers {@code L}. */
    public int depth() {
        return widths.length;
    }

    /** Width {@code n_l} of layer {@code layer} (0-based). */
    public int width(int layer) {
        return widths[checkLayer(layer)];
    }

    /** A copy of all layer widths. */
    public int[] widths() {
        return widths.clone();
    }

    /** Width of the layer below {@code layer}: the input width for layer 0. */
    public int inputWidth(int layer) {
        return checkLayer(layer) == 0 ? inputs : widths[layer - 1];
    }

    /** Presynaptic length {@code P_l = n_{l-1} (+ n_l if recurrent) + 1} (the last column is the bias). */
    public int presynaptic(int layer) {
        return inputWidth(layer) + (recurrent ? widths[layer] : 0) + 1;
    }

    /** Number of readout outputs {@code n_out}. */
    public int outputs() {
        return outputs;
    }

    /** The neuron model shared by all layers. */
    public NeuronModel model() {
        return model;
    }

    /** Membrane decay of one neuron. */
    public float alpha(int layer, int neuron) {
        return alpha[checkLayer(layer)][neuron];
    }

    /** A copy of the per-neuron membrane decays of a layer. */
    public float[] alphas(int layer) {
        return alpha[checkLayer(layer)].clone();
    }

    /** Whether every neuron of the layer has the same decay. */
    public boolean uniformAlpha(int layer) {
        return uniformAlpha[checkLayer(layer)];
    }

    /** Whether layers have recurrent weights (the middle block of {@code p^l}). */
    public boolean recurrent() {
        return recurrent;
    }

    /** Firing threshold {@code v_th} (spiking models; scales {@code q}). */
    public float vTh() {
        return vTh;
    }

    /** Pseudo-derivative height {@code gamma}. */
    public float gamma() {
        return gamma;
    }

    /** ALIF adaptation strength {@code beta}. */
    public float beta() {
        return beta;
    }

    /** ALIF adaptation decay {@code rho}. */
    public float rho() {
        return rho;
    }

    /** Feedback matrix kind. */
    public Feedback feedback() {
        return feedback;
    }

    /** Seed for the initial weights and the random feedback matrix. */
    public long seed() {
        return seed;
    }

    /** Requested kernel path. */
    public Path path() {
        return path;
    }

    /**
     * Whether factorised traces may be used: terminal traces where SPEC.md section 4 allows, and
     * adjacent hierarchical traces {@code T^{l<-l-1}} under the same condition on layer {@code l}
     * (see {@link #factorised(int)}).
     */
    public boolean factorise() {
        return factorise;
    }

    /** Threads a step uses: the caller plus {@code threads() - 1} workers owned by the network. */
    public int threads() {
        return threads;
    }

    /**
     * Steps over which the top layer's deferred terms are kept before they are applied as products
     * (1: every step applies its own; see {@link Builder#deferSteps(int)}).
     */
    public int deferSteps() {
        return deferSteps;
    }

    /**
     * Whether layer {@code layer} stores one filtered presynaptic row instead of one trace row per
     * neuron: {@code d = 1} and the same decay for every neuron (SPEC.md section 4). The same
     * condition lets the layer hold {@code T^{l<-l-1}[m, j, :] = c W[m, j] Q[j, :]} as its factor
     * {@code Q} ({@code n_{l-1} x P_{l-1}}, {@code Q[j, :] = a Q[j, :] + psi^{l-1}_j E^{l-1}[j, :]}),
     * exact while {@code W^l} does not change; a weight change within a sequence materialises it.
     */
    public boolean factorised(int layer) {
        return factorise && model.stateDim() == 1 && uniformAlpha(layer);
    }

    /**
     * Floats of trace state (terminal and hierarchical traces), the memory term of SPEC.md
     * section 5 with the state dimension and factorisation applied.
     */
    public long traceFloats() {
        long total = 0;
        int d = model.stateDim();
        for (int l = 0; l < depth(); l++) {
            long thetaL = (long) widths[l] * presynaptic(l);
            total += factorised(l) ? presynaptic(l) : d * thetaL;
            for (int k = l + 1; k < depth(); k++) {
                total += d * (long) widths[k] * thetaL;
            }
        }
        return total;
    }

    /**
     * Floats of trace state a step reads and writes: {@link #traceFloats()} with every adjacent trace
     * {@code T^{l<-l-1}} that has a factor form ({@link #factorised(int)} of layer {@code l}) counted
     * as its factor, {@code n_{l-1} P_{l-1}} floats. The materialised size stays allocated, for a
     * weight change within a sequence.
     */
    public long steppedTraceFloats() {
        long total = traceFloats();
        for (int l = 1; l < depth(); l++) {
            if (factorised(l)) {
                total -= (widths[l] - 1L) * widths[l - 1] * presynaptic(l - 1);
            }
        }
        return total;
    }

    /**
     * Bytes the network allocates in all: traces, weights and gradients, neuron state and scratch.
     * Known before anything is allocated; {@link DeepEpropNetwork} refuses a configuration whose
     * bytes do not fit the heap.
     */
    public long networkBytes() {
        long floats = traceFloats();
        int d = model.stateDim();
        for (int l = 0; l < depth(); l++) {
            long thetaL = (long) widths[l] * presynaptic(l);
            floats += 2 * thetaL; // weights and gradients
            if (d == 2) {
                floats += thetaL; // materialised sensitivities of an ALIF layer
            }
            floats += 12L * widths[l] + 2L * presynaptic(l); // neuron state, partials, p, currents
        }
        int top = depth() - 1;
        for (int s = 1; s <= top; s++) {
            if (factorised(s)) {
                floats += SegmentForm.floats(widths[s], (long) widths[s - 1] * presynaptic(s - 1), widthsAbove(s));
            }
        }
        long widestInner = 0;
        for (int l = 1; l < depth(); l++) {
            floats += (d + (d == 2 ? 1L : 0L)) * widths[l] * widths[l - 1]; // coefficients A (and c W for ALIF)
            if (factorised(l)) {
                floats += 2L * widths[l - 1]; // factor decay and contraction weights
            }
            if (l > 1 && factorised(l - 1)) {
                floats += (long) widths[l] * (presynaptic(l - 1) + widths[l - 2]); // A W^{l-1}, raw and compact
            }
            if (l + 1 < depth()) {
                widestInner = Math.max(widestInner, (long) d * widths[l]);
            }
        }
        // Product scratch per worker (TraceOps.packFloats), counted for the widest vectors the Vector
        // API allows, whatever this machine has; and the top layer's deferred terms with their own scratch.
        floats += threads * TraceOps.packFloatsBound(widestInner);
        int last = depth() - 1;
        int k = deferSteps;
        if (k > 1 && factorised(last)) {
            long deferPack = TraceOps.packFloatsBound(k, presynaptic(last));
            if (last > 0 && factorised(last - 1)) {
                floats += FactorBuffer.floats(widths[last - 1], presynaptic(last - 1), widths[last], presynaptic(last), k);
                deferPack = Math.max(TraceOps.packFloatsBound(k, Math.max(presynaptic(last), presynaptic(last - 1))),
                        TraceOps.packFloatsBound(widths[last]));
            }
            floats += GradientBuffer.floats(widths[last], presynaptic(last), k)
                    + threads * TraceOps.packFloatsBound(k) + deferPack;
            if (last > 1 && factorised(last - 1) && factorised(last - 2)) {
                floats += DeepBuffer.floats(widths[last], widths[last - 2], presynaptic(last - 2), k, threads);
            }
            if (last > 2 && factorised(last - 1) && factorised(last - 2) && factorised(last - 3)) {
                floats += ChainBuffer.floats(widths[last], widths[last - 1], widths[last - 3], presynaptic(last - 3), k)
                        + threads * TraceOps.packFloatsBound(Math.max(widths[last - 1], k));
            }
        }
        if (k > 1 && model.stateDim() == 2 && last > 0) {
            floats += AlifBuffer.floats(widths[last], widths[last - 1], presynaptic(last - 1), k, threads)
                    + threads * TraceOps.packFloatsBound(k);
        }
        long readout = (long) outputs * (widths[depth() - 1] + 1);
        floats += 3 * readout + (long) widths[depth() - 1] * outputs + 4L * outputs;
        return 4 * floats + OBJECT_BYTES_PER_LAYER * depth();
    }

    /**
     * Array headers and the small objects of a layer and its buffers, beyond their floats: up to
     * about 700 bytes a layer measured (ALIF, depth 4, width 8), rounded up.
     */
    private static final long OBJECT_BYTES_PER_LAYER = 1024;

    /** The widths of the layers above {@code layer}, bottom up. */
    int[] widthsAbove(int layer) {
        return Arrays.copyOfRange(widths, layer + 1, widths.length);
    }

    /** The largest single array the network needs, in floats (Java arrays hold at most 2^31 - 9). */
    long largestArray() {
        long largest = 0;
        int d = model.stateDim();
        for (int l = 0; l < depth(); l++) {
            long thetaL = (long) widths[l] * presynaptic(l);
            largest = Math.max(largest, d * thetaL);
            for (int k = l + 1; k < depth(); k++) {
                largest = Math.max(largest, d * (long) widths[k] * thetaL);
            }
        }
        return largest;
    }

    private int checkLayer(int layer) {
        if (layer < 0 || layer >= widths.length) {
            throw new IndexOutOfBoundsException(
                    "layer: got " + layer + ", expected 0.." + (widths.length - 1));
        }
        return layer;
    }

    @Override
    public String toString() {
        return "NetworkConfig{model=" + model + ", inputs=" + inputs + ", layers=" + Arrays.toString(widths)
                + ", outputs=" + outputs + ", recurrent=" + recurrent + ", path=" + path
                + ", factorise=" + factorise + ", feedback=" + feedback + ", threads=" + threads
                + ", deferSteps=" + deferSteps + "}";
    }

    /** Collects and validates the parameters of a {@link NetworkConfig}. Not thread-safe. */
    public static final class Builder {
        private int inputs = -1;
        private int[] widths;
        private int outputs = -1;
        private NeuronModel model = NeuronModel.LEAKY_TANH;
        private float alphaAll = DEFAULT_ALPHA;
        private float[] alphaPerLayer;
        private float[][] alphaPerNeuron;
        private boolean recurrent;
        private float vTh = DEFAULT_V_TH;
        private float gamma = DEFAULT_GAMMA;
        private float beta = DEFAULT_BETA;
        private float rho = DEFAULT_RHO;
        private Feedback feedback = Feedback.SYMMETRIC;
        private long seed = 1;
        private Path path = Path.AUTO;
        private boolean factorise = true;
        private int threads = 1;
        private int deferSteps = DEFAULT_DEFER_STEPS;

        private Builder() {
        }

        /** Input width {@code n_0} (required, at least 1). */
        public Builder inputs(int inputs) {
            this.inputs = inputs;
            return this;
        }

        /** Layer widths {@code n_1 .. n_L} (required, at least one layer, each at least 1). */
        public Builder layers(int... widths) {
            this.widths = widths == null ? null : widths.clone();
            return this;
        }

        /** Readout width {@code n_out} (required, at least 1). */
        public Builder outputs(int outputs) {
            this.outputs = outputs;
            return this;
        }

        /** Neuron model (default {@link NeuronModel#LEAKY_TANH}). */
        public Builder model(NeuronModel model) {
            this.model = model;
            return this;
        }

        /** One membrane decay for every neuron of every layer, in [0, 1) (default 0.9). */
        public Builder alpha(float alpha) {
            this.alphaAll = alpha;
            this.alphaPerLayer = null;
            return this;
        }

        /** One membrane decay per layer, each in [0, 1). */
        public Builder alphaPerLayer(float... alphas) {
            this.alphaPerLayer = alphas == null ? null : alphas.clone();
            return this;
        }

        /** Per-neuron membrane decays for one layer (overrides the layer value), each in [0, 1). */
        public Builder alphaPerNeuron(int layer, float... alphas) {
            if (widths == null) {
                throw new IllegalStateException("alphaPerNeuron: call layers(...) first");
            }
            if (layer < 0 || layer >= widths.length) {
                throw new IllegalArgumentException(
                        "alphaPerNeuron layer: got " + layer + ", expected 0.." + (widths.length - 1));
            }
            if (alphaPerNeuron == null || alphaPerNeuron.length != widths.length) {
                alphaPerNeuron = new float[widths.length][];
            }
            alphaPerNeuron[layer] = alphas == null ? null : alphas.clone();
            return this;
        }

        /** Recurrent weights in every layer (default false). */
        public Builder recurrent(boolean recurrent) {
            this.recurrent = recurrent;
            return this;
        }

        /** Firing threshold, finite and positive (default 1). */
        public Builder vTh(float vTh) {
            this.vTh = vTh;
            return this;
        }

        /** Pseudo-derivative height, finite and non-negative (default 0.3). */
        public Builder gamma(float gamma) {
            this.gamma = gamma;
            return this;
        }

        /**
         * ALIF adaptation strength, finite and non-negative (default 0.07); for ALIF also
         * {@code beta * gamma / v_th < 1 + rho}, so the adaptation decay {@code rho - beta q} stays
         * above -1.
         */
        public Builder beta(float beta) {
            this.beta = beta;
            return this;
        }

        /** ALIF adaptation decay in [0, 1) (default 0.97). */
        public Builder rho(float rho) {
            this.rho = rho;
            return this;
        }

        /** Feedback matrix kind (default {@link Feedback#SYMMETRIC}). */
        public Builder feedback(Feedback feedback) {
            this.feedback = feedback;
            return this;
        }

        /** Seed for initial weights and random feedback (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Kernel path (default {@link Path#AUTO}). */
        public Builder path(Path path) {
            this.path = path;
            return this;
        }

        /** Allow factorised terminal and adjacent traces where they apply (default true). */
        public Builder factorise(boolean factorise) {
            this.factorise = factorise;
            return this;
        }

        /**
         * Threads per step, 1 to 64 (default 1: the step runs on the caller's thread only). With
         * more, the network starts {@code threads - 1} daemon workers of its own that split the
         * hierarchical trace updates by columns (ranges of lower neurons), with results bit-identical
         * to the one-thread step on the scalar path (the vector path's forward reduction may round
         * differently after JIT recompilation); {@link DeepEpropNetwork#close()} stops them. Layers
         * whose hierarchical traces hold fewer than 2^18 floats are not split; a layer whose
         * weights hold at least 2^16 floats splits its forward product by rows. A network with
         * neither starts no workers.
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * Steps, 1 to 256 (default {@value NetworkConfig#DEFAULT_DEFER_STEPS}), over which the top
         * layer's deferred terms (its rank-1 gradient terms, its factor, its deep trace fed from a
         * factor, from depth 4 its trace three layers down with the middle trace that feeds it, or an
         * ALIF top layer's adjacent trace) are kept and then applied as products. The
         * results agree within float rounding whatever the value. Larger values cut the memory traffic
         * of the largest matrices; the step that applies them costs more than the others, so 1 (every
         * step applies its own) gives steps of even cost, at a higher mean, for callers who need a
         * bounded latency more than the fastest throughput. Memory grows with the value.
         */
        public Builder deferSteps(int deferSteps) {
            this.deferSteps = deferSteps;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first bad parameter, its value and what was expected
         */
        public NetworkConfig build() {
            if (inputs < 1) {
                throw bad("inputs", inputs, "an integer >= 1");
            }
            if (widths == null || widths.length == 0) {
                throw new IllegalArgumentException("layers: got none, expected at least one layer width >= 1");
            }
            for (int l = 0; l < widths.length; l++) {
                if (widths[l] < 1) {
                    throw bad("layers[" + l + "]", widths[l], "an integer >= 1");
                }
            }
            if (outputs < 1) {
                throw bad("outputs", outputs, "an integer >= 1");
            }
            if (model == null) {
                throw new IllegalArgumentException("model: got null, expected LEAKY_TANH, LIF or ALIF");
            }
            if (feedback == null) {
                throw new IllegalArgumentException("feedback: got null, expected SYMMETRIC or RANDOM");
            }
            if (path == null) {
                throw new IllegalArgumentException("path: got null, expected AUTO, SCALAR or VECTOR");
            }
            checkDecay("alpha", alphaAll);
            if (alphaPerLayer != null) {
                if (alphaPerLayer.length != widths.length) {
                    throw bad("alphaPerLayer.length", alphaPerLayer.length, widths.length + " (one per layer)");
                }
                for (int l = 0; l < widths.length; l++) {
                    checkDecay("alphaPerLayer[" + l + "]", alphaPerLayer[l]);
                }
            } else {
                alphaPerLayer = new float[widths.length];
                Arrays.fill(alphaPerLayer, alphaAll);
            }
            if (alphaPerNeuron != null) {
                if (alphaPerNeuron.length != widths.length) {
                    throw new IllegalArgumentException("alphaPerNeuron: set before layers(...) changed; "
                            + "expected " + widths.length + " layers, got " + alphaPerNeuron.length);
                }
                for (int l = 0; l < widths.length; l++) {
                    float[] a = alphaPerNeuron[l];
                    if (a == null) {
                        continue;
                    }
                    if (a.length != widths[l]) {
                        throw bad("alphaPerNeuron[" + l + "].length", a.length, widths[l] + " (the layer width)");
                    }
                    for (int j = 0; j < a.length; j++) {
                        checkDecay("alphaPerNeuron[" + l + "][" + j + "]", a[j]);
                    }
                }
            }
            if (!(Float.isFinite(vTh) && vTh > 0)) {
                throw bad("v_th", vTh, "a finite number > 0");
            }
            if (!(Float.isFinite(gamma) && gamma >= 0)) {
                throw bad("gamma", gamma, "a finite number >= 0");
            }
            if (!(Float.isFinite(beta) && beta >= 0)) {
                throw bad("beta", beta, "a finite number >= 0");
            }
            checkDecay("rho", rho);
            checkAdaptationStable();
            if (threads < 1 || threads > 64) {
                throw bad("threads", threads, "an integer in [1, 64]");
            }
            if (deferSteps < 1 || deferSteps > 256) {
                throw bad("deferSteps", deferSteps, "an integer in [1, 256]");
            }
            NetworkConfig config = new NetworkConfig(this);
            if (config.largestArray() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("layers: " + Arrays.toString(widths) + " need a trace array of "
                        + config.largestArray() + " floats, expected at most " + (Integer.MAX_VALUE - 8)
                        + " (the largest Java array)");
            }
            return config;
        }

        /**
         * ALIF's adaptation Jacobian {@code D[1][1] = rho - beta q} ranges over
         * {@code [rho - beta gamma / v_th, rho]} since {@code 0 <= q <= gamma / v_th}; at magnitude 1
         * or more the adaptation traces can grow without bound, so it must stay above -1.
         */
        private void checkAdaptationStable() {
            double lowest = (double) rho - (double) beta * gamma / vTh;
            if (model == NeuronModel.ALIF && lowest <= -1) {
                throw new IllegalArgumentException("beta: got " + beta + ", expected beta * gamma / v_th < 1 + rho = "
                        + (1f + rho) + " for ALIF (gamma = " + gamma + ", v_th = " + vTh
                        + "): the adaptation decay rho - beta * q reaches " + (float) lowest
                        + ", and a decay of magnitude >= 1 makes the traces grow without bound");
            }
        }

        private static void checkDecay(String name, float value) {
            if (!(value >= 0f && value < 1f)) {
                throw bad(name, value, "a decay in [0, 1)");
            }
        }

        private static IllegalArgumentException bad(String name, Object value, String expected) {
            return new IllegalArgumentException(name + ": got " + value + ", expected " + expected);
        }
    }
}
