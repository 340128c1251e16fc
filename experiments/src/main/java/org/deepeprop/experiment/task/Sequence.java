package org.deepeprop.experiment.task;

/**
 * One input sequence with its targets.
 *
 * @param x      inputs, {@code T x n_0}
 * @param target targets, one row per step; a {@code null} row means no loss term at that step
 * @param label  the class of a classification sequence, -1 for a regression
 */
public record Sequence(double[][] x, double[][] target, int label) {

    /** Sequence length {@code T}. */
    public int steps() {
        return x.length;
    }
}
