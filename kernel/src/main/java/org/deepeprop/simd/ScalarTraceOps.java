package org.deepeprop.simd;

/**
 * Plain loops, the reference twin of every vector kernel and the fallback when the Vector API is
 * absent. Written for clarity; C2 may still auto-vectorise the streaming loops.
 */
final class ScalarTraceOps implements TraceOps {
    static final ScalarTraceOps INSTANCE = new ScalarTraceOps();
    private static final int GEMM_CHUNK = 256;

    private ScalarTraceOps() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void decayAxpy(float[] y, int yOff, float d, float k, float[] x, int xOff, int len) {
        for (int i = 0; i < len; i++) {
            y[yOff + i] = Math.fma(d, y[yOff + i], k * x[xOff + i]);
        }
    }

    @Override
    public void adaptiveRows(float[] t, int eOff, int aOff, float[] h, int rows, int cols, float[] alpha, float[] k,
                             float[] x, float[] rho, float[] q, float[] psi, float[] psiA) {
        for (int r = 0; r < rows; r++) {
            adaptiveRow(t, eOff + r * cols, aOff + r * cols, h, r * cols, cols, alpha[r], k[r], x, 0, rho[r], q[r],
                    psi[r], psiA[r]);
        }
    }

    /** One row of {@link #adaptiveRows}, also the vector path's tail. */
    static void adaptiveRow(float[] t, int eOff, int aOff, float[] h, int hOff, int len, float alpha, float k,
                            float[] x, int xOff, float rho, float q, float psi, float psiA) {
        for (int i = 0; i < len; i++) {
            float e = t[eOff + i];
            float a = Math.fma(rho, t[aOff + i], q * e);
            e = Math.fma(alpha, e, k * x[xOff + i]);
            t[aOff + i] = a;
            t[eOff + i] = e;
            h[hOff + i] = Math.fma(psiA, a, psi * e);
        }
    }

