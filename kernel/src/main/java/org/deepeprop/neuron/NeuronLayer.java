package org.deepeprop.neuron;

import org.deepeprop.simd.TraceOps;
import org.deepeprop.simd.TraceOpsProvider;

/**
 * The neurons of one layer: their state, and per step the neuron-local partial derivatives the
 * traces need (SPEC.md section 2): {@code D = ds_t/ds_{t-1}}, {@code c = ds_t/dI_t} and
 * {@code psi = dz_t/ds_t}.
 *
 * <p>{@code D} is lower triangular for every model here, so it is kept as three per-neuron arrays:
 * {@link #decay()} ({@code D[0][0]}), and for {@code d = 2} {@link #cross()} ({@code D[1][0]}) and
 * {@link #adaptDecay()} ({@code D[1][1]}). {@code c} has one non-zero component, {@link #inject()}.
 * The arrays are live views owned by the layer, valid until the next {@link #step}; callers must
 * not modify them. Not thread-safe.
 */
public abstract sealed class NeuronLayer permits MembraneLayer, AlifLayer {
    final int width;
    final float[] decay;
    final float[] inject;
    final float[] psi;

    NeuronLayer(float[] alpha) {
        this.width = alpha.length;
        this.decay = alpha.clone();
        this.inject = new float[width];
        for (int j = 0; j < width; j++) {
            inject[j] = 1f - alpha[j];
        }
        this.psi = new float[width];
    }

    /**
     * Creates the neurons of one layer.
     *
     * @param alpha per-neuron membrane decays (validated by the caller, in [0, 1))
     * @param ops the kernels of the network's path ({@link TraceOps#tanh} for {@code LEAKY_TANH})
     */
    public static NeuronLayer create(NeuronModel model, float[] alpha, float vTh, float gamma, float beta, float rho,
                                     TraceOps ops) {
        return switch (model) {
            case LEAKY_TANH -> new LeakyTanhLayer(alpha, ops);
            case LIF -> new LifLayer(alpha, vTh, gamma);
            case ALIF -> new AlifLayer(alpha, vTh, gamma, beta, rho);
        };
    }

    /**
     * Advances one step. On entry {@code z} holds {@code z_{t-1}}; on return it holds {@code z_t},
     * and the partial-derivative arrays describe step {@code t}.
     *
     * @param current the input current {@code I_t = W p_t}, one value per neuron
     */
    public abstract void step(float[] current, float[] z);

    /** Zeroes the state (the start of a sequence). */
    public abstract void reset();

    /** Number of state components {@code d}. */
    public abstract int stateDim();

    /** Number of neurons. */
    public final int width() {
        return width;
    }

    /** {@code D[0][0]} per neuron: the membrane decay. */
    public final float[] decay() {
        return decay;
    }

    /** {@code c[0]} per neuron: {@code 1 - alpha}. */
    public final float[] inject() {
        return inject;
    }

    /** {@code psi[0] = dz/dv} per neuron. */
    public final float[] psi() {
        return psi;
    }

    /** {@code D[1][0]} per neuron ({@code d = 2} only; {@code null} otherwise). */
    public float[] cross() {
        return null;
    }

    /** {@code D[1][1]} per neuron ({@code d = 2} only; {@code null} otherwise). */
    public float[] adaptDecay() {
        return null;
    }

    /** {@code psi[1] = dz/da} per neuron ({@code d = 2} only; {@code null} otherwise). */
    public float[] psiAdapt() {
        return null;
    }

    /**
     * Copies the state, {@code d * width} floats plus any model memory (see {@link #stateSize()}),
     * into {@code dst} from {@code off}: used for checkpoints.
     */
    public abstract void saveState(float[] dst, int off);

    /** Restores what {@link #saveState} wrote. */
    public abstract void loadState(float[] src, int off);

    /** Floats written by {@link #saveState}. */
    public abstract int stateSize();

    /** The pseudo-derivative {@code q(u) = gamma / v_th * max(0, 1 - |u| / v_th)}. */
    static float pseudoDerivative(float u, float vTh, float gamma) {
        return gamma / vTh * Math.max(0f, 1f - Math.abs(u) / vTh);
    }

    /**
     * Index of the first non-finite value of the state {@link #saveState} writes, or -1 when all
     * are finite: the O(width) divergence check {@code DeepEpropNetwork} runs every step.
     */
    public abstract int firstNonFiniteState();

    /** Index of the first non-finite element of {@code a}, or -1. */
    static int firstNonFinite(float[] a) {
        return TraceOpsProvider.scalar().firstNonFinite(a, 0, a.length);
    }
}
