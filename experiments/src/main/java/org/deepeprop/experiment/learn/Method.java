package org.deepeprop.experiment.learn;

/**
 * The learning rules compared by the experiments. Every rule trains the readout with its exact
 * gradient; they differ in how the hidden layers get theirs.
 */
public enum Method {
    /** Deep e-prop on the float kernel, {@code B = W_out^T}. */
    DEEP_EPROP("deep_eprop"),
    /** Deep e-prop on the float kernel with a fixed random {@code B}. */
    DEEP_EPROP_RANDOM("deep_eprop_random"),
    /** Exact backpropagation through time (double precision). */
    BPTT("bptt"),
    /** Layer-local e-prop: {@code W_out^T} for the top layer, fixed random matrices below. */
    LOCAL_EPROP("local_eprop"),
    /** Layer-local e-prop with fixed random matrices for every layer, the top one included. */
    LOCAL_EPROP_RANDOM("local_eprop_random"),
    /** Only the readout learns; the recurrent layers keep their initial weights. */
    READOUT_ONLY("readout_only");

    private final String label;

    Method(String label) {
        this.label = label;
    }

    /** The name used in CSV files and plots. */
    public String label() {
        return label;
    }

    /** Whether the rule runs on the float deep e-prop kernel. */
    public boolean kernel() {
        return this == DEEP_EPROP || this == DEEP_EPROP_RANDOM;
    }
}
