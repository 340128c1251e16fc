package org.deepeprop.verify;

/**
 * The exact gradient of the loss by backpropagation through time, in double precision: the
 * ground truth of SPEC.md section 4.
 *
 * <p>Conventions shared with e-prop: the reset term {@code -v_th z_{t-1}} is a constant and a
 * spike's derivative is the pseudo-derivative {@code dz/du = q(u)}. Every other dependency is
 * differentiated, including the recurrent block of {@code p^l_t} and the ALIF adaptation path
 * {@code a_t = rho a_{t-1} + z_{t-1}}. The feedback matrix {@code c.B()} is ignored.
 */
public final class Bptt {
    private Bptt() {
    }

    /**
     * Every state of a forward pass, indexed {@code [layer][t][neuron]} with {@code t = 0..T}
     * (row 0 is the all-zero initial state).
     *
     * @param p      presynaptic vectors {@code p^l_t}, {@code [layer][t][i]}
     * @param v      membranes
     * @param adapt  ALIF adaptation (zero for the other models)
     * @param z      outputs
     * @param u      membrane minus threshold (spiking models; zero for leaky_tanh)
     * @param deriv  output derivative: {@code dz/du = q(u)} for spiking models, {@code dz/dv} for tanh
     * @param e      readout errors {@code y_t - y*_t}, {@code [t][o]}
     * @param loss   {@code sum_t 1/2 ||e_t||^2}
     */
    record Forward(double[][][] p, double[][][] v, double[][][] adapt, double[][][] z,
                   double[][][] u, double[][][] deriv, double[][] e, double loss) {
    }

    /** The forward pass of SPEC.md sections 1-2, keeping every state for the reverse pass. */
    static Forward forward(Case c) {
        String model = Models.canonical(c.model());
        int depth = c.depth();
        int steps = c.T();
        double a = c.alpha();
        double[][][] p = new double[depth][steps + 1][];
        double[][][] v = new double[depth][steps + 1][];
        double[][][] adapt = new double[depth][steps + 1][];
        double[][][] z = new double[depth][steps + 1][];
        double[][][] u = new double[depth][steps + 1][];
        double[][][] deriv = new double[depth][steps + 1][];
        for (int l = 0; l < depth; l++) {
            int n = c.layers()[l];
            v[l][0] = new double[n];
            adapt[l][0] = new double[n];
            z[l][0] = new double[n];
            u[l][0] = new double[n];
            deriv[l][0] = new double[n];
        }
        double[][] e = new double[steps + 1][c.outputs()];
        double loss = 0.0;
        for (int t = 1; t <= steps; t++) {
            for (int l = 0; l < depth; l++) {
                int n = c.layers()[l];
                int nIn = c.inputWidth(l);
                int cols = c.presynaptic(l);
                double[] pt = new double[cols];
                for (int i = 0; i < nIn; i++) {
                    pt[i] = l == 0 ? c.x()[(t - 1) * c.inputs() + i] : z[l - 1][t][i];
                }
                if (c.recurrent()) {
                    System.arraycopy(z[l][t - 1], 0, pt, nIn, n);
                }
                pt[cols - 1] = 1.0;
                p[l][t] = pt;
                v[l][t] = new double[n];
                adapt[l][t] = new double[n];
                z[l][t] = new double[n];
                u[l][t] = new double[n];
                deriv[l][t] = new double[n];
                for (int j = 0; j < n; j++) {
                    double input = 0.0;
                    for (int i = 0; i < cols; i++) {
                        input += c.W()[l][j * cols + i] * pt[i];
                    }
                    double leak = a * v[l][t - 1][j] + (1 - a) * input;
                    double zPrev = z[l][t - 1][j];
                    if (model.equals(Models.LEAKY_TANH)) {
                        v[l][t][j] = leak;
                        z[l][t][j] = Math.tanh(leak);
                        deriv[l][t][j] = 1 - z[l][t][j] * z[l][t][j];
                    } else {
                        v[l][t][j] = leak - c.vTh() * zPrev;
                        adapt[l][t][j] = model.equals(Models.ALIF) ? c.rho() * adapt[l][t - 1][j] + zPrev : 0.0;
                        u[l][t][j] = v[l][t][j] - c.vTh() - c.beta() * adapt[l][t][j];
                        z[l][t][j] = u[l][t][j] > 0 ? 1.0 : 0.0;
                        deriv[l][t][j] = Models.q(u[l][t][j], c.vTh(), c.gamma());
                    }
                }
            }
            double[] top = z[depth - 1][t];
            for (int o = 0; o < c.outputs(); o++) {
                double y = c.bout()[o];
                for (int m = 0; m < top.length; m++) {
                    y += c.Wout()[o * top.length + m] * top[m];
                }
                e[t][o] = y - c.y()[(t - 1) * c.outputs() + o];
                loss += 0.5 * e[t][o] * e[t][o];
            }
        }
        return new Forward(p, v, adapt, z, u, deriv, e, loss);
    }

