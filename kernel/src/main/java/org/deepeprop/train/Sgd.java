package org.deepeprop.train;

/**
 * Plain gradient descent: {@code w -= lr * g}. Stateless and immutable, so thread-safe: one instance
 * may serve several networks, even concurrently.
 */
public final class Sgd implements Optimizer {
    private final float learningRate;

    /** @param learningRate finite and positive */
    public Sgd(float learningRate) {
        if (!(Float.isFinite(learningRate) && learningRate > 0)) {
            throw new IllegalArgumentException("learningRate: got " + learningRate + ", expected a finite number > 0");
        }
        this.learningRate = learningRate;
    }

    @Override
    public void beginUpdate() {
    }

    @Override
    public void update(int tensor, float[] param, float[] grad) {
        for (int i = 0; i < param.length; i++) {
            param[i] -= learningRate * grad[i];
        }
    }

    /** The learning rate. */
    public float learningRate() {
        return learningRate;
    }
}
