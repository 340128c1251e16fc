package org.deepeprop.verify;

import java.util.Random;

/**
 * Seeded random {@link Case}s for the equivalence tests and benchmarks.
 *
 * <p>Every generated number (weights, inputs, targets and the parameters alpha, gamma, beta, rho)
 * is a float32 value held in a double, so the float kernel and the double references see exactly
 * the same case. The generator is {@link Random}, whose sequence is fixed by its specification:
 * a seed gives the same case on every JVM.
 */
public final class Cases {
    /**
     * Membrane decay of generated cases: short enough (tau_m ~ 4.5 steps) that spiking layers
     * fire within the first few steps, so even short sequences exercise spikes, resets and adaptation.
     */
    public static final double ALPHA = 0.8f;
    /** Spike threshold. */
    public static final double V_TH = 1.0;
    /** Pseudo-derivative scale (SPEC.md default). */
    public static final double GAMMA = 0.3f;
    /** ALIF adaptation strength. */
    public static final double BETA = 0.07f;
    /** ALIF adaptation decay. */
    public static final double RHO = 0.97f;
    /** Margin of SPEC.md section 4: no membrane within this distance of a threshold or a kink of q. */
    public static final double WELL_CONDITIONED_MARGIN = 1e-3;
    /** Seeds tried by {@link #randomWellConditioned} before it gives up. */
    public static final int MAX_ATTEMPTS = 10_000;

    /*
     * Spiking drive. A membrane low-passes its input, so N(0, 1) currents leave it far below
     * threshold; a gain and a positive bias keep a good fraction of every layer spiking and inside
     * the support of q, otherwise the lower layers' gradients are trivially zero.
     */
    private static final double SPIKING_GAIN = 3.0;
    private static final double SPIKING_BIAS = 1.5;

    private Cases() {
    }

