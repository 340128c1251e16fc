package org.deepeprop.net;

import java.util.Arrays;
import org.deepeprop.simd.TraceOps;

/**
 * The top layer's deep trace fed from a factor, {@code T = T^{L<-L-2}}, and its contraction over
 * up to {@code capacity} steps, applied by products instead of a pass over {@code T} per step.
 *
 * <p>A step does {@code T[m, i, :] = a_m T[m, i, :] + C_s[m, i] q_s[i, :]} (C: {@code c A W}, the
 * coefficients of {@link Layer#deepCarry}; q: the layer below's factor after its own update
 * {@code q_s = b_i q_{s-1} + psi_i(s) x_s}, x the shared filtered row of layer {@code L-2}) and
 * {@code G[i, :] += sum_m w_m(s) T[m, i, :]}. With {@code S = q_0} kept at the first step, every
 * {@code q_r = b^r S + sum_{1<=u<=r} b^(r-u) psi(u) x_u}, so after {@code c} steps
 * <pre>
 * T = a^c T_0 + V(0) S + sum_{u>=1} psi(u) V(u) x_u,   V(u) = sum_{r>=u} a^(c-1-r) b^(r-u) C_r
 * G += sum_m a W_m(0) T_0[m] + (sum_m U(0)) S + sum_{u>=1} psi(u) (sum_m U(u)) x_u,
 *      W_m(r) = sum_{s>=r} w_m(s) a^(s-r),   U(u) = sum_{r>=u} W_m(r) b^(r-u) C_r
 * </pre>
 * per {@code (m, i)}: a contraction of {@code T_0}, a row-scaled pass and products of
 * {@code (n_L n_{L-2}) x c} and {@code n_{L-2} x c} coefficient matrices by the {@code c x P} rows
 * {@code x}. {@code T} is read three times and written twice per {@code c} steps instead of read
 * and written every step, for the same multiply-adds. Only the top layer's {@code T} qualifies: no
 * layer above reads it during the step.
 */
final class DeepBuffer {
    final int blocks;   // n_L
    final int rows;     // n_{L-2}
    final int cols;     // P_{L-2}
    final int capacity;
    /** {@code C_s[m, i]}, {@code capacity x (blocks rows)}: one contiguous row per step, as below. */
    private final float[] carries;
    /** {@code w_m(s)}, {@code capacity x blocks}; {@code psi_i(s)}, {@code capacity x rows}. */
    private final float[] weights;
    private final float[] psi;
    /** Row {@code s}: step {@code s}'s shared row {@code x_s}. */
    private final float[] sources;
    /** {@code S}: the factor at the first kept step, {@code rows x cols}. */
    private final float[] start;
    private final float[] nu;      // (blocks rows) x c: psi(u) V(u), column 0 zero
    private final float[] mu;      // V(0) per (m, i)
    private final float[] decayC;  // a_m^c per (m, i)
    private final float[] lambda;  // rows x c: psi(u) sum_m U(u), column 0 zero
    private final float[] kappa;   // sum_m U(0) per i
    private final float[] omega;   // a_m W_m(0)
    private final float[] suffix;  // W_m(r), blocks x capacity
    /**
     * The recursions' state {@code V}, {@code U} per lower neuron, and their outputs for one block
     * by step ({@code capacity x rows}: a step's row is contiguous, as {@link TraceOps#recurPair}
     * writes it), transposed into {@code nu} and {@code lambda} afterwards. One set per part: parts
     * own disjoint lower neurons, but shared arrays put both parts' writes on the lines at their
     * boundary, every step of every block: a first version that shared them ran the two-thread
     * depth-3 width-128 step slower than before.
     */
    private final float[][] vState;
    private final float[][] uState;
    private final float[][] nuByStep;
    private final float[][] lambdaByStep;
    private final TraceOps ops;
    private final float[] ones;
    /** One product scratch per part of a flush. */
    private final float[][] packs;
    private final float[] a;       // the top layer's decays, per m
    private final float[] b;       // the factor's decays, per i
    private final float[] t;       // T^{L<-L-2}
    private final float[] g;       // G^{L-2}
    private final java.util.function.IntConsumer contractPart = this::contractRows;
    private final java.util.function.IntConsumer updatePart = this::updateBlocks;
    private int count;
    private boolean contracted;

