package org.deepeprop.simd;

/**
 * The flat-array kernels of deep e-prop (SPEC.md section 3). All matrices are row-major
 * {@code float[]} slices given by an array and an offset; nothing here allocates.
 *
 * <p>Two implementations exist, {@link #scalar()} and a Vector API one chosen by
 * {@link TraceOpsProvider}; they compute the same values up to float rounding (the order of
 * additions in a reduction may differ). Implementations do not check array sizes and offsets:
 * callers ({@code DeepEpropNetwork}) validate them once at construction; the one check is the
 * product's scratch ({@link #packFloats}). Implementations are stateless and thread-safe.
 */
public interface TraceOps {

    /** A short name for logs and reports, e.g. {@code "scalar"} or {@code "vector-512"}. */
    String name();

    /** Floats per vector register (1 for the scalar path). */
    int lanes();

    /** {@code y[yOff + i] = d * y[yOff + i] + k * x[xOff + i]} for {@code i < len}: the streaming kernel. */
    void decayAxpy(float[] y, int yOff, float d, float k, float[] x, int xOff, int len);

    /**
     * The ALIF terminal update (two state components, SPEC.md section 3) in one pass instead of
     * four: for {@code r < rows} and {@code c < cols}, with {@code e} the membrane trace at
     * {@code t[eOff + r * cols + c]}, {@code a} the adaptation trace at {@code t[aOff + r * cols + c]}
     * and {@code h} the sensitivity at {@code h[r * cols + c]}, in this order:
     * {@code a = fma(rho[r], a, q[r] * e)} (the old {@code e}),
     * {@code e = fma(alpha[r], e, k[r] * x[c])},
     * {@code h = fma(psiA[r], a, psi[r] * e)} (the new ones).
     * The three row sets must not overlap each other or {@code x}.
     */
    void adaptiveRows(float[] t, int eOff, int aOff, float[] h, int rows, int cols, float[] alpha, float[] k,
                      float[] x, float[] rho, float[] q, float[] psi, float[] psiA);

    /**
     * Row-scaled decay with a per-row injection, the terminal trace update and its variants:
     * {@code t[r, :] = d[dOff + r] * t[r, :] + k[kOff + r] * x[xOff + r * xStride + :]} for
     * {@code r < rows}, rows of {@code cols} floats starting at {@code tOff}. With
     * {@code xStride = 0} every row receives the same vector (a rank-1 update). {@code x} must not
     * overlap the rows written unless {@code rows = 1}: the vector path updates several rows per pass.
     */
    default void decayRows(float[] t, int tOff, int rows, int cols, float[] d, int dOff,
                           float[] k, int kOff, float[] x, int xOff, int xStride) {
        for (int r = 0; r < rows; r++) {
            decayAxpy(t, tOff + r * cols, d[dOff + r], k[kOff + r], x, xOff + r * xStride, cols);
        }
    }

    /**
     * The adjacent hierarchical update ({@code k = l + 1}): for {@code b < blocks} and
     * {@code r < rows}, the row of {@code cols} floats at {@code tOff + (b * blockStride + r) * cols}
     * becomes {@code d[dOff + b] * t + k[kOff + b * blockStride + r] * x[xOff + r * xStride + :]}.
     * One block per upper neuron {@code m}, one row per lower neuron {@code j}; {@code blockStride}
     * ({@code >= rows}) is the number of lower neurons, so {@code rows < blockStride} updates a
     * range of them in every block (a step thread's share). {@code x}, {@code d} and {@code k} must
     * not overlap the rows written: the vector path updates several blocks per pass.
     */
    default void decayBlockRows(float[] t, int tOff, int blocks, int rows, int blockStride, int cols,
                                float[] d, int dOff, float[] k, int kOff, float[] x, int xOff, int xStride) {
        for (int b = 0; b < blocks; b++) {
            for (int r = 0; r < rows; r++) {
                decayAxpy(t, tOff + (b * blockStride + r) * cols, d[dOff + b], k[kOff + b * blockStride + r], x,
                        xOff + r * xStride, cols);
            }
        }
    }

