package org.deepeprop.verify;

/**
 * The result of running one {@link Case}: summed loss and gradients shaped like the case's weights.
 * Produced by every method (the double references and the kernel), so tests and gradcheck compare
 * like with like.
 */
public record Gradients(double loss, double[][] gradW, double[] gradWout, double[] gradBout) {
}
