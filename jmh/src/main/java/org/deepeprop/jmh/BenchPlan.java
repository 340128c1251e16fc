package org.deepeprop.jmh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The sweeps of {@link Bench}: which benchmarks, which parameters and how long, as a list of jobs
 * (one JMH run each, one progress line each).
 *
 * <ul>
 *   <li>{@link #standard()}: the default, a few minutes on two cores: machine limits, then the
 *       step of a recurrent leaky-tanh network at depth 1-3 and width 32-128, scalar, vector, and
 *       vector on two step threads.</li>
 *   <li>{@link #quick()}: every benchmark class on a reduced parameter set with the shortest
 *       iterations, so CI sees at once when a suite stops running.</li>
 *   <li>{@link #full()}: every parameter of every class with the annotations' forks and
 *       iterations; step configurations over the trace budget are left out.</li>
 *   <li>{@link #report()}: the data of the report ({@code org.deepeprop.jmh.report.Report}):
 *       scaling in width, depth and T, speed-ups, kernel rates and machine limits.</li>
 * </ul>
 */
final class BenchPlan {
    private static final String PKG = "org.deepeprop.jmh.";
    /**
     * The sweeps fork with a 1 GiB heap and no pre-touching: pre-touching 2 GiB costs about 5 s
     * per fork on a small VM (minutes over a sweep), and their networks (at most ~100 MiB) are
     * allocated, so touched, in {@code @Setup}, before anything is timed. {@code --full} keeps the
     * annotations' fixed, pre-touched 2 GiB heap.
     */
    private static final String[] SWEEP_JVM_ARGS = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"};

    /** Forks and iterations of one job. */
    record Timing(int forks, int warmups, TimeValue warmupTime, int measurements, TimeValue measurementTime) {
        static final Timing STANDARD = new Timing(1, 2, TimeValue.seconds(1), 3, TimeValue.seconds(1));
        static final Timing QUICK = new Timing(1, 1, TimeValue.milliseconds(300), 1, TimeValue.milliseconds(300));
    }

    /**
     * One JMH run.
     *
     * @param benchmark class and method, e.g. {@code StepBench.step}
     * @param params parameter overrides (the annotations' values for the others)
     * @param timing forks and iterations, or {@code null} for the annotations'
     * @param extraJvmArgs appended to the sweep's JVM arguments; ignored when {@code timing} is null
     */
    record Job(String benchmark, Map<String, String> params, boolean gcProfiler, Timing timing, String... extraJvmArgs) {
        /** What the progress line shows. */
        String label() {
            StringBuilder s = new StringBuilder(benchmark);
            params.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
            return s.toString();
        }

        /** The JMH options of this job; parameter values are comma-separated lists. */
        ChainedOptionsBuilder options() {
            ChainedOptionsBuilder o = new OptionsBuilder()
                    .include("^" + Pattern.quote(PKG + benchmark) + "$")
                    .shouldFailOnError(true);
            params.forEach((k, v) -> o.param(k, v.split(",")));
            if (gcProfiler) {
                o.addProfiler(GCProfiler.class);
            }
            if (timing != null) {
                String[] jvm = new String[SWEEP_JVM_ARGS.length + extraJvmArgs.length];
                System.arraycopy(SWEEP_JVM_ARGS, 0, jvm, 0, SWEEP_JVM_ARGS.length);
                System.arraycopy(extraJvmArgs, 0, jvm, SWEEP_JVM_ARGS.length, extraJvmArgs.length);
                o.forks(timing.forks())
                        .warmupIterations(timing.warmups()).warmupTime(timing.warmupTime())
                        .measurementIterations(timing.measurements()).measurementTime(timing.measurementTime())
                        .jvmArgsAppend(jvm);
            }
            return o;
        }
    }

    private BenchPlan() {
    }

    /** The default sweep. */
    static List<Job> standard() {
        List<Job> jobs = new ArrayList<>(limits(Timing.STANDARD, "2048,65536,1048576,33554432"));
        for (String depth : new String[] {"1", "2", "3"}) {
            for (String width : new String[] {"32", "64", "128"}) {
                for (String path : new String[] {"scalar", "vector"}) {
                    jobs.add(new Job("StepBench.step", params("model", "leaky_tanh", "recurrent", "true",
                            "depth", depth, "width", width, "path", path,
                            "threads", path.equals("vector") ? "1,2" : "1"), true, Timing.STANDARD));
                }
            }
        }
        return jobs;
    }

    /** The smoke pass: each class once, small sizes, one short iteration. */
    static List<Job> quick() {
        Timing q = Timing.QUICK;
        List<Job> jobs = new ArrayList<>(limits(q, "65536"));
        for (String method : new String[] {"decayAxpy", "decayRows", "decayBlockRows", "decayGemm", "accumulateGemvT", "gemv"}) {
            jobs.add(new Job("KernelBench." + method, params("size", "4099"), false, q));
        }
        jobs.add(new Job("StepBench.step", params("depth", "3", "width", "16", "model", "leaky_tanh,lif,alif",
                "recurrent", "true,false", "threads", "1,2"), true, q));
        jobs.add(new Job("SequenceBench.sequence", params("seqLen", "10", "depth", "3", "width", "16"), true, q));
        jobs.add(new Job("OnlineBench.onlineStep", params("depth", "2,3", "width", "16", "path", "vector", "every", "1,32"),
                false, q));
        jobs.add(new Job("ProductBench.product", params("width", "64"), false, q));
        jobs.add(new Job("ProductBench.productTwoThreads", params("width", "64"), false, q));
        jobs.add(new Job("AlignmentBench.decayAxpy", params("offset", "0"), false, q));
        jobs.add(new Job("FlushLayoutBench.product", params("width", "32"), false, q));
        jobs.add(new Job("StepNoSuperWordBench.scalarNoSuperWord", params("depth", "3", "width", "16"), false, q,
                "-XX:-UseSuperWord"));
        return jobs;
    }

    /** Everything; step configurations refused by {@link StepFixture#refusal} are not run. */
    static List<Job> full() {
        List<Job> jobs = new ArrayList<>();
        jobs.add(new Job("LimitsBench.stream", Map.of(), false, null));
        jobs.add(new Job("LimitsBench.fma", Map.of(), false, null));
        for (String method : new String[] {"decayAxpy", "decayRows", "decayBlockRows", "decayGemm", "accumulateGemvT", "gemv"}) {
            jobs.add(new Job("KernelBench." + method, Map.of(), false, null));
        }
        for (String model : new String[] {"leaky_tanh", "lif", "alif"}) {
            for (String recurrent : new String[] {"true", "false"}) {
                for (int depth = 1; depth <= 4; depth++) {
                    for (int width : new int[] {16, 32, 64, 128, 256}) {
                        var config = StepFixture.config(depth, width, model, Boolean.parseBoolean(recurrent), "scalar");
                        if (StepFixture.refusal(config) == null) {
                            jobs.add(new Job("StepBench.step", params("model", model, "recurrent", recurrent,
                                    "depth", String.valueOf(depth), "width", String.valueOf(width)), true, null));
                        }
                    }
                }
            }
        }
        jobs.add(new Job("SequenceBench.sequence", Map.of(), true, null));
        jobs.add(new Job("OnlineBench.onlineStep", Map.of(), false, null));
        jobs.add(new Job("ProductBench.product", Map.of(), false, null));
        jobs.add(new Job("ProductBench.productTwoThreads", Map.of(), false, null));
        jobs.add(new Job("AlignmentBench.decayAxpy", Map.of(), false, null));
        jobs.add(new Job("StepNoSuperWordBench.scalarNoSuperWord", Map.of(), false, null));
        return jobs;
    }

    /**
     * The sweep the report is drawn from, about 100 forks of {@link Timing#STANDARD} (one fork
     * each, 2 + 3 one-second iterations): 12-15 minutes on two cores. The step of a recurrent
     * leaky-tanh network at depth 1-4 and width 16-128 (and 256 at depth 1-2, if the traces fit
     * the budget) on the vector path gives the width and depth exponents; the scalar path at width
     * 16-64 and the vector path on two threads at width 64-128 give the speed-ups; LIF and ALIF at
     * depth 2, width 64 on both paths; one sequence configuration at T = 10, 100, 1000 gives the
     * exponent in T; every kernel on both paths at all four sizes, against the machine limits; the
     * deep product at the shapes of width 64 and 128 on one and two threads; the streaming kernel at
     * each of 16 row starts in L1 and in L2.
     */
    static List<Job> report() {
        return report(Timing.STANDARD);
    }

    /** The report sweep with other iterations (a shorter one draws development plots). */
    static List<Job> report(Timing s) {
        List<Job> jobs = new ArrayList<>(limits(s, "2048,65536,1048576,33554432"));
        for (int depth = 1; depth <= 4; depth++) {
            String widths = "16,32,64,128";
            var wide = StepFixture.config(depth, 256, "leaky_tanh", true, "scalar");
            if (depth <= 2 && StepFixture.refusal(wide) == null) {
                widths += ",256";
            }
            jobs.add(step("leaky_tanh", depth, widths, "vector", "1", s));
            jobs.add(step("leaky_tanh", depth, "16,32,64", "scalar", "1", s));
            if (depth >= 2) {
                jobs.add(step("leaky_tanh", depth, "64,128", "vector", "2", s));
            }
        }
        for (String model : new String[] {"lif", "alif"}) {
            jobs.add(new Job("StepBench.step", params("model", model, "recurrent", "true", "depth", "2", "width", "64",
                    "path", "scalar,vector", "threads", "1"), true, s));
        }
        jobs.add(new Job("SequenceBench.sequence", params("seqLen", "10,100,1000", "depth", "2", "width", "64",
                "path", "vector", "model", "leaky_tanh", "recurrent", "true"), true, s));
        for (String method : new String[] {"decayAxpy", "decayRows", "decayBlockRows", "decayGemm", "accumulateGemvT", "gemv"}) {
            jobs.add(new Job("KernelBench." + method, params("path", "scalar,vector", "size", "259,4099,65537,1048573"),
                    false, s));
        }
        jobs.add(new Job("ProductBench.product", params("width", "64,128"), false, s));
        jobs.add(new Job("ProductBench.productTwoThreads", params("width", "64,128"), false, s));
        jobs.add(new Job("AlignmentBench.decayAxpy", Map.of(), false, s));
        return jobs;
    }

    /** A recurrent step job with every parameter pinned, so no annotation default widens it. */
    private static Job step(String model, int depth, String widths, String path, String threads, Timing timing) {
        return new Job("StepBench.step", params("model", model, "recurrent", "true", "depth", String.valueOf(depth),
                "width", widths, "path", path, "threads", threads), true, timing);
    }

    private static List<Job> limits(Timing timing, String footprints) {
        List<Job> jobs = new ArrayList<>();
        for (String footprint : footprints.split(",")) {
            jobs.add(new Job("LimitsBench.stream", params("footprint", footprint), false, timing));
        }
        jobs.add(new Job("LimitsBench.fma", Map.of(), false, timing));
        return jobs;
    }

    /** An ordered map from alternating keys and values. */
    private static Map<String, String> params(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
