package org.deepeprop.experiment.model;

import java.util.SplittableRandom;
import org.deepeprop.net.DeepEpropNetwork;
import org.deepeprop.verify.Case;

/**
 * The trainable weights of a network in float32, the precision the kernel and its optimisers work
 * in: {@code w[l]} is {@code n_l x P_l} row-major (input block, recurrent block, bias), {@code wOut}
 * is {@code n_out x n_L}, {@code bOut} has {@code n_out} values. Mutable: optimisers update the
 * arrays in place.
 */
public record Params(float[][] w, float[] wOut, float[] bOut) {

    /**
     * How the initial weights are drawn: input block {@code N(0, inputGain^2 / n_in)}, recurrent
     * block {@code N(0, recGain^2 / n_l)}, bias {@code N(biasMean, biasStd^2)}, readout
     * {@code N(0, 1 / n_L)} and readout bias 0.
     */
    public record Init(double inputGain, double recGain, double biasMean, double biasStd) {
    }

    /** Draws weights for {@code spec} from {@code seed}. */
    public static Params random(NetSpec spec, Init init, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] w = new float[spec.depth()][];
        for (int l = 0; l < spec.depth(); l++) {
            int n = spec.width(l);
            int nIn = spec.inputWidth(l);
            int cols = spec.presynaptic(l);
            w[l] = new float[n * cols];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < nIn; i++) {
                    w[l][j * cols + i] = (float) (init.inputGain() * rng.nextGaussian() / Math.sqrt(nIn));
                }
                for (int i = 0; spec.recurrent() && i < n; i++) {
                    w[l][j * cols + nIn + i] = (float) (init.recGain() * rng.nextGaussian() / Math.sqrt(n));
                }
                w[l][j * cols + cols - 1] = (float) (init.biasMean() + init.biasStd() * rng.nextGaussian());
            }
        }
        float[] wOut = new float[spec.outputs() * spec.top()];
        for (int i = 0; i < wOut.length; i++) {
            wOut[i] = (float) (rng.nextGaussian() / Math.sqrt(spec.top()));
        }
        return new Params(w, wOut, new float[spec.outputs()]);
    }

    /** The weights of a gradient-check case (float-representable by construction in {@code Cases}). */
    public static Params of(Case c) {
        float[][] w = new float[c.depth()][];
        for (int l = 0; l < w.length; l++) {
            w[l] = toFloat(c.W()[l]);
        }
        return new Params(w, toFloat(c.Wout()), toFloat(c.bout()));
    }

    /** The current weights of a kernel network. */
    public static Params of(DeepEpropNetwork net) {
        float[][] w = new float[net.config().depth()][];
        for (int l = 0; l < w.length; l++) {
            w[l] = net.weights(l);
        }
        return new Params(w, net.readoutWeights(), net.readoutBias());
    }

    /** Writes these weights into a kernel network of the same shape. */
    public void copyInto(DeepEpropNetwork net) {
        for (int l = 0; l < w.length; l++) {
            net.setWeights(l, w[l]);
        }
        net.setReadout(wOut, bOut);
    }

    /** A deep copy. */
    public Params copy() {
        float[][] c = new float[w.length][];
        for (int l = 0; l < w.length; l++) {
            c[l] = w[l].clone();
        }
        return new Params(c, wOut.clone(), bOut.clone());
    }

    /** {@code W_out^T} as an {@code n_L x n_out} feedback matrix. */
    public double[] transposedReadout() {
        int outputs = bOut.length;
        int top = wOut.length / outputs;
        double[] b = new double[top * outputs];
        for (int o = 0; o < outputs; o++) {
            for (int m = 0; m < top; m++) {
                b[m * outputs + o] = wOut[o * top + m];
            }
        }
        return b;
    }

    private static float[] toFloat(double[] src) {
        float[] dst = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            dst[i] = (float) src[i];
        }
        return dst;
    }
}
