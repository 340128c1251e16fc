package org.deepeprop.verify;

/**
 * One gradient-check case, exactly the keys of SPEC.md section 6, in double precision.
 *
 * <p>All matrices are flat and row-major. {@code W[l]} is {@code layers[l] x P_l} with columns in the
 * order input block, recurrent block (only if {@code recurrent}), bias. {@code B} is {@code null}
 * when absent (then {@code B = W_out^T}). {@code x} is {@code T x inputs}, {@code y} is
 * {@code T x outputs}.
 */
public record Case(
        String model,
        int inputs,
        int[] layers,
        int outputs,
        int T,
        boolean recurrent,
        double alpha,
        double vTh,
        double gamma,
        double beta,
        double rho,
        double[][] W,
        double[] Wout,
        double[] bout,
        double[] B,
        double[] x,
        double[] y) {

    /** Number of layers {@code L}. */
    public int depth() {
        return layers.length;
    }

    /** Width below layer {@code l} (0-based): the input width for {@code l = 0}. */
    public int inputWidth(int l) {
        return l == 0 ? inputs : layers[l - 1];
    }

    /** Presynaptic length {@code P_l}. */
    public int presynaptic(int l) {
        return inputWidth(l) + (recurrent ? layers[l] : 0) + 1;
    }
}
