package org.deepeprop.verify;

/**
 * Deep e-prop in double precision, transcribed as literally as possible from SPEC.md section 3.
 *
 * <p>It keeps every trace the spec names, densely: the terminal traces {@code E^l}, the output
 * sensitivities {@code Z^{k<-l}} for all {@code k >= l} (with {@code Z^{l<-l}} materialised from
 * the block-sparse {@code T^{l<-l}}) and the hierarchical traces {@code T^{k<-l}} for all
 * {@code k > l}. It is the oracle for the float kernel and is checked itself against {@link Bptt}:
 * identical without recurrent weights, and with them identical to BPTT with the recurrent edges cut.
 * Clarity wins over speed, but depth 5, width 33, 50 steps still runs in about half a second.
 *
 * <p>Layout (0-based layers): a trace of one neuron is {@code double[d][cols]}, one flat row per
 * state component, where {@code cols = n_l P_l} is {@code theta^l = vec(W^l)} row-major, column
 * {@code j P_l + i}; the terminal trace of neuron {@code j} has {@code cols = P_l} (its own row
 * {@code W^l[j, :]}).
 */
public final class ReferenceEprop {
    private final Case c;
    private final String model;
    private final int depth;
    private final int d;
    private final double a;

    /** Per layer and neuron: membrane, adaptation (ALIF), output, pseudo-derivative q at step t. */
    private final double[][] v;
    private final double[][] adapt;
    private final double[][] z;
    private final double[][] q;
    /** q at step t-1: the ALIF Jacobian D_t depends on it. */
    private final double[][] qPrev;

    /** E[l][j][r][i]: component r of ds^l_j / dW^l[j, i]. */
    private final double[][][][] E;
    /** T[k][l][m][r][col] for k > l: component r of ds^k_m / dtheta^l[col]; null for k <= l. */
    private final double[][][][][] T;
    /** Z[k][l][n][col] for k >= l: dz^k_n / dtheta^l[col] at the current step. */
    private final double[][][][] Z;

    private final double[][] gradW;
    private final double[] gradWout;
    private final double[] gradBout;
    private double loss;

    private ReferenceEprop(Case c) {
        this.c = c;
        this.model = Models.canonical(c.model());
        this.depth = c.depth();
        this.d = Models.stateDim(model);
        this.a = c.alpha();
        v = new double[depth][];
        adapt = new double[depth][];
        z = new double[depth][];
        q = new double[depth][];
        qPrev = new double[depth][];
        E = new double[depth][][][];
        T = new double[depth][depth][][][];
        Z = new double[depth][depth][][];
        gradW = new double[depth][];
        for (int k = 0; k < depth; k++) {
            int n = c.layers()[k];
            v[k] = new double[n];
            adapt[k] = new double[n];
            z[k] = new double[n];
            q[k] = new double[n];
            qPrev[k] = new double[n];
            E[k] = new double[n][d][c.presynaptic(k)];
            gradW[k] = new double[n * c.presynaptic(k)];
            for (int l = 0; l <= k; l++) {
                int cols = c.layers()[l] * c.presynaptic(l);
                Z[k][l] = new double[n][cols];
                if (k > l) {
                    T[k][l] = new double[n][d][cols];
                }
            }
        }
        gradWout = new double[c.outputs() * c.layers()[depth - 1]];
        gradBout = new double[c.outputs()];
    }

    /**
     * Runs deep e-prop over the whole sequence and returns the summed loss and gradients. The
     * feedback is {@code B = W_out^T} when {@code c.B()} is null, else {@code c.B()}
     * ({@code n_L x n_out} row-major); the readout gradients are exact either way.
     */
    public static Gradients run(Case c) {
        ReferenceEprop r = new ReferenceEprop(c);
        for (int t = 0; t < c.T(); t++) {
            r.step(t);
        }
        return new Gradients(r.loss, r.gradW, r.gradWout, r.gradBout);
    }

