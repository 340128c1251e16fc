package org.deepeprop.net;

import java.util.Arrays;
import org.deepeprop.simd.TraceOps;

/**
 * The top layer's trace three layers down, {@code T = T^{L<-L-3}}, with the middle trace
 * {@code M = T^{L-1<-L-3}} that alone feeds it and the contraction into {@code G^{L-3}}, over up to
 * {@code capacity} steps while layer {@code L-2} holds a factor: one product by {@code M} per
 * {@code capacity} steps instead of one per step. That product is the only {@code N^4} term of a
 * depth-4 step.
 *
 * <p>A step {@code s} does {@code M = a2 M + D_s o q_s} ({@code M[n, j, :] += D_s[n, j] q_s[j, :]},
 * D the middle layer's {@link Layer#deepCarry}), {@code T = a3 T + A_s M} (A the top layer's
 * {@link Layer#carry}, {@code n_L x n_{L-1}}) and {@code G += sum_m w_m(s) T[m]}, with the factor
 * {@code q_s = b q_{s-1} + psi(s) x_s} as in {@link DeepBuffer}. Composing {@code c} steps:
 * <pre>
 * H_r = a3^(c-1-r) A_r + a2 H_{r+1}  (per (m, n)),   E_r = H_r D_r,   V(u) = sum_{r>=u} b^(r-u) E_r
 * T = a3^c T_0 + (a2 H_0) M_0 + V(0) S + sum_{u>=1} psi(u) V(u) x_u
 * M = a2^c M_0 + V'(0) S + sum_{u>=1} psi(u) V'(u) x_u,   V'(u) = sum_{r>=u} a2^(c-1-r) b^(r-u) D_r
 * W(r) = w(r) + a3 W(r+1),   Y_r = A_r^T W(r) + a2 Y_{r+1},   z_r = D_r^T Y_r,   U(u) = sum_{r>=u} b^(r-u) z_r
 * G += (a3 W(0)) T_0 + (a2 Y_0) M_0 + U(0) S + sum_{u>=1} psi(u) U(u) x_u
 * </pre>
 * The per-step coefficient work is one {@code n_L x n_{L-1} x n_{L-3}} product ({@code E_r}); the
 * traces see one product by {@code M_0}, products of coefficient matrices with {@code c} columns by
 * the {@code c x P} rows {@code x}, and two contractions. Only {@code T^{L<-L-3}} qualifies: no layer
 * above reads it, and nothing but it reads {@code M}.
 */
final class ChainBuffer {
    final int blocks;   // n_L
    final int middle;   // n_{L-1}
    final int rows;     // n_{L-3}
    final int cols;     // P_{L-3}
    final int capacity;
    /**
     * Per step, one contiguous slice each: {@code A_s} ({@code blocks x middle}; a flush overwrites
     * it with {@code H_s}), {@code D_s} ({@code middle x rows}).
     */
    private final float[] tops;
    private final float[] mids;
    /** {@code w(s)}, {@code capacity x blocks}; {@code psi(s)}, {@code capacity x rows}; row {@code s}: {@code x_s}. */
    private final float[] weights;
    private final float[] psi;
    private final float[] sources;
    /** {@code S}: the factor at the first kept step, {@code rows x cols}. */
    private final float[] start;
    // The backward recursions' running values and what they leave for the products.
    private final float[] h;         // a2 H_0, blocks x middle
    private final float[] e;         // E_r, blocks x rows
    private final float[] v;         // V(r), blocks x rows
    private final float[] vm;        // V'(r), middle x rows
    private final float[] nu;        // (blocks rows) x c: psi(u) V(u), column 0 zero
    private final float[] nuM;       // (middle rows) x c: psi(u) V'(u), column 0 zero
    private final float[] lambda;    // rows x c: psi(u) U(u), column 0 zero
    private final float[] u;         // U(r), rows; after the loop U(0)
    private final float[] z;         // z_r, rows
    private final float[] w;         // W(r), blocks; after the loop a3 W(0)
    private final float[] y;         // a2 Y_0, middle
    private final float[] ys;        // Y_r, capacity x middle
    private final float[] power3;    // a3^(c-1-r), blocks; after the loop a3^c
    private final float[] powers2;   // a2^(c-1-r), capacity x middle
    private final float[] decayM;    // a2^c per (n, j)
    private final TraceOps ops;
    private final float[] ones;      // a unit decay per (m, j) or (n, j)
    private final float[] zeros;
    /** One product scratch per part of a flush. */
    private final float[][] packs;
    private final java.util.function.IntConsumer partTask = this::part;
    private final float[] a3;        // the top layer's decays, per m
    private final float[] a2;        // the middle layer's decays, per n
    private final float[] b;         // the factor's decays, per j
    private final float[] t;         // T^{L<-L-3}
    private final float[] m;         // T^{L-1<-L-3}
    private final float[] g;         // G^{L-3}
    private int count;
    private boolean contracted;