    /**
     * The deep hierarchical update ({@code k >= l + 2}), a row-scaled accumulate of a matrix
     * product: {@code t[tOff + m * ld + c] = d[dOff + m] * t[tOff + m * ld + c]
     * + sum_n a[aOff + m * inner + n] * b[bOff + n * ld + c]} for {@code m < rows}, {@code c < cols}:
     * rows of {@code t} and of {@code b} (which has {@code inner} of them) lie {@code ld >= cols}
     * floats apart, so a column range of wider matrices can be updated on its own (a step thread's
     * share).
     *
     * @param pack scratch of at least {@link #packFloats packFloats(inner)} floats, overwritten (the
     *     vector path copies panels of {@code b} into it); may be {@code null} when that is 0
     * @throws IllegalArgumentException if {@code rows > 0} and {@code pack} is shorter than
     *     {@code packFloats(inner)}
     */
    void decayGemm(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
                   float[] a, int aOff, int inner, float[] b, int bOff, float[] pack);

    /**
     * The scratch {@link #decayGemm} needs for an inner dimension of {@code inner}, in floats: 0 for
     * the scalar path. A caller allocates it once, one per thread that runs products at the same time.
     * It is at most {@link #packFloatsBound packFloatsBound(inner)} on any machine.
     */
    int packFloats(int inner);

    /**
     * An upper bound of {@link #packFloats} on any machine, to count memory before a network exists:
     * four vectors of the widest species the Vector API allows (2048 bits, 64 floats) per inner
     * row, and at least the {@value #PACK_ALL_FLOATS} floats in which species below 512 bits pack
     * every panel of a small product.
     */
    static long packFloatsBound(long inner) {
        return Math.max(4L * 64 * inner, PACK_ALL_FLOATS);
    }

    /** Floats of scratch in which the vector path below 512 bits packs all panels of a small product. */
    int PACK_ALL_FLOATS = 8192;

    /**
     * {@link #packFloats packFloats(inner)}, or more where the implementation runs a product of
     * {@code cols} columns faster with a larger scratch: the vector path below 512 bits packs every
     * panel of {@code b} at once when they fit, up to {@link #PACK_ALL_MAX_FLOATS}. For a caller that
     * runs one product shape many times. At most {@link #packFloatsBound(long, long)} on any machine.
     */
    default int packFloats(int inner, int cols) {
        return packFloats(inner);
    }

    /** An upper bound of {@link #packFloats(int, int)} on any machine. */
    static long packFloatsBound(long inner, long cols) {
        return Math.max(packFloatsBound(inner), Math.min(inner * cols, PACK_ALL_MAX_FLOATS));
    }

    /**
     * The largest scratch {@link #packFloats(int, int)} asks for (128 KB): packed panels the product
     * reads from L2 while rows of {@code t} stream past them.
     */
    int PACK_ALL_MAX_FLOATS = 32768;

    /**
     * The gradient contraction: {@code g[gOff + c] += sum_r w[wOff + r] * t[tOff + r * cols + c]}
     * for {@code c < cols}, {@code r < rows}.
     */
    default void accumulateGemvT(float[] g, int gOff, float[] t, int tOff, int rows, int cols, float[] w, int wOff) {
        accumulateGemvT(g, gOff, t, tOff, rows, cols, cols, w, wOff);
    }

    /**
     * The same on rows {@code ld >= cols} floats apart: {@code g[gOff + c] += sum_r w[wOff + r] *
     * t[tOff + r * ld + c]}, a column range of a wider matrix (rows ascending for every element).
     */
    void accumulateGemvT(float[] g, int gOff, float[] t, int tOff, int rows, int cols, int ld, float[] w, int wOff);

