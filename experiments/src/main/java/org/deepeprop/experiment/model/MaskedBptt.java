package org.deepeprop.experiment.model;

import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.verify.Gradients;

/**
 * Exact backpropagation through time with a loss mask: the gradient of {@code sum_t l_t} over the
 * steps that have a target. The conventions are those of the verify module's {@code Bptt} (reset a
 * constant, spike derivative {@code q}); this copy exists because a {@code Case} puts a target on
 * every step, and the tasks here answer only at the end of a sequence.
 */
public final class MaskedBptt {
    private MaskedBptt() {
    }

    /** The exact gradient of the masked loss of {@code targets} along trajectory {@code f}. */
    public static Gradients run(NetSpec spec, Params params, Trajectory f, double[][] targets) {
        Readout r = Readout.of(f, targets);
        int depth = spec.depth();
        double a = spec.alpha();
        boolean alif = spec.model() == NeuronModel.ALIF;
        double[][] gradW = new double[depth][];
        // Adjoints of I, v and adapt per layer: they hold step t+1 until layer l at step t overwrites them.
        double[][] gI = new double[depth][];
        double[][] gV = new double[depth][];
        double[][] gAdapt = new double[depth][];
        for (int l = 0; l < depth; l++) {
            int n = spec.width(l);
            gradW[l] = new double[n * spec.presynaptic(l)];
            gI[l] = new double[n];
            gV[l] = new double[n];
            gAdapt[l] = new double[n];
        }
        for (int t = f.steps(); t >= 1; t--) {
            // Top-down: layer l at step t needs gI[l + 1] of step t, already written.
            for (int l = depth - 1; l >= 0; l--) {
                int n = spec.width(l);
                double[] gz = outputAdjoint(spec, params, r.e()[t], l, gI, gAdapt);
                for (int j = 0; j < n; j++) {
                    double gu = gz[j] * f.deriv()[l][t][j];
                    gV[l][j] = gu + a * gV[l][j];
                    if (alif) {
                        gAdapt[l][j] = -spec.beta() * gu + spec.rho() * gAdapt[l][j];
                    }
                    gI[l][j] = (1 - a) * gV[l][j];
                }
                int cols = spec.presynaptic(l);
                double[] pt = f.p()[l][t];
                for (int j = 0; j < n; j++) {
                    double g = gI[l][j];
                    for (int i = 0; i < cols; i++) {
                        gradW[l][j * cols + i] += g * pt[i];
                    }
                }
            }
        }
        return r.withLayers(spec, f, gradW);
    }

    /**
     * dL/dz^l_t through its consumers: the readout (top layer) or I^{l+1}_t, the recurrent block of
     * I^l_{t+1}, and adapt^l_{t+1} (ALIF). On entry gI[l + 1] is step t, gI[l] and gAdapt[l] step t+1.
     */
    private static double[] outputAdjoint(NetSpec spec, Params params, double[] e, int l, double[][] gI,
                                          double[][] gAdapt) {
        int n = spec.width(l);
        double[] gz = new double[n];
        if (l == spec.depth() - 1) {
            for (int o = 0; o < e.length; o++) {
                for (int j = 0; j < n; j++) {
                    gz[j] += params.wOut()[o * n + j] * e[o];
                }
            }
        } else {
            int colsAbove = spec.presynaptic(l + 1);
            float[] above = params.w()[l + 1];
            for (int m = 0; m < spec.width(l + 1); m++) {
                for (int j = 0; j < n; j++) {
                    gz[j] += above[m * colsAbove + j] * gI[l + 1][m];
                }
            }
        }
        if (spec.recurrent()) {
            int cols = spec.presynaptic(l);
            int nIn = spec.inputWidth(l);
            float[] w = params.w()[l];
            for (int m = 0; m < n; m++) {
                for (int j = 0; j < n; j++) {
                    gz[j] += w[m * cols + nIn + j] * gI[l][m];
                }
            }
        }
        if (spec.model() == NeuronModel.ALIF) {
            for (int j = 0; j < n; j++) {
                gz[j] += gAdapt[l][j];
            }
        }
        return gz;
    }
}
