package org.deepeprop.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.deepeprop.experiment.learn.Curve;
import org.deepeprop.experiment.learn.DriftProbe;
import org.deepeprop.experiment.learn.OnlineRun;
import org.deepeprop.experiment.report.Csv;
import org.deepeprop.experiment.report.Markdown;
import org.deepeprop.experiment.report.Plots;
import org.deepeprop.experiment.report.Progress;
import org.deepeprop.experiment.report.Stats;
import org.deepeprop.experiment.task.DelayedXor;
import org.deepeprop.experiment.task.PatternGeneration;
import org.deepeprop.experiment.task.Task;
import org.jfree.chart.JFreeChart;

/**
 * Experiment 3 (the paper's open question 4): deep e-prop with weight updates every step, every 10
 * steps and at the end of each sequence, on a task with a target at every step (pattern) and one
 * answered only at the end (xor), {@value #DEPTH} layers, one sequence per update window. Adam's
 * step is scaled by {@code K / T} for {@code K}-step updates, so every schedule moves the weights
 * about as far per sequence. Reports the final score and the drift probes of {@link OnlineRun}.
 */
final class Online {
    static final int DEPTH = 3;
    /** Update every K steps; 0 is the end of the sequence. */
    static final int[] SCHEDULES = {1, 10, 0};

    private Online() {
    }

    /** Per-task settings: training sequences, Adam step for end-of-sequence updates, evaluation. */
    record Setup(Task task, int sequences, float learningRate, int evalEvery, int testSize) {
        int[] probeAt() {
            return new int[] {1, sequences / 4, sequences / 2, 3 * sequences / 4, sequences};
        }
    }

    record Run(Setup setup, int schedule, int seed, OnlineRun.Result result) {
    }

    static String label(int k) {
        return k == 0 ? "end of sequence" : "every " + k + (k == 1 ? " step" : " steps");
    }

    static void run(Options o) {
        List<Setup> setups = o.quick()
                ? List.of(new Setup(new PatternGeneration(), 40, 0.01f, 10, 1), new Setup(new DelayedXor(), 60, 0.003f, 20, 64))
                : List.of(new Setup(new PatternGeneration(), 400, 0.01f, 20, 1), new Setup(new DelayedXor(), 1500, 0.003f, 100, 256));
        int seeds = o.seedCount(o.quick() ? 1 : 5);
        Progress progress = new Progress(setups.size() * SCHEDULES.length * seeds, System.err);
        List<Callable<Run>> jobs = new ArrayList<>();
        for (int seed = 1; seed <= seeds; seed++) {
            for (Setup setup : setups) {
                for (int k : SCHEDULES) {
                    int s = seed;
                    // Every sequence of a task has the same length T: any sample tells it.
                    int steps = setup.task().sample(new java.util.SplittableRandom(0)).steps();
                    float lr = k == 0 ? setup.learningRate() : setup.learningRate() * k / steps;
                    jobs.add(() -> {
                        OnlineRun.Result r = OnlineRun.run(setup.task(), DEPTH, s, k, setup.sequences(), lr,
                                setup.evalEvery(), setup.testSize(), setup.probeAt());
                        progress.done(String.format(Locale.ROOT,
                                "task=%s updates=%s seed=%d final %s=%.4f, mean cos(applied, frozen)=%.3f",
                                setup.task().name(), label(k), s, MethodComparison.metricName(setup.task()),
                                r.curve().finalMetric(), mean(r.probes(), p -> p.engineVsFrozen()[DEPTH])));
                        return new Run(setup, k, s, r);
                    });
                }
            }
        }
        List<Run> runs = Jobs.run(jobs, o.threads());
        write(runs, o);
        plot(runs, setups, o);
        summarise(runs, setups, seeds, o);
        System.err.println("wrote " + o.out().resolve("online.csv") + ", online-curves.csv, online.png, online.md");
    }

    private static double mean(List<DriftProbe> probes, Function<DriftProbe, Double> f) {
        return probes.stream().mapToDouble(f::apply).average().orElse(Double.NaN);
    }

    private static void write(List<Run> runs, Options o) {
        try (Csv probes = new Csv(o.out().resolve("online.csv"), "task", "updates", "seed", "sequence", "step", "layer",
                "cos_engine_bptt", "cos_frozen_bptt", "cos_engine_frozen", "cos_step_engine_frozen", "cos_step_engine_bptt");
             Csv curves = new Csv(o.out().resolve("online-curves.csv"), "task", "metric", "updates", "seed", "sequence",
                     "value", "loss")) {
            for (Run r : runs) {
                String updates = r.schedule() == 0 ? "end" : Integer.toString(r.schedule());
                for (DriftProbe p : r.result().probes()) {
                    for (int l = 0; l <= DEPTH; l++) {
                        probes.row(r.setup().task().name(), updates, r.seed(), p.sequence(), p.step(),
                                l == DEPTH ? "all" : Integer.toString(l + 1), p.engineVsBptt()[l], p.frozenVsBptt()[l],
                                p.engineVsFrozen()[l], p.stepEngineVsFrozen()[l], p.stepEngineVsBptt()[l]);
                    }
                }
                Curve c = r.result().curve();
                for (int i = 0; i < c.iteration().length; i++) {
                    curves.row(r.setup().task().name(), MethodComparison.metricName(r.setup().task()), updates, r.seed(),
                            c.iteration()[i], c.metric()[i], c.loss()[i]);
                }
            }
        }
    }

    private static List<Run> select(List<Run> runs, Setup setup, int k) {
        return runs.stream().filter(r -> r.setup() == setup && r.schedule() == k).toList();
    }

