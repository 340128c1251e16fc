package org.deepeprop.net;

import org.deepeprop.neuron.NeuronLayer;

/**
 * The arrays of one layer {@code l}: weights, gradient, presynaptic vector, neurons, terminal
 * trace and the hierarchical traces {@code T^{k<-l}} it feeds in every layer {@code k} above.
 * Everything is allocated here, once; the step only reads and writes.
 */
final class Layer {
    final int width;      // n_l
    final int inputWidth; // n_{l-1}
    final int pre;        // P_l
    final int theta;      // n_l * P_l
    final int dim;        // d
    final boolean factorised;

    final float[] weights;
    final float[] gradient;
    final float[] p;
    final float[] current;
    /** z^l: holds z_{t-1} between steps and z_t after this layer's part of a step. */
    final float[] z;
    final NeuronLayer neurons;

    /**
     * Terminal trace: the filtered presynaptic row {@code pbar} ({@code P_l} floats) when
     * factorised, else {@code d} blocks of {@code n_l x P_l} (component v, then component a).
     */
    final float[] trace;
    /** {@code psi . E} per neuron, {@code n_l x P_l}: materialised only when {@code d = 2}. */
    final float[] sensitivity;
    /** {@code up[k - l - 1] = T^{k<-l}}: {@code d_k} blocks of {@code n_k x theta}. */
    final float[][] up;

    /**
     * {@code A[m, comp * n_{l-1} + n] = c_m W[m, n] psi^{l-1}_{comp, n}}: the coefficients that
     * carry every trace of the layer below into this one (null for the bottom layer).
     */
    final float[] carry;
    /** {@code c_m W[m, j]}: the adjacent coefficients when the layer below has {@code d = 2}. */
    final float[] carryPlain;

    /**
     * Whether this layer can hold {@code T^{l<-l-1}} in factor form ({@link NetworkConfig#factorised}):
     * {@code T[m, j, :] = c W[m, j] Q[j, :]} with {@code Q[j, :] = a Q[j, :] + psi^{l-1}_j E^{l-1}[j, :]},
     * exact while {@code W^l} is fixed. {@code Q} then occupies the first {@code n_{l-1} P_{l-1}}
     * floats of that trace's array (row 0), so the array keeps its size for the materialised form.
     */
    final boolean factorAdjacent;
    /** {@code a}, once per lower neuron: the decay of {@code Q} (null unless {@link #factorAdjacent}). */
    final float[] factorDecay;
    /** {@code h_j = c sum_m w_m W[m, j]}, {@code j < n_{l-1}}: the contraction weights of {@code Q}. */
    final float[] factorSignal;
    /**
     * {@code A W^{l-1}}, {@code n_l x P_{l-1}}: the coefficients that carry the layer below's factor
     * {@code Q^{l-2}} straight into {@code T^{l<-l-2}} (null unless the layer below has a factor form).
     */
    final float[] deepRaw;
    /** {@code c^{l-1} (A W^{l-1})[m, j]} for {@code j < n_{l-2}}, {@code n_l x n_{l-2}}: the same, compact. */
    final float[] deepCarry;

    Layer(NetworkConfig config, int l, org.deepeprop.simd.TraceOps ops) {
        width = config.width(l);
        inputWidth = config.inputWidth(l);
        pre = config.presynaptic(l);
        theta = width * pre;
        dim = config.model().stateDim();
        factorised = config.factorised(l);
        weights = new float[theta];
        gradient = new float[theta];
        p = new float[pre];
        p[pre - 1] = 1f;
        current = new float[width];
        z = new float[width];
        neurons = NeuronLayer.create(config.model(), config.alphas(l), config.vTh(), config.gamma(),
                config.beta(), config.rho(), ops);
        trace = new float[factorised ? pre : dim * theta];
        sensitivity = dim == 2 ? new float[theta] : null;
        up = new float[config.depth() - l - 1][];
        for (int k = l + 1; k < config.depth(); k++) {
            up[k - l - 1] = new float[dim * config.width(k) * theta];
        }
        carry = l == 0 ? null : new float[width * dim * inputWidth];
        carryPlain = l > 0 && dim == 2 ? new float[width * inputWidth] : null;
        factorAdjacent = l > 0 && factorised;
        factorDecay = factorAdjacent ? new float[inputWidth] : null;
        if (factorDecay != null) {
            java.util.Arrays.fill(factorDecay, neurons.decay()[0]);
        }
        factorSignal = factorAdjacent ? new float[inputWidth] : null;
        boolean deep = l > 1 && config.factorised(l - 1);
        deepRaw = deep ? new float[width * config.presynaptic(l - 1)] : null;
        deepCarry = deep ? new float[width * config.inputWidth(l - 1)] : null;
    }
}