    /**
     * A buffer for {@code t} ({@code blocks x rows x cols}), {@code m} ({@code middle x rows x
     * cols}) and {@code g} ({@code rows x cols}) with decays {@code a3} per block, {@code a2} per
     * middle neuron and {@code b} per row; one {@code packs} scratch of {@link TraceOps#packFloats
     * packFloats(max(middle, capacity))} floats per part of a flush.
     */
    ChainBuffer(TraceOps ops, float[] zeros, float[][] packs, float[] a3, float[] a2, float[] b,
                float[] t, float[] m, float[] g, int blocks, int middle, int rows, int cols, int capacity) {
        this.ops = ops;
        ones = new float[Math.max(blocks, middle) * rows];
        Arrays.fill(ones, 1f);
        this.zeros = zeros;
        this.packs = packs;
        this.a3 = a3;
        this.a2 = a2;
        this.b = b;
        this.t = t;
        this.m = m;
        this.g = g;
        this.blocks = blocks;
        this.middle = middle;
        this.rows = rows;
        this.cols = cols;
        this.capacity = capacity;
        tops = new float[capacity * blocks * middle];
        mids = new float[capacity * middle * rows];
        weights = new float[capacity * blocks];
        psi = new float[capacity * rows];
        sources = new float[capacity * cols];
        start = new float[rows * cols];
        h = new float[blocks * middle];
        e = new float[blocks * rows];
        v = new float[blocks * rows];
        vm = new float[middle * rows];
        nu = new float[blocks * rows * capacity];
        nuM = new float[middle * rows * capacity];
        lambda = new float[rows * capacity];
        u = new float[rows];
        z = new float[rows];
        w = new float[blocks];
        y = new float[middle];
        ys = new float[capacity * middle];
        power3 = new float[blocks];
        powers2 = new float[capacity * middle];
        decayM = new float[middle * rows];
    }

    /** Floats this buffer allocates (its pack aside), for {@link NetworkConfig#networkBytes()}. */
    static long floats(int blocks, int middle, int rows, int cols, int capacity) {
        long c = capacity;
        return c * ((long) blocks * middle + (long) middle * rows + blocks + rows + cols)
                + (long) rows * cols + (long) blocks * middle + 2L * blocks * rows + 2L * middle * rows
                + c * ((long) blocks * rows + (long) middle * rows + rows)
                + 2L * rows + 2L * blocks + (2L * c + 1) * middle + (long) Math.max(blocks, middle) * rows;
    }

    /**
     * Keeps one step: {@code top} the coefficients {@code A_s}, {@code mid} the coefficients
     * {@code D_s}, {@code signal} the contraction weights (null: none this step), {@code psiNow} and
     * {@code x} the factor's update, {@code q} the factor after it (read only at the first kept step).
     */
    void add(float[] top, float[] mid, float[] signal, float[] psiNow, float[] x, int xOff, float[] q) {
        if (count == 0) {
            System.arraycopy(q, 0, start, 0, rows * cols);
        }
        System.arraycopy(top, 0, tops, count * blocks * middle, blocks * middle);
        System.arraycopy(mid, 0, mids, count * middle * rows, middle * rows);
        contracted |= Slots.keepSignal(signal, weights, count * blocks, blocks);
        System.arraycopy(psiNow, 0, psi, count * rows, rows);
        System.arraycopy(x, xOff, sources, count * cols, cols);
        count++;
    }

    boolean full() {
        return count == capacity;
    }

    /**
     * Applies the kept steps to {@code t}, {@code m} and {@code g}, then empties. The recursions
     * shared by every lower neuron ({@code W}, {@code Y}, {@code H}) run on this thread; the rest,
     * with {@code workers}, splits by lower neurons {@code j}: each part owns the columns of
     * {@code j} in every trace and in {@code G}, so it reads the old {@code T} and {@code M} where
     * only it writes them, and every element gets the one-thread operations in the same order.
     */
    void flush(StepWorkers workers) {
        if (count == 0) {
            return;
        }
        shared(count);
        if (workers == null) {
            part(0);
        } else {
            workers.run(partTask);
        }
        count = 0;
        contracted = false;
    }

