package org.deepeprop.net;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.deepeprop.simd.TraceOps;

/**
 * The top layer's adjacent trace {@code T = T^{L<-L-1}} of ALIF neurons ({@code d = 2}, no factor
 * form) and its contraction into {@code G^{L-1}} over up to {@code capacity} steps, applied by
 * products instead of a pass over {@code T} per step.
 *
 * <p>A step s does, for top neurons {@code m} and lower neurons {@code j},
 * {@code Tv[m, j, :] = alpha_m Tv + kappa[m, j] x_s[j, :]},
 * {@code Ta[m, j, :] = rho_m(s) Ta + q_m(s) Tv} (the old {@code Tv}; x: the lower layer's
 * sensitivities; kappa = {@code c W}, fixed while the weights are, and every weight change settles
 * first) and {@code G[j, :] += sum_m wv_m(s) Tv[m, j, :] + wa_m(s) Ta[m, j, :]}. Each pair
 * {@code (Tv, Ta)[m, j, i]} moves by {@code M_m(s) = [[alpha, 0], [q(s), rho(s)]]}, so after
 * {@code c} steps
 * <pre>
 * T = Phi T_0 + sum_s kappa[m, j] col(s) x_s[j, :],   col(s) = M(c-1)...M(s+1) e_v,   Phi = M(c-1)...M(0)
 * G[j, :] += sum_m omega_m . T_0[m, j, :] + sum_s (sum_m kappa[m, j] R_v,m(s)) x_s[j, :],
 *            R(s) = w(s) + R(s+1) M(s+1),   omega = R(0) M(0)
 * </pre>
 * For each lower neuron {@code j}: a contraction of its columns of {@code T_0}, a row pass
 * {@code Ta = Phi_aa Ta + Phi_av Tv} and a product of a {@code 2 n_L x c} matrix by the {@code c}
 * rows {@code x_s[j, :]}, all while those columns ({@code 2 n_L x P_{L-1}} floats) sit in L2. So
 * {@code T} crosses memory once per {@code c} steps instead of every step, and the products take
 * one multiply-add per element and step where the per-step passes took two.
 */
final class AlifBuffer {
    final int blocks;   // n_L
    final int rows;     // n_{L-1}
    final int cols;     // P_{L-1}
    final int capacity;
    private final int theta;
    private final TraceOps ops;
    private final float[] ones;
    private final float[] alpha; // the top layer's membrane decays, per m
    private final float[] t;     // T^{L<-L-1}: Tv rows 0..n-1, Ta rows n..2n-1, each theta floats
    private final float[] g;     // G^{L-1}
    /** {@code kappa} at the first kept step, {@code blocks x rows}. */
    private final float[] kappa;
    /** Per step: {@code q(s)}, {@code rho(s)} ({@code capacity x blocks}), {@code w(s)} ({@code capacity x 2 blocks}). */
    private final float[] cross;
    private final float[] rho;
    private final float[] weights;
    /** Row {@code s}: step {@code s}'s sensitivities {@code x_s}, {@code rows x cols}. */
    private final float[] sources;
    private final float[] injection; // 2 blocks x c: col(s), v rows then a rows
    private final float[] response;  // blocks x c: R_v(s)
    private final float[] omega;     // 2 blocks
    private final float[] decayC;    // 2 blocks: alpha^c for v rows, 1 for a rows (Phi_aa applied apart)
    private final float[] adaptC;    // Phi_aa per m
    private final float[] crossC;    // Phi_av per m
    /** Per part of a flush: the product's coefficients ({@code 2 blocks x capacity}), lambda_j, the product scratch. */
    private final float[][] coefficients;
    private final float[][] lambda;
    private final float[][] packs;
    private final IntConsumer part = this::columns;
    private int count;
    private boolean contracted;

    /**
     * A buffer for {@code t} ({@code 2 blocks x rows x cols}) and {@code g} ({@code rows x cols}),
     * with membrane decays {@code alpha} and one {@code packs} scratch per part of a flush.
     */
    AlifBuffer(TraceOps ops, float[] ones, float[][] packs, float[] alpha, float[] t, float[] g,
               int blocks, int rows, int cols, int capacity) {
        this.ops = ops;
        this.ones = ones;
        this.packs = packs;
        this.alpha = alpha;
        this.t = t;
        this.g = g;
        this.blocks = blocks;
        this.rows = rows;
        this.cols = cols;
        this.capacity = capacity;
        theta = rows * cols;
        kappa = new float[blocks * rows];
        cross = new float[capacity * blocks];
        rho = new float[capacity * blocks];
        weights = new float[capacity * 2 * blocks];
        sources = new float[capacity * theta];
        injection = new float[2 * blocks * capacity];
        response = new float[blocks * capacity];
        omega = new float[2 * blocks];
        decayC = new float[2 * blocks];
        Arrays.fill(decayC, blocks, 2 * blocks, 1f);
        adaptC = new float[blocks];
        crossC = new float[blocks];
        coefficients = new float[packs.length][2 * blocks * capacity];
        lambda = new float[packs.length][capacity];
    }

