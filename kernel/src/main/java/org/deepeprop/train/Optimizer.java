package org.deepeprop.train;

/**
 * Turns accumulated gradients into a weight change. {@code DeepEpropNetwork.applyGradients}
 * calls {@link #beginUpdate()} once, then {@link #update} once per parameter tensor, always with
 * the same tensor numbering (layers {@code 0..L-1}, then readout weights, then readout bias), so a
 * stateful optimiser can keep per-tensor moments.
 *
 * <p>Threading: a stateful optimiser ({@link Adam}) belongs to one network and is used from that
 * network's thread only; a stateless one ({@link Sgd}) may be shared. {@code Checkpoint} can
 * persist {@link Sgd} and {@link Adam}; it refuses other implementations.
 */
public interface Optimizer {

    /** Called once at the start of every update (Adam counts its steps here). */
    void beginUpdate();

    /**
     * Updates {@code param} in place from {@code grad} (same length). Must not modify {@code grad}.
     *
     * @param tensor a stable index of the parameter tensor
     */
    void update(int tensor, float[] param, float[] grad);
}
