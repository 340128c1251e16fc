package org.deepeprop.train;

import org.deepeprop.net.DeepEpropNetwork;

/**
 * The update schedule: weights change every {@code K} steps (online learning; the traces then mix
 * gradients of stale weights, the paper's open question 4) or only at the end of each sequence.
 * Not thread-safe, like the network it drives.
 */
public final class Trainer {
    private final DeepEpropNetwork network;
    private final Optimizer optimizer;
    private final int updateEvery;
    private int sinceUpdate;

    /**
     * @param updateEvery apply the gradients every this many steps; 0 applies them only in
     *     {@link #endSequence()}
     */
    public Trainer(DeepEpropNetwork network, Optimizer optimizer, int updateEvery) {
        if (network == null || optimizer == null) {
            throw new IllegalArgumentException("network and optimizer: got null, expected both");
        }
        if (updateEvery < 0) {
            throw new IllegalArgumentException("updateEvery: got " + updateEvery + ", expected 0 (end of sequence) or >= 1");
        }
        this.network = network;
        this.optimizer = optimizer;
        this.updateEvery = updateEvery;
    }

    /** One step of the network, then an update if one is due. Returns the step's loss. */
    public float step(float[] x, float[] target) {
        float loss = network.step(x, target);
        if (updateEvery > 0 && ++sinceUpdate == updateEvery) {
            network.applyGradients(optimizer);
            sinceUpdate = 0;
        }
        return loss;
    }

    /** Applies any gradients not yet applied, then resets the network's state for the next sequence. */
    public void endSequence() {
        if (updateEvery == 0 || sinceUpdate > 0) {
            network.applyGradients(optimizer);
        }
        sinceUpdate = 0;
        network.resetState();
    }

    /** The network this trainer updates. */
    public DeepEpropNetwork network() {
        return network;
    }
}