    /**
     * A buffer for {@code t} and {@code g} of {@code blocks x rows x cols} and {@code rows x cols}
     * floats (decays {@code a} per block, {@code b} per row), with one {@code packs} scratch per
     * part of a flush.
     */
    DeepBuffer(TraceOps ops, float[] ones, float[][] packs, float[] a, float[] b, float[] t, float[] g,
               int blocks, int rows, int cols, int capacity) {
        this.ops = ops;
        this.ones = ones;
        this.packs = packs;
        this.a = a;
        this.b = b;
        this.t = t;
        this.g = g;
        this.blocks = blocks;
        this.rows = rows;
        this.cols = cols;
        this.capacity = capacity;
        int pairs = blocks * rows;
        carries = new float[pairs * capacity];
        weights = new float[blocks * capacity];
        psi = new float[rows * capacity];
        sources = new float[capacity * cols];
        start = new float[rows * cols];
        nu = new float[pairs * capacity];
        mu = new float[pairs];
        decayC = new float[pairs];
        lambda = new float[rows * capacity];
        kappa = new float[rows];
        omega = new float[blocks];
        suffix = new float[blocks * capacity];
        int parts = packs.length;
        vState = new float[parts][rows];
        uState = new float[parts][rows];
        nuByStep = new float[parts][capacity * rows];
        lambdaByStep = new float[parts][capacity * rows];
    }

    /** Floats this buffer allocates, for {@link NetworkConfig#networkBytes()}. */
    static long floats(int blocks, int rows, int cols, int capacity, int parts) {
        long pairs = (long) blocks * rows;
        return pairs * (2L * capacity + 2) + (long) capacity * (2L * blocks + 2L * rows + cols)
                + (long) rows * (cols + 1) + blocks + 2L * parts * rows * (capacity + 1);
    }

    /**
     * Keeps one step: {@code carry} the coefficients {@code C_s} ({@code blocks x rows}),
     * {@code signal} the contraction weights (null: none this step), {@code psiNow} and {@code x}
     * the factor's update, {@code q} the factor after it (read only at the first kept step).
     */
    void add(float[] carry, float[] signal, float[] psiNow, float[] x, int xOff, float[] q) {
        if (count == 0) {
            System.arraycopy(q, 0, start, 0, rows * cols);
        }
        System.arraycopy(carry, 0, carries, count * blocks * rows, blocks * rows);
        contracted |= Slots.keepSignal(signal, weights, count * blocks, blocks);
        System.arraycopy(psiNow, 0, psi, count * rows, rows);
        System.arraycopy(x, xOff, sources, count * cols, cols);
        count++;
    }

    boolean full() {
        return count == capacity;
    }

    /**
     * Applies the kept steps to {@code t} ({@code blocks x rows x cols}; decays {@code a[m]} of the
     * top layer, {@code b[i]} of the factor) and to {@code g} ({@code rows x cols}), then empties.
     * With {@code workers}, the coefficients and the contraction of the old {@code T} into
     * {@code G} split by lower neurons {@code i} (each part owns rows {@code G[i, :]}), then, once
     * every part has read the old {@code T}, its update splits by blocks {@code m}; every element
     * gets the same operations in the same order as on one thread.
     */
    void flush(StepWorkers workers) {
        if (count == 0) {
            return;
        }
        int c = count;
        for (int m = 0; m < blocks; m++) {
            float am = a[m];
            float w = 0f;
            for (int r = c - 1; r >= 0; r--) {
                w = weights[r * blocks + m] + am * w;
                suffix[m * capacity + r] = w;
            }
            omega[m] = am * suffix[m * capacity];
        }
        if (workers == null) {
            contractRows(0);
            updateBlocks(0);
        } else {
            workers.run(contractPart);
            workers.run(updatePart);
        }
        count = 0;
        contracted = false;
    }

