package org.deepeprop.experiment.model;

import org.deepeprop.neuron.NeuronModel;

/**
 * The forward pass of SPEC.md sections 1-2 in double precision, keeping every state for the
 * gradient methods of this module. It mirrors the kernel's neurons: LIF and ALIF reset by
 * subtracting {@code v_th z_{t-1}}, ALIF raises its threshold by {@code beta a_t} with
 * {@code a_t = rho a_{t-1} + z_{t-1}}.
 */
public final class Dynamics {
    private Dynamics() {
    }

    /** Runs {@code x} ({@code T x n_0}) from the zero state. */
    public static Trajectory forward(NetSpec spec, Params params, double[][] x) {
        int depth = spec.depth();
        int steps = x.length;
        double a = spec.alpha();
        double[][][] p = new double[depth][steps + 1][];
        double[][][] v = new double[depth][steps + 1][];
        double[][][] adapt = new double[depth][steps + 1][];
        double[][][] z = new double[depth][steps + 1][];
        double[][][] deriv = new double[depth][steps + 1][];
        for (int l = 0; l < depth; l++) {
            int n = spec.width(l);
            v[l][0] = new double[n];
            adapt[l][0] = new double[n];
            z[l][0] = new double[n];
            deriv[l][0] = new double[n];
        }
        double[][] y = new double[steps + 1][spec.outputs()];
        for (int t = 1; t <= steps; t++) {
            for (int l = 0; l < depth; l++) {
                int n = spec.width(l);
                int nIn = spec.inputWidth(l);
                int cols = spec.presynaptic(l);
                double[] pt = new double[cols];
                System.arraycopy(l == 0 ? x[t - 1] : z[l - 1][t], 0, pt, 0, nIn);
                if (spec.recurrent()) {
                    System.arraycopy(z[l][t - 1], 0, pt, nIn, n);
                }
                pt[cols - 1] = 1.0;
                p[l][t] = pt;
                v[l][t] = new double[n];
                adapt[l][t] = new double[n];
                z[l][t] = new double[n];
                deriv[l][t] = new double[n];
                float[] w = params.w()[l];
                for (int j = 0; j < n; j++) {
                    double current = 0.0;
                    for (int i = 0; i < cols; i++) {
                        current += w[j * cols + i] * pt[i];
                    }
                    double leak = a * v[l][t - 1][j] + (1 - a) * current;
                    double zPrev = z[l][t - 1][j];
                    if (spec.model() == NeuronModel.LEAKY_TANH) {
                        v[l][t][j] = leak;
                        z[l][t][j] = Math.tanh(leak);
                        deriv[l][t][j] = 1 - z[l][t][j] * z[l][t][j];
                    } else {
                        v[l][t][j] = leak - spec.vTh() * zPrev;
                        adapt[l][t][j] = spec.model() == NeuronModel.ALIF ? spec.rho() * adapt[l][t - 1][j] + zPrev : 0;
                        double u = v[l][t][j] - spec.vTh() - spec.beta() * adapt[l][t][j];
                        z[l][t][j] = u > 0 ? 1.0 : 0.0;
                        deriv[l][t][j] = pseudoDerivative(u, spec.vTh(), spec.gamma());
                    }
                }
            }
            double[] top = z[depth - 1][t];
            for (int o = 0; o < spec.outputs(); o++) {
                double out = params.bOut()[o];
                for (int m = 0; m < top.length; m++) {
                    out += params.wOut()[o * top.length + m] * top[m];
                }
                y[t][o] = out;
            }
        }
        return new Trajectory(p, adapt, z, deriv, y);
    }

    /** {@code q(u) = (gamma / v_th) max(0, 1 - |u| / v_th)}. */
    static double pseudoDerivative(double u, double vTh, double gamma) {
        return gamma / vTh * Math.max(0.0, 1.0 - Math.abs(u) / vTh);
    }
}
