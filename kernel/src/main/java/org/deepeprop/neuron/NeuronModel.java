package org.deepeprop.neuron;

/**
 * The neuron models of SPEC.md section 2.
 *
 * <p>The state dimension {@code d} decides the shape of every trace: one float per synapse and
 * state component.
 */
public enum NeuronModel {
    /** Leaky integrator with a tanh output; {@code d = 1}, differentiable everywhere. */
    LEAKY_TANH(1),
    /** Leaky integrate-and-fire with reset by subtraction and the pseudo-derivative {@code q}; {@code d = 1}. */
    LIF(1),
    /** Adaptive LIF: a second state component raises the threshold after each spike; {@code d = 2}. */
    ALIF(2);

    private final int stateDim;

    NeuronModel(int stateDim) {
        this.stateDim = stateDim;
    }

    /** Number of state components per neuron ({@code d} in SPEC.md). */
    public int stateDim() {
        return stateDim;
    }

    /** Whether the neuron emits binary spikes (LIF, ALIF). */
    public boolean spiking() {
        return this != LEAKY_TANH;
    }

    /**
     * Parses the lower-case names used by the gradcheck JSON ({@code "leaky_tanh"}, {@code "lif"},
     * {@code "alif"}).
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static NeuronModel parse(String name) {
        for (NeuronModel m : values()) {
            if (m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "model: got \"" + name + "\", expected one of \"leaky_tanh\", \"lif\", \"alif\"");
    }
}