    /** Lower neurons {@code [i0, i1)} of part {@code part}: their coefficients, and the contraction of the old {@code T}. */
    private void contractRows(int part) {
        int c = count;
        int parts = packs.length;
        int i0 = StepWorkers.start(rows, part, parts);
        int i1 = StepWorkers.start(rows, part + 1, parts);
        int n = i1 - i0;
        float[] lambdas = lambdaByStep[part];
        Arrays.fill(kappa, i0, i1, 0f);
        for (int r = 1; r < c; r++) {
            Arrays.fill(lambdas, r * rows + i0, r * rows + i1, 0f);
        }
        for (int m = 0; m < blocks; m++) {
            recurBlock(m, i0, i1, c, part);
        }
        for (int i = i0; i < i1; i++) {
            fromSteps(lambdas, i, lambda, i * c, c);
        }
        if (contracted && n > 0) {
            ops.accumulateGemvT(g, i0 * cols, t, i0 * cols, blocks, n * cols, rows * cols, omega, 0);
            ops.decayRows(g, i0 * cols, n, cols, ones, 0, kappa, i0, start, i0 * cols, cols);
            ops.decayGemm(g, i0 * cols, n, cols, cols, ones, 0, lambda, i0 * c, c, sources, 0, packs[part]);
        }
    }

    /** Blocks {@code [m0, m1)} of part {@code part}: {@code T = a^c T + nu X + mu S}. */
    private void updateBlocks(int part) {
        int c = count;
        int parts = packs.length;
        int m0 = StepWorkers.start(blocks, part, parts);
        int m1 = StepWorkers.start(blocks, part + 1, parts);
        if (m1 == m0) {
            return;
        }
        int e = m0 * rows;
        ops.decayGemm(t, e * cols, (m1 - m0) * rows, cols, cols, decayC, e, nu, e * c, c, sources, 0, packs[part]);
        ops.decayBlockRows(t, m0 * rows * cols, m1 - m0, rows, rows, cols, ones, 0, mu, e, start, 0, cols);
    }

    /**
     * The backward recursions of block {@code m}, lower neurons {@code [i0, i1)}:
     * {@code V(r) = a^(c-1-r) C_r + b V(r+1)} and {@code U(r) = W_m(r) C_r + b U(r+1)} for
     * {@code r = c-1..1}, a vector of neurons per step ({@link TraceOps#recurPair}); then step 0,
     * whose row is {@code S}, carried by {@code mu} and {@code kappa}, not by {@code x_0}.
     */
    private void recurBlock(int m, int i0, int i1, int c, int part) {
        int e0 = m * rows;
        int n = i1 - i0;
        float am = a[m];
        float[] v = vState[part];
        float[] u = uState[part];
        float[] nus = nuByStep[part];
        Arrays.fill(v, i0, i1, 0f);
        Arrays.fill(u, i0, i1, 0f);
        float power = 1f; // a^(c-1-r)
        for (int r = c - 1; r > 0; r--) {
            int row = r * rows + i0;
            ops.recurPair(v, u, b, i0, n, power, suffix[m * capacity + r], carries, r * blocks * rows + e0 + i0,
                    psi, row, nus, row, lambdaByStep[part], row);
            power *= am;
        }
        float w = suffix[m * capacity];
        float aC = power * am;
        for (int i = i0; i < i1; i++) {
            int e = e0 + i;
            float carry = carries[e];
            mu[e] = Math.fma(b[i], v[i], power * carry);
            kappa[i] += Math.fma(b[i], u[i], w * carry);
            decayC[e] = aC;
            fromSteps(nus, i, nu, e * c, c);
        }
    }

    /**
     * Lower neuron {@code i}'s outputs of steps {@code 1..c-1}, from their by-step rows
     * ({@code rows} floats apart), into {@code dst[out + r]}; {@code dst[out]} is 0, step 0 being
     * carried by {@code mu} and {@code kappa}.
     */
    private void fromSteps(float[] byStep, int i, float[] dst, int out, int c) {
        dst[out] = 0f;
        for (int r = 1; r < c; r++) {
            dst[out + r] = byStep[r * rows + i];
        }
    }
}