    /** Floats this buffer allocates with {@code parts} parts, for {@link NetworkConfig#networkBytes()}. */
    static long floats(int blocks, int rows, int cols, int capacity, int parts) {
        return (long) blocks * rows + (long) capacity * rows * cols + 7L * blocks * capacity + 6L * blocks
                + (long) parts * (2L * blocks + 1) * capacity;
    }

    /**
     * Keeps one step: the top layer's weights {@code w} ({@code pre} floats a row) and injections
     * {@code c} (read at the first kept step only, for {@code kappa = c W}), its neurons' {@code cross}
     * and {@code adaptDecay}, {@code signal} the contraction weights ({@code 2 blocks}; null: none
     * this step) and {@code x} the lower layer's sensitivities.
     */
    void add(float[] w, int pre, float[] c, float[] crossNow, float[] adaptDecay, float[] signal, float[] x) {
        if (count == 0) {
            for (int m = 0; m < blocks; m++) {
                for (int j = 0; j < rows; j++) {
                    kappa[m * rows + j] = c[m] * w[m * pre + j];
                }
            }
        }
        System.arraycopy(crossNow, 0, cross, count * blocks, blocks);
        System.arraycopy(adaptDecay, 0, rho, count * blocks, blocks);
        int at = count * 2 * blocks;
        contracted |= Slots.keepSignal(signal, weights, at, 2 * blocks);
        System.arraycopy(x, 0, sources, count * theta, theta);
        count++;
    }

    boolean full() {
        return count == capacity;
    }

    /**
     * Applies the kept steps to {@code t} and {@code g}, then empties. With {@code workers}, each
     * part takes a range of lower neurons {@code j} (their columns of {@code T} and rows of
     * {@code G}); every element gets the same operations in the same order as on one thread.
     */
    void flush(StepWorkers workers) {
        if (count == 0) {
            return;
        }
        int c = count;
        for (int m = 0; m < blocks; m++) {
            recur(m, c);
        }
        if (workers == null) {
            columns(0);
        } else {
            workers.run(part);
        }
        count = 0;
        contracted = false;
    }

    /**
     * The backward recursions of top neuron {@code m}: {@code col(s)} with
     * {@code P(s) = rho(s+1)...rho(c-1)}, and {@code R(s)}; then {@code Phi} and {@code omega}.
     */
    private void recur(int m, int c) {
        int n = blocks;
        float a = alpha[m];
        float colV = 1f;
        float colA = 0f;
        float p = 1f;
        float rV = 0f;
        float rA = 0f;
        for (int s = c - 1; s >= 0; s--) {
            if (s < c - 1) { // move from s + 1 to s through M(s + 1)
                float q = cross[(s + 1) * n + m];
                float r = rho[(s + 1) * n + m];
                rV = rV * a + rA * q;
                rA *= r;
                colA = a * colA + q * p;
                colV *= a;
                p *= r;
            }
            rV += weights[s * 2 * n + m];
            rA += weights[s * 2 * n + n + m];
            injection[m * c + s] = colV;
            injection[(n + m) * c + s] = colA;
            response[m * c + s] = rV;
        }
        float q0 = cross[m];
        float r0 = rho[m];
        omega[m] = rV * a + rA * q0;
        omega[n + m] = rA * r0;
        decayC[m] = a * colV;
        crossC[m] = a * colA + q0 * p;
        adaptC[m] = r0 * p;
    }

    /** Lower neurons {@code [j0, j1)} of part {@code part}, one at a time. */
    private void columns(int part) {
        int c = count;
        int n = blocks;
        int parts = packs.length;
        int j0 = StepWorkers.start(rows, part, parts);
        int j1 = StepWorkers.start(rows, part + 1, parts);
        float[] coef = coefficients[part];
        float[] lam = lambda[part];
        float[] pack = packs[part];
        for (int j = j0; j < j1; j++) {
            int off = j * cols;
            if (contracted) {
                ops.accumulateGemvT(g, off, t, off, 2 * n, cols, theta, omega, 0);
            }
            for (int m = 0; m < n; m++) {
                ops.decayRows(t, (n + m) * theta + off, 1, cols, adaptC, m, crossC, m, t, m * theta + off, 0);
            }
            for (int r = 0; r < 2 * n; r++) {
                float k = kappa[(r < n ? r : r - n) * rows + j];
                for (int s = 0; s < c; s++) {
                    coef[r * c + s] = k * injection[r * c + s];
                }
            }
            ops.decayGemm(t, off, 2 * n, cols, theta, decayC, 0, coef, 0, c, sources, off, pack);
            if (contracted) {
                Arrays.fill(lam, 0, c, 0f);
                for (int m = 0; m < n; m++) {
                    float k = kappa[m * rows + j];
                    for (int s = 0; s < c; s++) {
                        lam[s] += k * response[m * c + s];
                    }
                }
                ops.decayGemm(g, off, 1, cols, theta, ones, 0, lam, 0, c, sources, off, pack);
            }
        }
    }
}