    /** Per task: the learning curves, then three probe cosines against the step, one line per schedule. */
    private static void plot(List<Run> runs, List<Setup> setups, Options o) {
        List<JFreeChart> panels = new ArrayList<>();
        for (Setup setup : setups) {
            List<Plots.Series> curves = new ArrayList<>();
            List<Plots.Series> toBptt = new ArrayList<>();
            List<Plots.Series> toFrozen = new ArrayList<>();
            List<Plots.Series> traces = new ArrayList<>();
            for (int k : SCHEDULES) {
                List<Run> sel = select(runs, setup, k);
                curves.add(curveSeries(label(k), sel));
                toBptt.add(probeSeries(label(k), sel, p -> p.engineVsBptt()[DEPTH]));
                toFrozen.add(probeSeries(label(k), sel, p -> p.engineVsFrozen()[DEPTH]));
                traces.add(probeSeries(label(k), sel, p -> p.stepEngineVsFrozen()[DEPTH]));
            }
            String name = setup.task().name();
            panels.add(Plots.panel(name + ": learning curve", "training sequences", setup.task().classification()
                    ? new Plots.Axis("test accuracy", false, 0.0, 1.02) : new Plots.Axis("NMSE (log)", true, null, null), curves));
            panels.add(Plots.panel(name + ": applied vs BPTT gradient, prefix 1..t", "step t", cosineAxis(toBptt), toBptt));
            panels.add(Plots.panel(name + ": applied vs frozen deep e-prop, prefix", "step t", cosineAxis(toFrozen), toFrozen));
            panels.add(Plots.panel(name + ": traces, step t alone, shared error", "step t", cosineAxis(traces), traces));
        }
        Plots.grid("Online updates (" + DEPTH + " layers): learning curves and gradient drift, all layers"
                + " (mean over seeds and probed sequences, band = min..max)", panels, 4, 420, 330, o.out().resolve("online.png"));
    }

    private static Plots.Axis cosineAxis(List<Plots.Series> series) {
        double lowest = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.lo())).min().orElse(0);
        return new Plots.Axis("cosine", false, Math.min(0, Math.floor(lowest * 10) / 10), 1.02);
    }

    private static Plots.Series curveSeries(String name, List<Run> sel) {
        return MethodComparison.curveBand(name, sel.stream().map(r -> r.result().curve()).toList());
    }

    /** A probe cosine against the step, pooled over seeds and probed sequences. */
    private static Plots.Series probeSeries(String name, List<Run> sel, Function<DriftProbe, Double> f) {
        List<DriftProbe> all = sel.stream().flatMap(r -> r.result().probes().stream()).toList();
        int[] steps = all.stream().mapToInt(DriftProbe::step).distinct().sorted().toArray();
        double[] x = new double[steps.length];
        double[] mean = new double[steps.length];
        double[] lo = new double[steps.length];
        double[] hi = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            int step = steps[i];
            Stats s = Stats.of(all.stream().filter(p -> p.step() == step).mapToDouble(f::apply).toArray());
            x[i] = step;
            mean[i] = s.mean();
            lo[i] = s.min();
            hi[i] = s.max();
        }
        return new Plots.Series(name, x, mean, lo, hi);
    }

    private static void summarise(List<Run> runs, List<Setup> setups, int seeds, Options o) {
        Markdown md = new Markdown();
        for (Setup setup : setups) {
            List<List<String>> rows = new ArrayList<>();
            List<List<String>> byPhase = new ArrayList<>();
            for (int k : SCHEDULES) {
                List<Run> sel = select(runs, setup, k);
                List<DriftProbe> probes = sel.stream().flatMap(r -> r.result().probes().stream()).toList();
                rows.add(List.of(label(k),
                        Stats.of(sel.stream().mapToDouble(r -> r.result().curve().finalMetric()).toArray()).format("%.3f"),
                        pooled(probes, p -> p.engineVsFrozen()[DEPTH]),
                        pooled(probes, p -> p.engineVsBptt()[DEPTH]),
                        pooled(probes, p -> p.frozenVsBptt()[DEPTH]),
                        pooled(probes, p -> p.stepEngineVsFrozen()[DEPTH]),
                        pooled(probes, p -> p.stepEngineVsBptt()[DEPTH])));
                List<String> phase = new ArrayList<>(List.of(label(k)));
                for (int n : setup.probeAt()) {
                    phase.add(pooled(probes.stream().filter(p -> p.sequence() == n).toList(), p -> p.engineVsFrozen()[DEPTH]));
                }
                byPhase.add(phase);
            }
            md.heading(setup.task().name() + ": " + setup.sequences() + " training sequences, " + DEPTH + " layers, "
                            + seeds + " seeds (final score: mean ± sd [min, max]; cosines over all layers: mean ± sd over all probes)")
                    .table(List.of("updates", "final " + MethodComparison.metricName(setup.task()),
                            "prefix: applied vs frozen", "prefix: applied vs BPTT", "prefix: frozen vs BPTT",
                            "step: traces vs frozen", "step: traces vs BPTT"), rows);
            List<String> header = new ArrayList<>(List.of("updates"));
            for (int n : setup.probeAt()) {
                header.add("sequence " + n);
            }
            md.heading(setup.task().name() + ": prefix cosine applied vs frozen, by training progress (mean ± sd)")
                    .table(header, byPhase);
        }
        md.write(o.out().resolve("online.md"));
    }

    private static String pooled(List<DriftProbe> probes, Function<DriftProbe, Double> f) {
        return Stats.of(probes.stream().mapToDouble(f::apply).toArray()).meanSd("%.3f");
    }
}