    /**
     * One step of two linear recurrences that share a row and a per-element decay, and their
     * outputs: for {@code i < len}, with {@code e = off + i},
     * {@code v[e] = d[e] * v[e] + p * x[xOff + i]} and {@code u[e] = d[e] * u[e] + q * x[xOff + i]},
     * then {@code y[yOff + i] = s[sOff + i] * v[e]} and {@code z[zOff + i] += s[sOff + i] * u[e]}
     * (new values; one fused multiply-add per decay and for the accumulate). The deep buffer's
     * backward coefficient recursions: one call per kept step after the first and per upper neuron,
     * across a range of lower neurons. {@code y} and {@code z} must not overlap {@code v}, {@code u}
     * or each other.
     */
    void recurPair(float[] v, float[] u, float[] d, int off, int len, float p, float q, float[] x, int xOff,
                   float[] s, int sOff, float[] y, int yOff, float[] z, int zOff);

    /**
     * The divergence check before a weight update: the index {@code i < len} of the first element
     * {@code a[off + i]} that is NaN or infinite, or -1 if all are finite.
     */
    int firstNonFinite(float[] a, int off, int len);

    /**
     * {@code z[zOff + i] = (s * x[xOff + i]) * y[yOff + i]} for {@code i < len}, the two products in
     * that order: the carry coefficients {@code c_m W[m, j] psi_j} of a row {@code m}. {@code z} may
     * be {@code x} or {@code y} at the same offset, and must not overlap them otherwise.
     */
    void mulScaled(float[] z, int zOff, float s, float[] x, int xOff, float[] y, int yOff, int len);

    /** The forward product: {@code y[yOff + r] = sum_c w[wOff + r * cols + c] * x[xOff + c]} for {@code r < rows}. */
    void gemv(float[] w, int wOff, int rows, int cols, float[] x, int xOff, float[] y, int yOff);

    /**
     * {@link #decayRows} on rows {@code ld >= cols} floats apart, fused with the gradient
     * contraction of the rows it produces: row {@code r} of {@code t} (at {@code tOff + r * ld})
     * becomes {@code d[dOff + r] * t + k[kOff + r] * x[xOff + r * xStride + :]}, then
     * {@code g[gOff + c] += sum_r w[wOff + r] * t[r, c]} (new values, rows ascending). One pass over
     * {@code t} instead of two; used for the top layer's ALIF adaptation rows, a column range of each
     * trace row. {@code x} must not overlap the rows written.
     */
    void decayRowsContract(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
                           float[] k, int kOff, float[] x, int xOff, int xStride,
                           float[] w, int wOff, float[] g, int gOff);

    /**
     * {@link #decayBlockRows} fused with the contraction over blocks:
     * afterwards {@code g[gOff + r * cols + c] += sum_b w[wOff + b] * t[b, r, c]} (new values).
     */
    void decayBlockRowsContract(float[] t, int tOff, int blocks, int rows, int blockStride, int cols,
                                float[] d, int dOff, float[] k, int kOff, float[] x, int xOff, int xStride,
                                float[] w, int wOff, float[] g, int gOff);

    /**
     * {@link #decayGemm} fused with the contraction over its rows:
     * afterwards {@code g[gOff + c] += sum_m w[wOff + m] * t[m, c]} (new values).
     */
    void decayGemmContract(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
                           float[] a, int aOff, int inner, float[] b, int bOff, float[] pack,
                           float[] w, int wOff, float[] g, int gOff);

    /**
     * {@code y[yOff + i] = tanh(x[xOff + i])} for {@code i < len}, by one rational approximation on
     * both paths (bit-identical between them): within 4 ulp of {@code (float) Math.tanh}, odd, and
     * never outside {@code [-1, 1]}. {@code x} and {@code y} may be the same slice.
     */
    void tanh(float[] x, int xOff, float[] y, int yOff, int len);

    /** The plain-loop implementation; always available. */
    static TraceOps scalar() {
        return ScalarTraceOps.INSTANCE;
    }
}
