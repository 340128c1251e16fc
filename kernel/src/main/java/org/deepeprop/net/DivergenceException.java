package org.deepeprop.net;

/**
 * The learner's state stopped being finite: a neuron state or readout overflowed during
 * {@link DeepEpropNetwork#step}, or an accumulated gradient is non-finite when
 * {@link DeepEpropNetwork#applyGradients} is called (it is then not applied).
 *
 * <p>The message names the layer, the quantity, the offending value and the step. After a
 * divergence in {@code step} the network's state is not usable (the offending step has partly run):
 * restore a {@link Checkpoint}, or reset the state and set finite weights, before stepping again.
 * After a divergence in {@code applyGradients} nothing was changed: the weights are as before, and
 * the non-finite gradients are still there for inspection ({@link DeepEpropNetwork#zeroGradients()}
 * discards them).
 *
 * <p>Immutable.
 */
public final class DivergenceException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final int layer;
    private final long step;

    /**
     * @param layer the layer (0-based; {@code depth()} for the readout)
     * @param step the step at which the divergence was detected ({@link DeepEpropNetwork#steps()})
     * @param message the full one-line message
     */
    DivergenceException(int layer, long step, String message) {
        super(message);
        this.layer = layer;
        this.step = step;
    }

    /** The layer whose state or gradient is non-finite: 0-based, {@code config().depth()} for the readout. */
    public int layer() {
        return layer;
    }

    /** The value of {@link DeepEpropNetwork#steps()} when the divergence was detected. */
    public long step() {
        return step;
    }
}
