package org.deepeprop.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deepeprop.experiment.learn.Curve;
import org.deepeprop.experiment.learn.Method;
import org.deepeprop.experiment.learn.Training;
import org.deepeprop.experiment.report.Csv;
import org.deepeprop.experiment.report.Markdown;
import org.deepeprop.experiment.report.Plots;
import org.deepeprop.experiment.report.Progress;
import org.deepeprop.experiment.report.Stats;
import org.deepeprop.experiment.task.Task;
import org.jfree.chart.JFreeChart;

/**
 * Trains every (task, depth, rule, seed) combination and reports learning curves: the shared body
 * of the {@code learning} and {@code feedback} experiments. Rules run with the same seeds, so the
 * same seed means the same initial network and the same data for every rule.
 */
final class MethodComparison {
    private MethodComparison() {
    }

    /** One finished run. */
    record Run(Task task, int depth, Method method, int seed, Curve curve, double seconds) {
    }

    /**
     * @param pairs rule pairs {@code {a, b}} compared seed by seed in the summary
     * @param md    the summary the tables are appended to
     */
    static List<Run> run(String name, Task[] tasks, int[] depths, Method[] methods, List<Method[]> pairs, int seeds,
                         Options o, Markdown md) {
        List<Callable<Run>> jobs = new ArrayList<>();
        Progress progress = new Progress(tasks.length * depths.length * methods.length * seeds, System.err);
        // Seeds outermost: a run stopped early still has every rule for its first seeds.
        for (int seed = 1; seed <= seeds; seed++) {
            for (Task task : tasks) {
                for (int depth : depths) {
                    for (Method method : methods) {
                        int s = seed;
                        jobs.add(() -> {
                            long start = System.nanoTime();
                            Curve c = Training.run(task, method, depth, s, o.quick());
                            double seconds = (System.nanoTime() - start) / 1e9;
                            progress.done(String.format(Locale.ROOT, "task=%s depth=%d method=%s seed=%d final %s=%.4f (%.1f s)",
                                    task.name(), depth, method.label(), s, metricName(task), c.finalMetric(), seconds));
                            return new Run(task, depth, method, s, c, seconds);
                        });
                    }
                }
            }
        }
        List<Run> runs = Jobs.run(jobs, o.threads());
        try (Csv csv = new Csv(o.out().resolve(name + ".csv"),
                "task", "metric", "method", "depth", "seed", "iteration", "value", "loss")) {
            for (Run r : runs) {
                Curve c = r.curve();
                for (int i = 0; i < c.iteration().length; i++) {
                    csv.row(r.task().name(), metricName(r.task()), r.method().label(), r.depth(), r.seed(),
                            c.iteration()[i], c.metric()[i], c.loss()[i]);
                }
            }
        }
        plot(name, runs, tasks, depths, methods, o);
        summarise(runs, tasks, depths, methods, seeds, md);
        comparePairs(runs, tasks, depths, pairs, seeds, md);
        return runs;
    }

    static String metricName(Task task) {
        return task.classification() ? "accuracy" : "nmse";
    }

    private static List<Run> select(List<Run> runs, Task task, int depth, Method method) {
        return runs.stream()
                .filter(r -> r.task() == task && r.depth() == depth && r.method() == method)
                .toList();
    }

    /** The learning curves of several seeds as one line (the mean) and a min..max band. */
    static Plots.Series curveBand(String name, List<Curve> curves) {
        int points = curves.get(0).iteration().length;
        double[] x = new double[points];
        double[] mean = new double[points];
        double[] lo = new double[points];
        double[] hi = new double[points];
        for (int i = 0; i < points; i++) {
            int p = i;
            Stats s = Stats.of(curves.stream().mapToDouble(c -> c.metric()[p]).toArray());
            x[i] = curves.get(0).iteration()[i];
            mean[i] = s.mean();
            lo[i] = s.min();
            hi[i] = s.max();
        }
        return new Plots.Series(name, x, mean, lo, hi);
    }

