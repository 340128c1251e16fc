package org.deepeprop.experiment.model;

/**
 * Every state of one forward pass in double precision, indexed {@code [layer][t][neuron]} with
 * {@code t = 0..T} (row 0 is the all-zero initial state).
 *
 * @param p     presynaptic vectors {@code p^l_t} ({@code [layer][t][i]}; row 0 unused)
 * @param adapt ALIF adaptation {@code a_t} (zero for the other models)
 * @param z     outputs {@code z^l_t}
 * @param deriv output derivative: {@code q(u_t)} for spiking models, {@code 1 - z_t^2} for tanh
 * @param y     readout {@code y_t}, {@code [t][o]} (row 0 unused)
 */
public record Trajectory(double[][][] p, double[][][] adapt, double[][][] z, double[][][] deriv, double[][] y) {

    /** Sequence length {@code T}. */
    public int steps() {
        return y.length - 1;
    }
}