    /**
     * A random case: weights {@code N(0, 1) / sqrt(fan-in)} per block (the recurrent block scaled
     * by {@code recScale}), biases {@code N(0, 0.5^2)}, {@code W_out} {@code N(0, 1) / sqrt(n_L)},
     * {@code b_out} {@code N(0, 0.1^2)}, inputs and targets {@code N(0, 1)}, feedback {@code B}
     * absent. Spiking models multiply the weights by 3 and shift the biases to mean 1.5 so that
     * every layer actually spikes.
     *
     * @param model     {@code "leaky_tanh"}, {@code "lif"} or {@code "alif"}
     * @param inputs    input width {@code n_0}
     * @param layers    widths {@code n_1 .. n_L}
     * @param outputs   readout width {@code n_out}
     * @param T         sequence length
     * @param recurrent whether the layers have a recurrent block
     * @param recScale  scale of the recurrent block (ignored when not recurrent)
     * @param seed      seed of the {@link Random} that draws every number
     * @return the case, with float32-representable values
     */
    public static Case random(String model, int inputs, int[] layers, int outputs, int T,
                              boolean recurrent, double recScale, long seed) {
        String m = Models.canonical(model);
        boolean spiking = Models.spiking(m);
        double gain = spiking ? SPIKING_GAIN : 1.0;
        double biasMean = spiking ? SPIKING_BIAS : 0.0;
        Random rng = new Random(seed);
        double[][] w = new double[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            int nIn = l == 0 ? inputs : layers[l - 1];
            int n = layers[l];
            int cols = nIn + (recurrent ? n : 0) + 1;
            w[l] = new double[n * cols];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < nIn; i++) {
                    w[l][j * cols + i] = f32(gain * rng.nextGaussian() / Math.sqrt(nIn));
                }
                for (int i = 0; recurrent && i < n; i++) {
                    w[l][j * cols + nIn + i] = f32(recScale * gain * rng.nextGaussian() / Math.sqrt(n));
                }
                w[l][j * cols + cols - 1] = f32(biasMean + 0.5 * rng.nextGaussian());
            }
        }
        int nTop = layers[layers.length - 1];
        double[] wOut = gaussian(rng, outputs * nTop, 1.0 / Math.sqrt(nTop));
        double[] bOut = gaussian(rng, outputs, 0.1);
        double[] x = gaussian(rng, T * inputs, 1.0);
        double[] y = gaussian(rng, T * outputs, 1.0);
        return new Case(m, inputs, layers.clone(), outputs, T, recurrent, ALPHA, V_TH, GAMMA, BETA, RHO,
                w, wOut, bOut, null, x, y);
    }

    /**
     * The first case of the deterministic seed sequence {@code seed, seed + 1, ...} whose
     * {@link #thresholdMargin} is at least {@link #WELL_CONDITIONED_MARGIN}: a spiking case on which
     * float rounding cannot flip a spike. Any leaky_tanh case qualifies. Arguments as in
     * {@link #random}. Every neuron-step is a chance to land near a kink, so keep spiking cases to a
     * few thousand neuron-steps ({@code T * sum_l n_l}): three layers of 33 over 50 steps already
     * needs a search of a second or two, five such layers finds no seed.
     *
     * @throws IllegalStateException if none of {@link #MAX_ATTEMPTS} seeds qualifies
     */
    public static Case randomWellConditioned(String model, int inputs, int[] layers, int outputs, int T,
                                             boolean recurrent, double recScale, long seed) {
        for (int k = 0; k < MAX_ATTEMPTS; k++) {
            Case c = random(model, inputs, layers, outputs, T, recurrent, recScale, seed + k);
            if (thresholdMargin(c) >= WELL_CONDITIONED_MARGIN) {
                return c;
            }
        }
        throw new IllegalStateException("no seed in [" + seed + ", " + (seed + MAX_ATTEMPTS)
                + ") gives a threshold margin >= " + WELL_CONDITIONED_MARGIN + "; use a smaller case");
    }

    /**
     * The minimum, over all layers, neurons and steps, of the distance of {@code u = v - threshold}
     * from the points where the output or {@code q} is not smooth: {@code u = 0} (the spike) and
     * {@code u = +-v_th} (the kinks of q). Positive infinity for leaky_tanh, which is smooth.
     */
    public static double thresholdMargin(Case c) {
        if (!Models.spiking(c.model())) {
            return Double.POSITIVE_INFINITY;
        }
        double[][][] u = Bptt.forward(c).u();
        double margin = Double.POSITIVE_INFINITY;
        for (double[][] layer : u) {
            for (int t = 1; t < layer.length; t++) {
                for (double ut : layer[t]) {
                    double dist = Math.min(Math.abs(ut), Math.min(Math.abs(ut - c.vTh()), Math.abs(ut + c.vTh())));
                    margin = Math.min(margin, dist);
                }
            }
        }
        return margin;
    }

    /**
     * The smallest, over layers, fraction of a layer's neurons that spike at least once: a guard
     * that a spiking case is not silent (which would make its hidden gradients trivially zero).
     * 1 for leaky_tanh.
     */
    public static double activeFraction(Case c) {
        if (!Models.spiking(c.model())) {
            return 1.0;
        }
        double[][][] z = Bptt.forward(c).z();
        double worst = 1.0;
        for (double[][] layer : z) {
            int n = layer[0].length;
            int active = 0;
            for (int j = 0; j < n; j++) {
                for (int t = 1; t < layer.length; t++) {
                    if (layer[t][j] > 0) {
                        active++;
                        break;
                    }
                }
            }
            worst = Math.min(worst, (double) active / n);
        }
        return worst;
    }

    /** A copy of {@code c} with feedback matrix {@code B} ({@code n_L x n_out} row-major, or null). */
    public static Case withB(Case c, double[] B) {
        return new Case(c.model(), c.inputs(), c.layers(), c.outputs(), c.T(), c.recurrent(), c.alpha(),
                c.vTh(), c.gamma(), c.beta(), c.rho(), c.W(), c.Wout(), c.bout(), B, c.x(), c.y());
    }

    /** {@code W_out^T} as an explicit {@code n_L x n_out} feedback matrix. */
    public static double[] transposedReadout(Case c) {
        int nTop = c.layers()[c.depth() - 1];
        double[] b = new double[nTop * c.outputs()];
        for (int o = 0; o < c.outputs(); o++) {
            for (int m = 0; m < nTop; m++) {
                b[m * c.outputs() + o] = c.Wout()[o * nTop + m];
            }
        }
        return b;
    }

    private static double[] gaussian(Random rng, int size, double scale) {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = f32(scale * rng.nextGaussian());
        }
        return out;
    }

    private static double f32(double value) {
        return (float) value;
    }
}
