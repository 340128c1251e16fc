package org.deepeprop.experiment;

import java.util.List;
import org.deepeprop.experiment.learn.Method;
import org.deepeprop.experiment.report.Markdown;
import org.deepeprop.experiment.task.Task;

/**
 * Experiment 4: symmetric ({@code W_out^T}) against fixed random feedback, for deep e-prop (the
 * top layer's {@code B}) and for layer-local e-prop (the top layer's matrix; the layers below are
 * random in both), on the tasks of the learning experiment at one depth.
 */
final class FeedbackComparison {
    static final Method[] METHODS = {
        Method.DEEP_EPROP, Method.DEEP_EPROP_RANDOM, Method.LOCAL_EPROP, Method.LOCAL_EPROP_RANDOM};

    private FeedbackComparison() {
    }

    static void run(Options o) {
        int[] depths = {3};
        int seeds = o.seedCount(o.quick() ? 2 : 5);
        Markdown md = new Markdown();
        List<Method[]> pairs = List.of(new Method[] {Method.DEEP_EPROP, Method.DEEP_EPROP_RANDOM},
                new Method[] {Method.LOCAL_EPROP, Method.LOCAL_EPROP_RANDOM},
                new Method[] {Method.DEEP_EPROP_RANDOM, Method.LOCAL_EPROP});
        MethodComparison.run("feedback", Task.all(), depths, METHODS, pairs, seeds, o, md);
        md.write(o.out().resolve("feedback.md"));
        System.err.println("wrote " + o.out().resolve("feedback.csv") + ", feedback.png, feedback.md");
    }
}
