package org.deepeprop.jmh;

import org.deepeprop.net.NetworkConfig;

/**
 * Work and compulsory memory traffic of one step, from the cost model of SPEC.md section 5, so a
 * measured time per step becomes GFLOP/s and GB/s.
 *
 * <p>Fused multiply-adds per step, {@code theta_l = n_l P_l}: terminal traces {@code theta_l} (or
 * {@code P_l} when the layer's trace is factorised), adjacent hierarchical {@code n_{l+1} theta_l},
 * deep hierarchical {@code n_k n_{k-1} theta_l}, gradient {@code n_L theta_l}, plus the forward
 * products {@code theta_l}. For two-component neurons (ALIF, {@code d = 2}) every trace term is
 * taken twice, and the deep term also contracts over both components below: an estimate, where
 * the model is exact for {@code d = 1}. Where layer {@code k} holds {@code T^{k<-k-1}} in factor
 * form ({@link NetworkConfig#factorised}) the adjacent term is {@code theta_{k-1}} (the factor's
 * update), its contraction into the gradient {@code theta_{k-1}}, and the deep term of
 * {@code T^{k+1<-k-1}} is {@code n_{k+1} theta_{k-1}} plus the small product
 * {@code n_{k+1} n_k n_{k-1}} that forms its coefficients. Traffic: every trace float a step
 * touches ({@link NetworkConfig#steppedTraceFloats()}) read and written once, the weights read,
 * the gradients read and written.
 *
 * @param fmas fused multiply-adds per step
 * @param bytes bytes moved per step, at least
 * @param footprintBytes bytes of traces, weights and gradients the step walks through (decides
 *     which cache level it runs from)
 */
public record CostModel(double fmas, double bytes, double footprintBytes) {

    /** The cost of one step of a network built from {@code c}. */
    public static CostModel of(NetworkConfig c) {
        int d = c.model().stateDim();
        int depth = c.depth();
        int top = c.width(depth - 1);
        double fmas = 0;
        double thetaSum = 0;
        for (int l = 0; l < depth; l++) {
            double theta = (double) c.width(l) * c.presynaptic(l);
            thetaSum += theta;
            fmas += theta; // forward
            fmas += c.factorised(l) ? c.presynaptic(l) : d * theta;
            for (int k = l + 1; k < depth; k++) {
                if (k == l + 1 && c.factorised(k)) {
                    fmas += theta; // the factor Q
                } else if (k == l + 2 && c.factorised(l + 1)) {
                    fmas += c.width(k) * theta + (double) c.width(k) * c.width(k - 1) * c.width(l);
                } else {
                    double below = k == l + 1 ? 1 : d * (double) c.width(k - 1);
                    fmas += d * c.width(k) * below * theta;
                }
            }
            boolean factorTop = l == depth - 2 && c.factorised(depth - 1);
            fmas += (l == depth - 1 || factorTop ? 1 : d * top) * theta; // gradient
        }
        double traceBytes = 4.0 * c.steppedTraceFloats();
        double bytes = 2 * traceBytes + 4.0 * thetaSum + 8.0 * thetaSum;
        return new CostModel(fmas, bytes, traceBytes + 8.0 * thetaSum);
    }

    /**
     * The cost of one step of the {@link StepFixture} network with these benchmark parameters (the
     * report reads them back from JMH's JSON).
     */
    public static CostModel ofStep(int depth, int width, String model, boolean recurrent) {
        return of(StepFixture.config(depth, width, model, recurrent, "scalar"));
    }

    /** Floats of trace state of the {@link StepFixture} network with these benchmark parameters. */
    public static long stepTraceFloats(int depth, int width, String model, boolean recurrent) {
        return StepFixture.config(depth, width, model, recurrent, "scalar").traceFloats();
    }

    /** GFLOP/s at {@code microsPerStep} (a fused multiply-add counts two). */
    public double gflops(double microsPerStep) {
        return 2 * fmas / (microsPerStep * 1e3);
    }

    /** GB/s at {@code microsPerStep}. */
    public double gbytes(double microsPerStep) {
        return bytes / (microsPerStep * 1e3);
    }
}