    /**
     * Newest step first: {@code W(r)}, {@code Y_r} (kept per step), and {@code H_r} in place of
     * {@code A_r}; then {@code a3 W(0)}, {@code a2 Y_0}, {@code a2 H_0} and the powers of {@code a2}.
     */
    private void shared(int c) {
        Arrays.fill(w, 0f);
        Arrays.fill(power3, 1f);
        for (int r = c - 1; r >= 0; r--) {
            int ar = r * blocks * middle;
            int yr = r * middle;
            for (int k = 0; k < blocks; k++) {
                w[k] = weights[r * blocks + k] + a3[k] * w[k];
            }
            Arrays.fill(ys, yr, yr + middle, 0f);
            ops.accumulateGemvT(ys, yr, tops, ar, blocks, middle, w, 0);
            for (int n = 0; n < middle; n++) {
                powers2[yr + n] = r == c - 1 ? 1f : a2[n] * powers2[yr + middle + n];
                if (r < c - 1) {
                    ys[yr + n] += a2[n] * ys[yr + middle + n];
                }
            }
            for (int k = 0; k < blocks; k++) {
                float p = power3[k];
                int row = ar + k * middle;
                for (int n = 0; n < middle; n++) {
                    float later = r == c - 1 ? 0f : tops[row + blocks * middle + n];
                    tops[row + n] = p * tops[row + n] + a2[n] * later;
                }
                power3[k] = p * a3[k];
            }
        }
        for (int k = 0; k < blocks; k++) {
            w[k] *= a3[k];
            for (int n = 0; n < middle; n++) {
                h[k * middle + n] = a2[n] * tops[k * middle + n];
            }
        }
        for (int n = 0; n < middle; n++) {
            y[n] = a2[n] * ys[n];
            Arrays.fill(decayM, n * rows, (n + 1) * rows, a2[n] * powers2[n]);
        }
    }

    /** Lower neurons {@code [j0, j1)} of part {@code part}: their recursions, contraction and updates. */
    private void part(int part) {
        int c = count;
        int parts = packs.length;
        int j0 = StepWorkers.start(rows, part, parts);
        int j1 = StepWorkers.start(rows, part + 1, parts);
        int n = j1 - j0;
        if (n == 0) {
            return;
        }
        float[] pack = packs[part];
        recur(c, j0, j1, pack);
        int width = rows * cols;
        int c0 = j0 * cols;
        int span = n * cols;
        if (contracted) {
            // The contraction reads the old T and M: before either is updated.
            ops.accumulateGemvT(g, c0, t, c0, blocks, span, width, w, 0);
            ops.accumulateGemvT(g, c0, m, c0, middle, span, width, y, 0);
            ops.decayRows(g, c0, n, cols, ones, 0, u, j0, start, c0, cols);
            ops.decayGemm(g, c0, n, cols, cols, ones, 0, lambda, j0 * c, c, sources, 0, pack);
        }
        // T reads the old M: before M is updated.
        ops.decayGemm(t, c0, blocks, span, width, power3, 0, h, 0, middle, m, c0, pack);
        for (int k = 0; k < blocks; k++) {
            int row = k * rows + j0;
            ops.decayGemm(t, row * cols, n, cols, cols, ones, 0, nu, row * c, c, sources, 0, pack);
        }
        ops.decayBlockRows(t, c0, blocks, n, rows, cols, ones, 0, v, j0, start, c0, cols);
        for (int k = 0; k < middle; k++) {
            int row = k * rows + j0;
            ops.decayGemm(m, row * cols, n, cols, cols, decayM, row, nuM, row * c, c, sources, 0, pack);
        }
        ops.decayBlockRows(m, c0, middle, n, rows, cols, ones, 0, vm, j0, start, c0, cols);
    }

    /** The recursions of lower neurons {@code [j0, j1)} over the kept steps, newest first. */
    private void recur(int c, int j0, int j1, float[] pack) {
        int n = j1 - j0;
        for (int j = j0; j < j1; j++) {
            u[j] = 0f;
            for (int k = 0; k < blocks; k++) {
                v[k * rows + j] = 0f;
            }
            for (int k = 0; k < middle; k++) {
                vm[k * rows + j] = 0f;
            }
        }
        for (int r = c - 1; r >= 0; r--) {
            int dr = r * middle * rows;
            int pr = r * rows;
            ops.decayGemm(e, j0, blocks, n, rows, zeros, 0, tops, r * blocks * middle, middle, mids, dr + j0, pack);
            for (int k = 0; k < blocks; k++) {
                int row = k * rows;
                for (int j = j0; j < j1; j++) {
                    v[row + j] = e[row + j] + b[j] * v[row + j];
                    nu[(row + j) * c + r] = r == 0 ? 0f : psi[pr + j] * v[row + j];
                }
            }
            Arrays.fill(z, j0, j1, 0f);
            ops.accumulateGemvT(z, j0, mids, dr + j0, middle, n, rows, ys, r * middle);
            for (int j = j0; j < j1; j++) {
                u[j] = z[j] + b[j] * u[j];
                lambda[j * c + r] = r == 0 ? 0f : psi[pr + j] * u[j];
            }
            for (int k = 0; k < middle; k++) {
                float p = powers2[r * middle + k];
                int row = k * rows;
                for (int j = j0; j < j1; j++) {
                    vm[row + j] = p * mids[dr + row + j] + b[j] * vm[row + j];
                    nuM[(row + j) * c + r] = r == 0 ? 0f : psi[pr + j] * vm[row + j];
                }
            }
        }
    }
}
