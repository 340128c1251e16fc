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
     *     {@link #endSequence()}. From depth 2 each update within a sequence costs passes over
     *     full-size traces, and from depth 3 the layers below the top step on full traces for the
     *     rest of the sequence (RESULTS.md, "Online learning")
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
            sinceUpdate = 0; // first: a refused update (DivergenceException) must not stall the schedule
            network.applyGradients(optimizer);
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

    // Checkpoint support: the schedule's state, read out and restored.

    /** The optimiser this trainer applies. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The update interval {@code K} (0: only at the end of each sequence). */
    public int updateEvery() {
        return updateEvery;
    }

    /** Steps taken since the last online update (always 0 when {@link #updateEvery()} is 0). */
    public int sinceUpdate() {
        return sinceUpdate;
    }

    /**
     * A trainer that continues a schedule where another stopped: as the constructor, with
     * {@link #sinceUpdate()} already at {@code sinceUpdate}.
     *
     * @throws IllegalArgumentException as the constructor, or if {@code sinceUpdate} is not in
     *     {@code [0, updateEvery)} (exactly 0 when {@code updateEvery} is 0)
     */
    public static Trainer restore(DeepEpropNetwork network, Optimizer optimizer, int updateEvery, int sinceUpdate) {
        Trainer trainer = new Trainer(network, optimizer, updateEvery);
        if (sinceUpdate < 0 || sinceUpdate >= Math.max(1, updateEvery)) {
            throw new IllegalArgumentException("sinceUpdate: got " + sinceUpdate + ", expected "
                    + (updateEvery == 0 ? "0 (updates only at the end of a sequence)" : "0.." + (updateEvery - 1)));
        }
        trainer.sinceUpdate = sinceUpdate;
        return trainer;
    }
}
