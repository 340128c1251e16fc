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
    public void accumulateGemvT(float[] g, int gOff, float[] t, int tOff, int rows, int cols, float[] w, int wOff) {
        for (int r = 0; r < rows; r++) {
            float wr = w[wOff + r];
            int row = tOff + r * cols;
            for (int c = 0; c < cols; c++) {
                g[gOff + c] = Math.fma(wr, t[row + c], g[gOff + c]);
            }
        }
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
