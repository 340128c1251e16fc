package org.deepeprop.net;

/** How the readout error is sent back to the top layer: {@code delta = B e} (SPEC.md section 3). */
public enum Feedback {
    /** {@code B = W_out^T}: symmetric e-prop, exact where SPEC.md section 4 says so. */
    SYMMETRIC,
    /** A fixed random matrix drawn from the feedback seed: random e-prop. */
    RANDOM
}