    /** One time step: layers bottom-up, so Z^{k-1<-l}_t is ready when layer k needs it. */
    private void step(int t) {
        for (int k = 0; k < depth; k++) {
            double[] p = presynaptic(k, t);
            advanceNeurons(k, p);
            for (int j = 0; j < c.layers()[k]; j++) {
                localStep(jacobian(k, j), injection(), E[k][j], p);
            }
            embedTerminal(k);
            for (int l = 0; l < k; l++) {
                updateHierarchical(k, l);
                outputSensitivity(k, l);
            }
        }
        readoutAndGradient(t);
    }

    /** p^k_t = [z^{k-1}_t ; z^k_{t-1} ; 1]; called before layer k advances, so z[k] is still step t-1. */
    private double[] presynaptic(int k, int t) {
        int nIn = c.inputWidth(k);
        double[] p = new double[c.presynaptic(k)];
        for (int i = 0; i < nIn; i++) {
            p[i] = k == 0 ? c.x()[t * c.inputs() + i] : z[k - 1][i];
        }
        if (c.recurrent()) {
            System.arraycopy(z[k], 0, p, nIn, c.layers()[k]);
        }
        p[p.length - 1] = 1.0;
        return p;
    }

    /** The neuron updates of SPEC.md section 2, I = W p; the reset uses z_{t-1}. */
    private void advanceNeurons(int k, double[] p) {
        int cols = p.length;
        double[] w = c.W()[k];
        for (int j = 0; j < c.layers()[k]; j++) {
            double input = 0.0;
            for (int i = 0; i < cols; i++) {
                input += w[j * cols + i] * p[i];
            }
            double zPrev = z[k][j];
            qPrev[k][j] = q[k][j];
            switch (model) {
                case Models.LEAKY_TANH -> {
                    v[k][j] = a * v[k][j] + (1 - a) * input;
                    z[k][j] = Math.tanh(v[k][j]);
                }
                case Models.LIF -> {
                    v[k][j] = a * v[k][j] + (1 - a) * input - c.vTh() * zPrev;
                    spike(k, j, v[k][j] - c.vTh());
                }
                default -> {
                    adapt[k][j] = c.rho() * adapt[k][j] + zPrev;
                    v[k][j] = a * v[k][j] + (1 - a) * input - c.vTh() * zPrev;
                    spike(k, j, v[k][j] - c.vTh() - c.beta() * adapt[k][j]);
                }
            }
        }
    }

    private void spike(int k, int j, double u) {
        z[k][j] = u > 0 ? 1.0 : 0.0;
        q[k][j] = Models.q(u, c.vTh(), c.gamma());
    }

    /** D = ds_t / ds_{t-1} of neuron j in layer k (reset held constant). */
    private double[][] jacobian(int k, int j) {
        if (d == 1) {
            return new double[][] {{a}};
        }
        double qp = qPrev[k][j];
        return new double[][] {{a, 0.0}, {qp, c.rho() - c.beta() * qp}};
    }

    /** c = ds_t / dI_t; the same for every neuron, as the case has one decay for all layers. */
    private double[] injection() {
        return d == 1 ? new double[] {1 - a} : new double[] {1 - a, 0.0};
    }

    /** psi = dz_t / ds_t. */
    private double[] psi(int k, int j) {
        return switch (model) {
            case Models.LEAKY_TANH -> new double[] {1 - z[k][j] * z[k][j]};
            case Models.LIF -> new double[] {q[k][j]};
            default -> new double[] {q[k][j], -c.beta() * q[k][j]};
        };
    }

