package org.deepeprop.experiment.model;

import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.verify.Gradients;

/**
 * Layer-local e-prop, in double precision: every layer keeps only its own eligibility traces
 * {@code E^l} and receives a learning signal {@code B^l e_t} straight from the readout error
 * through a fixed matrix, with no recursion over depth. This is how deep spiking networks are
 * trained with e-prop elsewhere (IGITUGraz, mlGeNN): it is the baseline deep e-prop improves on.
 *
 * <p>One decay for all neurons of a layer, so the membrane component of {@code E^l[j, :]} is the
 * same row for every neuron (the factorised trace of SPEC.md section 4); the ALIF adaptation
 * component depends on the neuron through {@code q_{t-1}} and is kept per neuron.
 */
public final class LocalEprop {
    private LocalEprop() {
    }

    /**
     * The layer-local e-prop gradients of the masked loss along {@code f}.
     *
     * @param feedback per layer, {@code n_l x n_out} row-major; a {@code null} entry means
     *     {@code W_out^T} (symmetric, only meaningful for the top layer)
     */
    public static Gradients run(NetSpec spec, Params params, Trajectory f, double[][] targets, double[][] feedback) {
        Readout r = Readout.of(f, targets);
        int depth = spec.depth();
        int outputs = spec.outputs();
        double a = spec.alpha();
        boolean alif = spec.model() == NeuronModel.ALIF;
        double[][] gradW = new double[depth][];
        for (int l = 0; l < depth; l++) {
            int n = spec.width(l);
            int cols = spec.presynaptic(l);
            double[] b = feedback[l] != null ? feedback[l] : params.transposedReadout();
            double[] g = new double[n * cols];
            double[] pbar = new double[cols];      // membrane component, shared by all neurons
            double[] ea = alif ? new double[n * cols] : null; // adaptation component, per neuron
            double[] signal = new double[n];
            for (int t = 1; t <= f.steps(); t++) {
                double[] q = f.deriv()[l][t];
                double[] qPrev = f.deriv()[l][t - 1];
                double[] p = f.p()[l][t];
                if (alif) {
                    // The adaptation row reads the membrane row of step t-1: update it first.
                    for (int j = 0; j < n; j++) {
                        double cross = qPrev[j];
                        double decay = spec.rho() - spec.beta() * qPrev[j];
                        for (int i = 0; i < cols; i++) {
                            ea[j * cols + i] = decay * ea[j * cols + i] + cross * pbar[i];
                        }
                    }
                }
                for (int i = 0; i < cols; i++) {
                    pbar[i] = a * pbar[i] + (1 - a) * p[i];
                }
                double[] e = r.e()[t];
                boolean any = false;
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int o = 0; o < outputs; o++) {
                        s += b[j * outputs + o] * e[o];
                    }
                    signal[j] = s * q[j];
                    any |= s != 0;
                }
                if (!any) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    double s = signal[j];
                    for (int i = 0; i < cols; i++) {
                        double elig = alif ? pbar[i] - spec.beta() * ea[j * cols + i] : pbar[i];
                        g[j * cols + i] += s * elig;
                    }
                }
            }
            gradW[l] = g;
        }
        return r.withLayers(spec, f, gradW);
    }
}
