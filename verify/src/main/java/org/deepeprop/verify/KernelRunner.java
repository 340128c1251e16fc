package org.deepeprop.verify;

import org.deepeprop.net.DeepEpropNetwork;
import org.deepeprop.net.NetworkConfig;
import org.deepeprop.net.Path;
import org.deepeprop.neuron.NeuronModel;

/**
 * Runs a {@link Case} through the float32 kernel ({@link DeepEpropNetwork}) and reads its deep
 * e-prop gradients back in double, so they compare directly with the double references.
 */
public final class KernelRunner {
    private KernelRunner() {
    }

    /**
     * Runs the case as {@link #run(Case, Path, boolean)} does, with factorised traces where they
     * apply (the kernel's default).
     */
    public static Gradients run(Case c, Path path) {
        return run(c, path, true);
    }

    /**
     * Builds a network from the case on the given kernel path, runs all {@code T} steps from zero
     * state and returns the summed loss and accumulated gradients. Every double of the case is
     * rounded to float32, which is what the kernel computes in.
     *
     * @param factorise whether the kernel may store factorised terminal traces (SPEC.md section 4)
     * @throws IllegalArgumentException if the kernel rejects the case (e.g. too large for the heap)
     * @throws IllegalStateException if {@link Path#VECTOR} is requested and the Vector API is not usable
     */
    public static Gradients run(Case c, Path path, boolean factorise) {
        NetworkConfig config = NetworkConfig.builder()
                .inputs(c.inputs())
                .layers(c.layers())
                .outputs(c.outputs())
                .model(NeuronModel.parse(c.model()))
                .alpha((float) c.alpha())
                .recurrent(c.recurrent())
                .vTh((float) c.vTh())
                .gamma((float) c.gamma())
                .beta((float) c.beta())
                .rho((float) c.rho())
                .path(path)
                .factorise(factorise)
                .build();
        DeepEpropNetwork net = new DeepEpropNetwork(config);
        for (int l = 0; l < c.depth(); l++) {
            net.setWeights(l, toFloat(c.W()[l]));
        }
        net.setReadout(toFloat(c.Wout()), toFloat(c.bout()));
        if (c.B() != null) {
            net.setFeedback(toFloat(c.B()));
        }
        float[] x = new float[c.inputs()];
        float[] target = new float[c.outputs()];
        for (int t = 0; t < c.T(); t++) {
            copy(c.x(), t * x.length, x);
            copy(c.y(), t * target.length, target);
            net.step(x, target);
        }
        double[][] gradW = new double[c.depth()][];
        for (int l = 0; l < c.depth(); l++) {
            gradW[l] = toDouble(net.gradient(l));
        }
        return new Gradients(net.loss(), gradW, toDouble(net.readoutWeightGradient()),
                toDouble(net.readoutBiasGradient()));
    }

    private static float[] toFloat(double[] src) {
        float[] dst = new float[src.length];
        copy(src, 0, dst);
        return dst;
    }

    /** Rounds {@code dst.length} doubles from {@code src[from]} on into {@code dst}. */
    private static void copy(double[] src, int from, float[] dst) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (float) src[from + i];
        }
    }

    private static double[] toDouble(float[] src) {
        double[] dst = new double[src.length];
        for (int i = 0; i < src.length; i++) {
            dst[i] = src[i];
        }
        return dst;
    }
}
