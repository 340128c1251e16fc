package org.deepeprop.experiment.model;

import org.deepeprop.verify.Gradients;

/**
 * The readout errors of a trajectory against masked targets, and the exact readout gradients that
 * every learning rule shares ({@code G_out += e_t z_t^T}, {@code G_bout += e_t}).
 *
 * @param e    {@code e_t = y_t - y*_t}, {@code [t][o]} for {@code t = 0..T}; all zero at steps without a target
 * @param loss {@code sum_t 1/2 ||e_t||^2}
 */
public record Readout(double[][] e, double loss) {

    /**
     * @param targets one row per step ({@code targets[t - 1]} for step {@code t}); a {@code null}
     *     row means no loss term at that step
     */
    public static Readout of(Trajectory f, double[][] targets) {
        int steps = f.steps();
        if (targets.length != steps) {
            throw new IllegalArgumentException("targets: got " + targets.length + " rows, expected " + steps);
        }
        int outputs = f.y()[0].length;
        double[][] e = new double[steps + 1][outputs];
        double loss = 0;
        for (int t = 1; t <= steps; t++) {
            double[] target = targets[t - 1];
            if (target == null) {
                continue;
            }
            for (int o = 0; o < outputs; o++) {
                e[t][o] = f.y()[t][o] - target[o];
                loss += 0.5 * e[t][o] * e[t][o];
            }
        }
        return new Readout(e, loss);
    }

    /** Gradients with the exact readout terms and zero layer gradients (readout-only training). */
    public Gradients readoutOnly(NetSpec spec, Trajectory f) {
        double[][] gradW = new double[spec.depth()][];
        for (int l = 0; l < spec.depth(); l++) {
            gradW[l] = new double[spec.width(l) * spec.presynaptic(l)];
        }
        return withLayers(spec, f, gradW);
    }

    /** Gradients with the given layer gradients and the exact readout terms. */
    Gradients withLayers(NetSpec spec, Trajectory f, double[][] gradW) {
        int top = spec.top();
        int outputs = spec.outputs();
        double[] gradWout = new double[outputs * top];
        double[] gradBout = new double[outputs];
        for (int t = 1; t < e.length; t++) {
            double[] zTop = f.z()[spec.depth() - 1][t];
            for (int o = 0; o < outputs; o++) {
                gradBout[o] += e[t][o];
                for (int m = 0; m < top; m++) {
                    gradWout[o * top + m] += e[t][o] * zTop[m];
                }
            }
        }
        return new Gradients(loss, gradW, gradWout, gradBout);
    }
}