    @Override
    public void mulScaled(float[] z, int zOff, float s, float[] x, int xOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) {
            z[zOff + i] = s * x[xOff + i] * y[yOff + i];
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) {
            y[yOff + i] = tanh(x[xOff + i]);
        }
    }

    // A minimax rational approximation of tanh on [-9, 9] (odd degree 13 over even degree 6, the
    // form Eigen uses for float): Math.tanh goes through double and costs ~14 ns an element; this
    // is a dozen FMAs and a division, the same on both paths. Below 4e-4, tanh(x) rounds to x.
    static final float TANH_CLAMP = 9f;
    static final float TANH_LINEAR = 0.0004f;
    static final float A13 = -2.76076847742355e-16f;
    static final float A11 = 2.00018790482477e-13f;
    static final float A9 = -8.60467152213735e-11f;
    static final float A7 = 5.12229709037114e-08f;
    static final float A5 = 1.48572235717979e-05f;
    static final float A3 = 6.37261928875436e-04f;
    static final float A1 = 4.89352455891786e-03f;
    static final float B6 = 1.19825839466702e-06f;
    static final float B4 = 1.18534705686654e-04f;
    static final float B2 = 2.26843463243900e-03f;
    static final float B0 = 4.89352518554385e-03f;

    /** One element of {@link #tanh(float[], int, float[], int, int)}, also the vector path's tail. */
    static float tanh(float v) {
        float x = Math.max(Math.min(v, TANH_CLAMP), -TANH_CLAMP);
        float x2 = x * x;
        float p = Math.fma(x2, A13, A11);
        p = Math.fma(x2, p, A9);
        p = Math.fma(x2, p, A7);
        p = Math.fma(x2, p, A5);
        p = Math.fma(x2, p, A3);
        p = Math.fma(x2, p, A1);
        p = x * p;
        float q = Math.fma(x2, B6, B4);
        q = Math.fma(x2, q, B2);
        q = Math.fma(x2, q, B0);
        float r = Math.max(Math.min(p / q, 1f), -1f);
        return Math.abs(v) < TANH_LINEAR ? v : r;
    }

    /** The plain loops read {@code b} in place: no scratch. */
    @Override
    public int packFloats(int inner) {
        return 0;
    }

    /**
     * Column chunks outermost, so the chunk of {@code b} (at most {@code inner x 256} floats) is
     * reused from cache by every row; without the chunking every row would stream all of
     * {@code b} from memory and the scalar path would measure the memory, not the loop.
     */
    @Override
    public void decayGemm(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
                          float[] a, int aOff, int inner, float[] b, int bOff, float[] pack) {
        for (int c0 = 0; c0 < cols; c0 += GEMM_CHUNK) {
            int c1 = Math.min(cols, c0 + GEMM_CHUNK);
            for (int m = 0; m < rows; m++) {
                int row = tOff + m * ld;
                float dm = d[dOff + m];
                for (int c = c0; c < c1; c++) {
                    t[row + c] *= dm;
                }
                for (int n = 0; n < inner; n++) {
                    float amn = a[aOff + m * inner + n];
                    int bRow = bOff + n * ld;
                    for (int c = c0; c < c1; c++) {
                        t[row + c] = Math.fma(amn, b[bRow + c], t[row + c]);
                    }
                }
            }
        }
    }

    // The fused operations are defined as update-then-contract; the vector twins must match
    // this order exactly (rows ascending for every element of g).
    @Override
    public void decayRowsContract(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
                                  float[] k, int kOff, float[] x, int xOff, int xStride,
                                  float[] w, int wOff, float[] g, int gOff) {
        for (int r = 0; r < rows; r++) {
            decayAxpy(t, tOff + r * ld, d[dOff + r], k[kOff + r], x, xOff + r * xStride, cols);
        }
        for (int r = 0; r < rows; r++) {
            accumulateGemvT(g, gOff, t, tOff + r * ld, 1, cols, w, wOff + r);
        }
    }

    @Override
    public void decayBlockRowsContract(float[] t, int tOff, int blocks, int rows, int blockStride, int cols,
                                       float[] d, int dOff, float[] k, int kOff, float[] x, int xOff, int xStride,
                                       float[] w, int wOff, float[] g, int gOff) {
        decayBlockRows(t, tOff, blocks, rows, blockStride, cols, d, dOff, k, kOff, x, xOff, xStride);
        for (int b = 0; b < blocks; b++) {
            accumulateGemvT(g, gOff, t, tOff + b * blockStride * cols, 1, rows * cols, w, wOff + b);
        }
    }

    @Override
    public void decayGemmContract(float[] t, int tOff, int rows, int cols, int ld, float[] d, int dOff,
                                  float[] a, int aOff, int inner, float[] b, int bOff, float[] pack,
                                  float[] w, int wOff, float[] g, int gOff) {
        decayGemm(t, tOff, rows, cols, ld, d, dOff, a, aOff, inner, b, bOff, pack);
        for (int m = 0; m < rows; m++) {
            accumulateGemvT(g, gOff, t, tOff + m * ld, 1, cols, w, wOff + m);
        }
    }

    @Override
    public void accumulateGemvT(float[] g, int gOff, float[] t, int tOff, int rows, int cols, int ld, float[] w,
                                int wOff) {
        for (int r = 0; r < rows; r++) {
            float wr = w[wOff + r];
            int row = tOff + r * ld;
            for (int c = 0; c < cols; c++) {
                g[gOff + c] = Math.fma(wr, t[row + c], g[gOff + c]);
            }
        }
    }

    @Override
    public void recurPair(float[] v, float[] u, float[] d, int off, int len, float p, float q, float[] x, int xOff,
                          float[] s, int sOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < len; i++) {
            int e = off + i;
            float xi = x[xOff + i];
            float vi = Math.fma(d[e], v[e], p * xi);
            float ui = Math.fma(d[e], u[e], q * xi);
            v[e] = vi;
            u[e] = ui;
            float si = s[sOff + i];
            y[yOff + i] = si * vi;
            z[zOff + i] = Math.fma(si, ui, z[zOff + i]);
        }
    }

    @Override
    public int firstNonFinite(float[] a, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (!Float.isFinite(a[off + i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void gemv(float[] w, int wOff, int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            int row = wOff + r * cols;
            float sum = 0f;
            for (int c = 0; c < cols; c++) {
                sum = Math.fma(w[row + c], x[xOff + c], sum);
            }
            y[yOff + r] = sum;
        }
    }
}
