package org.deepeprop.train;

import java.util.Arrays;

/**
 * Adam (Kingma and Ba 2015) with bias correction. Moment arrays are allocated on the first update
 * of each tensor, never afterwards. Not thread-safe; one instance per network.
 */
public final class Adam implements Optimizer {
    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private float[][] m = new float[0][];
    private float[][] v = new float[0][];
    private long updates;

    /** Adam with {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code epsilon = 1e-8}. */
    public Adam(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-8f);
    }

    /** @throws IllegalArgumentException naming the first parameter out of range */
    public Adam(float learningRate, float beta1, float beta2, float epsilon) {
        check("learningRate", learningRate, Float.isFinite(learningRate) && learningRate > 0, "a finite number > 0");
        check("beta1", beta1, beta1 >= 0 && beta1 < 1, "a number in [0, 1)");
        check("beta2", beta2, beta2 >= 0 && beta2 < 1, "a number in [0, 1)");
        check("epsilon", epsilon, Float.isFinite(epsilon) && epsilon > 0, "a finite number > 0");
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    private static void check(String name, float value, boolean ok, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": got " + value + ", expected " + expected);
        }
    }

    @Override
    public void beginUpdate() {
        updates++;
    }

    @Override
    public void update(int tensor, float[] param, float[] grad) {
        if (tensor >= m.length) {
            m = Arrays.copyOf(m, tensor + 1);
            v = Arrays.copyOf(v, tensor + 1);
        }
        if (m[tensor] == null) {
            m[tensor] = new float[param.length];
            v[tensor] = new float[param.length];
        }
        float[] mt = m[tensor];
        float[] vt = v[tensor];
        float c1 = (float) (1 - Math.pow(beta1, updates));
        float c2 = (float) (1 - Math.pow(beta2, updates));
        for (int i = 0; i < param.length; i++) {
            float g = grad[i];
            mt[i] = beta1 * mt[i] + (1 - beta1) * g;
            vt[i] = beta2 * vt[i] + (1 - beta2) * g * g;
            param[i] -= learningRate * (mt[i] / c1) / ((float) Math.sqrt(vt[i] / c2) + epsilon);
        }
    }
}