    /** A panel per task and depth, a line per rule, band = min..max over seeds. */
    private static void plot(String name, List<Run> runs, Task[] tasks, int[] depths, Method[] methods, Options o) {
        List<JFreeChart> panels = new ArrayList<>();
        for (Task task : tasks) {
            for (int depth : depths) {
                List<Plots.Series> series = new ArrayList<>();
                for (Method method : methods) {
                    List<Curve> curves = select(runs, task, depth, method).stream().map(Run::curve).toList();
                    series.add(curveBand(method.label(), curves));
                }
                Plots.Axis axis = task.classification()
                        ? new Plots.Axis("test accuracy", false, 0.0, 1.02)
                        : new Plots.Axis("NMSE (log)", true, null, null);
                panels.add(Plots.panel(task.name() + ", " + depth + " layers", "updates", axis, series));
            }
        }
        // One depth: the tasks side by side; several: a row per task, a column per depth.
        Plots.grid(name + ": learning curves (mean over seeds, band = min..max)", panels,
                depths.length == 1 ? tasks.length : depths.length, 480, 340, o.out().resolve(name + ".png"));
    }

    private static void summarise(List<Run> runs, Task[] tasks, int[] depths, Method[] methods, int seeds, Markdown md) {
        for (Task task : tasks) {
            List<String> header = new ArrayList<>(List.of("method"));
            for (int depth : depths) {
                header.add(depth + " layers: final " + metricName(task));
                header.add("s/run");
            }
            List<List<String>> rows = new ArrayList<>();
            for (Method method : methods) {
                List<String> row = new ArrayList<>(List.of(method.label()));
                for (int depth : depths) {
                    List<Run> sel = select(runs, task, depth, method);
                    row.add(Stats.of(sel.stream().mapToDouble(r -> r.curve().finalMetric()).toArray()).format("%.3f"));
                    row.add(String.format(Locale.ROOT, "%.1f", sel.stream().mapToDouble(Run::seconds).average().orElseThrow()));
                }
                rows.add(row);
            }
            int[] iterations = runs.stream().filter(r -> r.task() == task).findFirst().orElseThrow().curve().iteration();
            md.heading(task.name() + ": final test " + metricName(task) + " after " + iterations[iterations.length - 1]
                            + " updates (mean ± sd [min, max] over " + seeds + " seeds)")
                    .table(header, rows);
        }
    }

    /**
     * Seed-by-seed comparison of rule pairs: the mean and sd of the paired difference of the final
     * score and on how many seeds the first rule did better (higher accuracy, lower NMSE).
     */
    private static void comparePairs(List<Run> runs, Task[] tasks, int[] depths, List<Method[]> pairs, int seeds,
                                     Markdown md) {
        List<List<String>> rows = new ArrayList<>();
        for (Task task : tasks) {
            for (int depth : depths) {
                for (Method[] pair : pairs) {
                    double[] a = finals(runs, task, depth, pair[0]);
                    double[] b = finals(runs, task, depth, pair[1]);
                    double[] diff = new double[a.length];
                    int wins = 0;
                    for (int i = 0; i < a.length; i++) {
                        diff[i] = a[i] - b[i];
                        wins += (task.classification() ? diff[i] > 0 : diff[i] < 0) ? 1 : 0;
                    }
                    rows.add(List.of(task.name(), Integer.toString(depth), pair[0].label() + " − " + pair[1].label(),
                            String.format(Locale.ROOT, "%+.3f ± %.3f", Stats.of(diff).mean(), Stats.of(diff).std()),
                            wins + " of " + a.length));
                }
            }
        }
        md.heading("paired differences of the final score, seed by seed (" + seeds + " seeds)")
                .table(List.of("task", "layers", "difference", "mean ± sd", "first rule better on"), rows);
    }

    /** Final scores of one configuration, in seed order. */
    private static double[] finals(List<Run> runs, Task task, int depth, Method method) {
        return select(runs, task, depth, method).stream()
                .sorted(java.util.Comparator.comparingInt(Run::seed))
                .mapToDouble(r -> r.curve().finalMetric())
                .toArray();
    }
}