    /**
     * One neuron's trace step, column by column: x[:, i] = D x[:, i] + cVec src[i]. The same form
     * serves E (src = p) and T (src = sum_n W[m, n] Z[n, :]).
     */
    private static void localStep(double[][] dMat, double[] cVec, double[][] x, double[] src) {
        int dim = x.length;
        double[] old = new double[dim];
        for (int i = 0; i < src.length; i++) {
            for (int r = 0; r < dim; r++) {
                old[r] = x[r][i];
            }
            for (int r = 0; r < dim; r++) {
                double s = cVec[r] * src[i];
                for (int u = 0; u < dim; u++) {
                    s += dMat[r][u] * old[u];
                }
                x[r][i] = s;
            }
        }
    }

    /** Z^{k<-k}[n, (j, i)] = [n == j] psi_n . E[:, j, i]: T^{k<-k} is E embedded block-sparsely. */
    private void embedTerminal(int k) {
        int pk = c.presynaptic(k);
        for (int n = 0; n < c.layers()[k]; n++) {
            double[] row = Z[k][k][n];
            java.util.Arrays.fill(row, 0.0);
            double[] psi = psi(k, n);
            for (int i = 0; i < pk; i++) {
                double s = 0.0;
                for (int r = 0; r < d; r++) {
                    s += psi[r] * E[k][n][r][i];
                }
                row[n * pk + i] = s;
            }
        }
    }

    /**
     * T^{k<-l}[:, m, :] = D^k_m T^{k<-l}[:, m, :] + c^k_m sum_n W^k[m, n] Z^{k-1<-l}[n, :], with n
     * over the input block of W^k only: the recurrent paths are dropped, as in e-prop.
     */
    private void updateHierarchical(int k, int l) {
        int pk = c.presynaptic(k);
        int below = c.layers()[k - 1];
        int cols = c.layers()[l] * c.presynaptic(l);
        double[][] zBelow = Z[k - 1][l];
        for (int m = 0; m < c.layers()[k]; m++) {
            double[] drive = new double[cols];
            for (int n = 0; n < below; n++) {
                double w = c.W()[k][m * pk + n];
                for (int col = 0; col < cols; col++) {
                    drive[col] += w * zBelow[n][col];
                }
            }
            localStep(jacobian(k, m), injection(), T[k][l][m], drive);
        }
    }

    /** Z^{k<-l}[n, :] = psi^k_n . T^{k<-l}[:, n, :]. */
    private void outputSensitivity(int k, int l) {
        for (int n = 0; n < c.layers()[k]; n++) {
            double[] psi = psi(k, n);
            double[] row = Z[k][l][n];
            for (int col = 0; col < row.length; col++) {
                double s = 0.0;
                for (int r = 0; r < d; r++) {
                    s += psi[r] * T[k][l][n][r][col];
                }
                row[col] = s;
            }
        }
    }

    /** y = W_out z^L + b_out, e = y - y*; delta = B e; G^l += sum_m delta_m Z^{L<-l}[m, :]. */
    private void readoutAndGradient(int t) {
        int top = depth - 1;
        int nTop = c.layers()[top];
        int nOut = c.outputs();
        double[] e = new double[nOut];
        for (int o = 0; o < nOut; o++) {
            double y = c.bout()[o];
            for (int m = 0; m < nTop; m++) {
                y += c.Wout()[o * nTop + m] * z[top][m];
            }
            e[o] = y - c.y()[t * nOut + o];
            loss += 0.5 * e[o] * e[o];
            gradBout[o] += e[o];
            for (int m = 0; m < nTop; m++) {
                gradWout[o * nTop + m] += e[o] * z[top][m];
            }
        }
        for (int m = 0; m < nTop; m++) {
            double delta = 0.0;
            for (int o = 0; o < nOut; o++) {
                delta += (c.B() == null ? c.Wout()[o * nTop + m] : c.B()[m * nOut + o]) * e[o];
            }
            for (int l = 0; l < depth; l++) {
                double[] g = gradW[l];
                double[] zRow = Z[top][l][m];
                for (int col = 0; col < g.length; col++) {
                    g[col] += delta * zRow[col];
                }
            }
        }
    }
}