    /** The exact loss gradient of case {@code c} (feedback {@code c.B()} ignored). */
    public static Gradients run(Case c) {
        return run(c, true);
    }

    /**
     * BPTT, optionally with the recurrent edges {@code z^l_{t-1} -> I^l_t} cut from the backward
     * graph. Cut, it computes exactly what deep e-prop computes with recurrent weights (every path
     * but the recurrent ones), which pins down the e-prop reference in the recurrent case too.
     */
    static Gradients run(Case c, boolean recurrentPaths) {
        Forward f = forward(c);
        String model = Models.canonical(c.model());
        int depth = c.depth();
        int nTop = c.layers()[depth - 1];
        int nOut = c.outputs();
        double a = c.alpha();

        double[][] gradW = new double[depth][];
        // Adjoints of I^l, v^l and adapt^l: they hold step t+1 until layer l at step t overwrites them.
        double[][] gI = new double[depth][];
        double[][] gV = new double[depth][];
        double[][] gAdapt = new double[depth][];
        for (int l = 0; l < depth; l++) {
            int n = c.layers()[l];
            gradW[l] = new double[n * c.presynaptic(l)];
            gI[l] = new double[n];
            gV[l] = new double[n];
            gAdapt[l] = new double[n];
        }
        double[] gradWout = new double[nOut * nTop];
        double[] gradBout = new double[nOut];

        for (int t = c.T(); t >= 1; t--) {
            for (int o = 0; o < nOut; o++) {
                gradBout[o] += f.e()[t][o];
                for (int m = 0; m < nTop; m++) {
                    gradWout[o * nTop + m] += f.e()[t][o] * f.z()[depth - 1][t][m];
                }
            }
            // Top-down: layer l at step t needs gI^{l+1}_t, already overwritten with step t.
            for (int l = depth - 1; l >= 0; l--) {
                int n = c.layers()[l];
                double[] gz = outputAdjoint(c, f, l, t, gI, gAdapt, recurrentPaths);
                for (int j = 0; j < n; j++) {
                    // Through z_t = H(u_t), u_t = v_t - threshold_t (tanh: z_t = tanh(u_t), u_t = v_t).
                    double gu = gz[j] * f.deriv()[l][t][j];
                    gV[l][j] = gu + a * gV[l][j];
                    if (model.equals(Models.ALIF)) {
                        gAdapt[l][j] = -c.beta() * gu + c.rho() * gAdapt[l][j];
                    }
                    gI[l][j] = (1 - a) * gV[l][j];
                }
                int cols = c.presynaptic(l);
                double[] pt = f.p()[l][t];
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < cols; i++) {
                        gradW[l][j * cols + i] += gI[l][j] * pt[i];
                    }
                }
            }
        }
        return new Gradients(f.loss(), gradW, gradWout, gradBout);
    }

    /**
     * dL/dz^l_t through every direct consumer of z^l_t: the readout (top layer), I^{l+1}_t (input
     * block), I^l_{t+1} (recurrent block) and adapt^l_{t+1} (ALIF). On entry gI[l+1] is step t and
     * gI[l], gAdapt[l] are step t+1 (zero at t = T). The reset consumer is a constant by convention.
     */
    private static double[] outputAdjoint(Case c, Forward f, int l, int t, double[][] gI, double[][] gAdapt,
                                          boolean recurrentPaths) {
        int n = c.layers()[l];
        double[] gz = new double[n];
        if (l == c.depth() - 1) {
            for (int o = 0; o < c.outputs(); o++) {
                for (int j = 0; j < n; j++) {
                    gz[j] += c.Wout()[o * n + j] * f.e()[t][o];
                }
            }
        } else {
            int colsAbove = c.presynaptic(l + 1);
            for (int m = 0; m < c.layers()[l + 1]; m++) {
                for (int j = 0; j < n; j++) {
                    gz[j] += c.W()[l + 1][m * colsAbove + j] * gI[l + 1][m];
                }
            }
        }
        if (recurrentPaths && c.recurrent()) {
            int cols = c.presynaptic(l);
            int nIn = c.inputWidth(l);
            for (int m = 0; m < n; m++) {
                for (int j = 0; j < n; j++) {
                    gz[j] += c.W()[l][m * cols + nIn + j] * gI[l][m];
                }
            }
        }
        if (Models.canonical(c.model()).equals(Models.ALIF)) {
            for (int j = 0; j < n; j++) {
                gz[j] += gAdapt[l][j];
            }
        }
        return gz;
    }
}
