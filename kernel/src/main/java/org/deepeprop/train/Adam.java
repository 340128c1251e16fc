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

    // Checkpoint support: the complete state, read out and restored (see org.deepeprop.net.Checkpoint).

    /** The learning rate. */
    public float learningRate() {
        return learningRate;
    }

    /** The first-moment decay. */
    public float beta1() {
        return beta1;
    }

    /** The second-moment decay. */
    public float beta2() {
        return beta2;
    }

    /** The denominator offset. */
    public float epsilon() {
        return epsilon;
    }

    /** Updates begun so far (the exponent of the bias correction). */
    public long updates() {
        return updates;
    }

    /**
     * Copies of the first moments, one array per tensor index ({@code null} for a tensor not yet
     * updated).
     */
    public float[][] firstMoments() {
        return deepCopy(m);
    }

    /** Copies of the second moments, shaped like {@link #firstMoments()}. */
    public float[][] secondMoments() {
        return deepCopy(v);
    }

    /**
     * A new Adam that continues exactly where one with this state stopped: hyper-parameters as in
     * the constructor, {@code updates} as {@link #updates()}, moments as {@link #firstMoments()} and
     * {@link #secondMoments()} (copied). Everything is checked before anything is built.
     *
     * @throws IllegalArgumentException naming the first bad value: a hyper-parameter out of range,
     *     {@code updates < 0}, moment lists or arrays of different shapes, a non-finite moment or a
     *     negative second moment
     */
    public static Adam restore(float learningRate, float beta1, float beta2, float epsilon, long updates,
                               float[][] firstMoments, float[][] secondMoments) {
        Adam adam = new Adam(learningRate, beta1, beta2, epsilon);
        if (updates < 0) {
            throw new IllegalArgumentException("updates: got " + updates + ", expected >= 0");
        }
        if (firstMoments == null || secondMoments == null || firstMoments.length != secondMoments.length) {
            throw new IllegalArgumentException("moments: got " + (firstMoments == null ? "null" : firstMoments.length)
                    + " first and " + (secondMoments == null ? "null" : secondMoments.length)
                    + " second moment tensors, expected the same number of each");
        }
        for (int t = 0; t < firstMoments.length; t++) {
            float[] mt = firstMoments[t];
            float[] vt = secondMoments[t];
            if ((mt == null) != (vt == null) || mt != null && mt.length != vt.length) {
                throw new IllegalArgumentException("moments[" + t + "]: got lengths "
                        + (mt == null ? "null" : mt.length) + " and " + (vt == null ? "null" : vt.length)
                        + ", expected equal lengths (or both null)");
            }
            for (int i = 0; mt != null && i < mt.length; i++) {
                if (!Float.isFinite(mt[i])) {
                    throw new IllegalArgumentException("firstMoments[" + t + "][" + i + "]: got " + mt[i]
                            + ", expected a finite number");
                }
                if (!(Float.isFinite(vt[i]) && vt[i] >= 0)) {
                    throw new IllegalArgumentException("secondMoments[" + t + "][" + i + "]: got " + vt[i]
                            + ", expected a finite number >= 0");
                }
            }
        }
        adam.updates = updates;
        adam.m = deepCopy(firstMoments);
        adam.v = deepCopy(secondMoments);
        return adam;
    }

    private static float[][] deepCopy(float[][] a) {
        float[][] copy = new float[a.length][];
        for (int t = 0; t < a.length; t++) {
            copy[t] = a[t] == null ? null : a[t].clone();
        }
        return copy;
    }
}
