package org.deepeprop.experiment.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deepeprop.experiment.model.NetSpec;
import org.deepeprop.experiment.model.Params;
import org.deepeprop.experiment.task.Sequence;
import org.deepeprop.experiment.task.Task;

/**
 * One training run: a task, a rule, a depth and a seed. The seed fixes the initial weights, the
 * training sequences, the test set and the random feedback matrices, so runs of different rules
 * with the same seed start from the same network and see the same data (paired comparisons).
 */
public final class Training {
    private Training() {
    }

    /** Trains and returns the test curve, evaluated before the first update and every {@code evalEvery}. */
    public static Curve run(Task task, Method method, int depth, long seed, boolean quick) {
        Task.Schedule schedule = task.schedule(quick);
        NetSpec spec = task.spec(depth);
        Params init = Params.random(spec, task.init(), seed);
        Learner learner = Learner.create(method, spec, init, schedule.learningRate(), seed ^ 0x5DEECE66DL);
        Evaluator evaluator = new Evaluator(task, spec, schedule.testSize(), seed + 1_000_003L);
        SplittableRandom data = new SplittableRandom(seed * 31 + 7);
        int points = schedule.iterations() / schedule.evalEvery() + 1;
        int[] iteration = new int[points];
        double[] metric = new double[points];
        double[] loss = new double[points];
        record(evaluator.score(init), 0, 0, iteration, metric, loss);
        for (int it = 1; it <= schedule.iterations(); it++) {
            List<Sequence> batch = new ArrayList<>(schedule.batch());
            for (int b = 0; b < schedule.batch(); b++) {
                batch.add(task.sample(data));
            }
            learner.train(batch);
            if (it % schedule.evalEvery() == 0) {
                record(evaluator.score(learner.params()), it / schedule.evalEvery(), it, iteration, metric, loss);
            }
        }
        return new Curve(iteration, metric, loss);
    }

    private static void record(Evaluator.Score s, int point, int it, int[] iteration, double[] metric, double[] loss) {
        iteration[point] = it;
        metric[point] = s.metric();
        loss[point] = s.loss();
    }
}
