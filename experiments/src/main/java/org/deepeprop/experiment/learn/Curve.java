package org.deepeprop.experiment.learn;

/**
 * A learning curve: the test score after {@code iteration[i]} updates.
 *
 * @param metric accuracy or NMSE (see {@link Evaluator})
 * @param loss   mean test loss
 */
public record Curve(int[] iteration, double[] metric, double[] loss) {

    /** The last point's metric. */
    public double finalMetric() {
        return metric[metric.length - 1];
    }
}
