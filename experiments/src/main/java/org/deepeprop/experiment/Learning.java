package org.deepeprop.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.deepeprop.experiment.learn.KernelGradients;
import org.deepeprop.experiment.learn.Method;
import org.deepeprop.experiment.model.Dynamics;
import org.deepeprop.experiment.model.MaskedBptt;
import org.deepeprop.experiment.model.NetSpec;
import org.deepeprop.experiment.model.Params;
import org.deepeprop.experiment.report.Markdown;
import org.deepeprop.experiment.task.Sequence;
import org.deepeprop.experiment.task.Task;
import org.deepeprop.verify.Gradients;
import org.deepeprop.verify.Metrics;

/**
 * Experiment 2: deep e-prop against exact BPTT, layer-local e-prop and readout-only training on
 * three temporal tasks, at two depths. Before training, a sanity check: without recurrent weights
 * the kernel's deep e-prop gradient on each task's first sequence must equal masked BPTT's.
 */
final class Learning {
    static final Method[] METHODS = {Method.BPTT, Method.DEEP_EPROP, Method.LOCAL_EPROP, Method.READOUT_ONLY};

    private Learning() {
    }

    static void run(Options o) {
        Task[] tasks = Task.all();
        int[] depths = {2, 4};
        int seeds = o.seedCount(o.quick() ? 2 : 5);
        Markdown md = new Markdown();
        md.heading("learning: exactness check at initialisation, recurrence off");
        for (Task task : tasks) {
            String line = exactnessCheck(task, depths[depths.length - 1]);
            System.err.println("check: " + line);
            md.line("- " + line);
        }
        List<Method[]> pairs = List.of(new Method[] {Method.DEEP_EPROP, Method.BPTT},
                new Method[] {Method.DEEP_EPROP, Method.LOCAL_EPROP}, new Method[] {Method.DEEP_EPROP, Method.READOUT_ONLY});
        MethodComparison.run("learning", tasks, depths, METHODS, pairs, seeds, o, md);
        md.write(o.out().resolve("learning.md"));
        System.err.println("wrote " + o.out().resolve("learning.csv") + ", learning.png, learning.md");
    }

    /**
     * The kernel's deep e-prop gradient against masked BPTT on the task's network with its
     * recurrent weights removed, initial weights of seed 1, one sequence: they must agree (spiking
     * tasks up to spikes that float rounding flips).
     */
    static String exactnessCheck(Task task, int depth) {
        NetSpec rec = task.spec(depth);
        NetSpec spec = new NetSpec(rec.model(), rec.inputs(), rec.widths(), rec.outputs(), false, rec.alpha(),
                rec.vTh(), rec.gamma(), rec.beta(), rec.rho());
        Params params = Params.random(spec, task.init(), 1);
        Sequence s = task.sample(new SplittableRandom(1));
        Gradients exact = MaskedBptt.run(spec, params, Dynamics.forward(spec, params, s.x()), s.target());
        Gradients eprop = KernelGradients.run(spec, params, s.x(), s.target(), null);
        List<String> errors = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            errors.add(String.format(Locale.ROOT, "%.1e", Metrics.relativeError(eprop.gradW()[l], exact.gradW()[l])));
        }
        return String.format(Locale.ROOT, "%s (%s, %d layers): relative error of the kernel's gradient to masked BPTT per layer %s",
                task.name(), spec.model().name().toLowerCase(Locale.ROOT), depth, String.join(", ", errors));
    }
}
