package org.deepeprop.experiment.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deepeprop.experiment.model.Dynamics;
import org.deepeprop.experiment.model.NetSpec;
import org.deepeprop.experiment.model.Params;
import org.deepeprop.experiment.model.Readout;
import org.deepeprop.experiment.model.Trajectory;
import org.deepeprop.experiment.task.Sequence;
import org.deepeprop.experiment.task.Task;

/**
 * Scores weights on a fixed held-out set, the same way for every rule: a double-precision forward
 * pass of the float weights. Classification: the class is the sign of the readout (one output) or
 * its argmax (several), averaged over the steps that have a target. Regression: NMSE.
 */
public final class Evaluator {
    private final Task task;
    private final NetSpec spec;
    private final List<Sequence> test;

    /** Draws {@code size} test sequences from {@code seed}. */
    public Evaluator(Task task, NetSpec spec, int size, long seed) {
        this.task = task;
        this.spec = spec;
        SplittableRandom rng = new SplittableRandom(seed);
        test = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            test.add(task.sample(rng));
        }
    }

    /**
     * Task score and loss of {@code params}.
     *
     * @param metric accuracy (classification) or NMSE (regression)
     * @param loss   mean over test sequences of the summed loss {@code sum_t 1/2 ||y_t - y*_t||^2}
     */
    public record Score(double metric, double loss) {
    }

    /** Scores {@code params} on the test set. */
    public Score score(Params params) {
        double loss = 0;
        int correct = 0;
        double squaredError = 0;
        double variance = 0;
        for (Sequence s : test) {
            Trajectory f = Dynamics.forward(spec, params, s.x());
            loss += Readout.of(f, s.target()).loss();
            if (task.classification()) {
                correct += predict(f, s) == s.label() ? 1 : 0;
            } else {
                double[] sums = regression(f, s);
                squaredError += sums[0];
                variance += sums[1];
            }
        }
        double metric = task.classification() ? (double) correct / test.size() : squaredError / variance;
        return new Score(metric, loss / test.size());
    }

    private static int predict(Trajectory f, Sequence s) {
        int outputs = f.y()[0].length;
        double[] mean = new double[outputs];
        for (int t = 1; t <= s.steps(); t++) {
            if (s.target()[t - 1] != null) {
                for (int o = 0; o < outputs; o++) {
                    mean[o] += f.y()[t][o];
                }
            }
        }
        if (outputs == 1) {
            return mean[0] > 0 ? 1 : 0;
        }
        int best = 0;
        for (int o = 1; o < outputs; o++) {
            best = mean[o] > mean[best] ? o : best;
        }
        return best;
    }

    /** Squared error and squared deviation of the target from its mean, over the target steps. */
    private static double[] regression(Trajectory f, Sequence s) {
        int outputs = f.y()[0].length;
        double[] mean = new double[outputs];
        int count = 0;
        for (double[] row : s.target()) {
            if (row != null) {
                count++;
                for (int o = 0; o < outputs; o++) {
                    mean[o] += row[o];
                }
            }
        }
        double error = 0;
        double variance = 0;
        for (int t = 1; t <= s.steps(); t++) {
            double[] row = s.target()[t - 1];
            if (row == null) {
                continue;
            }
            for (int o = 0; o < outputs; o++) {
                double d = f.y()[t][o] - row[o];
                double c = row[o] - mean[o] / count;
                error += d * d;
                variance += c * c;
            }
        }
        return new double[] {error, variance};
    }
}
