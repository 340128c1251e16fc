package org.deepeprop.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code ./eprop latency}: the distribution of the time one online step takes, which averages hide
 * (a learner on a stream must keep up with every step, not with the mean).
 *
 * <p>For each configuration and path: {@code --warmup} steps to let the JIT finish (recorded,
 * then the histogram is reset), then {@code --steps} steps, each timed with {@link System#nanoTime()} and recorded in an HdrHistogram
 * (3 significant digits). Prints p50, p90, p99, p99.9 and max in microseconds, whether any garbage
 * collection or JIT compilation happened during the measured steps, and saves the full percentile
 * distribution to {@code results/latency-<config>-<path>.hgrm} (plot it with HdrHistogram's
 * plotter). The network and inputs are those of {@link StepFixture}; the new-sequence reset every
 * 1000 steps is a sequence boundary, not part of a step, and is not timed. Both paths run in this
 * one JVM, one after the other.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp
 * jmh/target/benchmarks.jar org.deepeprop.jmh.Latency [--steps N] [--warmup N] [--depth D,...]
 * [--width W,...] [--model M,...] [--recurrent true|false,...] [--path scalar|vector|both]
 * [--defer-steps K] [--results DIR]}; comma-separated lists run every combination; {@code --defer-steps 1}
 * measures the network that applies every step's terms in that step
 * ({@link org.deepeprop.net.NetworkConfig.Builder#deferSteps(int)}).
 */
public final class Latency {
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("steps", "100000");
        DEFAULTS.put("warmup", "20000");
        DEFAULTS.put("depth", "2");
        DEFAULTS.put("width", "64");
        DEFAULTS.put("model", "leaky_tanh");
        DEFAULTS.put("recurrent", "true");
        DEFAULTS.put("path", "both");
        DEFAULTS.put("defer-steps", String.valueOf(org.deepeprop.net.NetworkConfig.DEFAULT_DEFER_STEPS));
        DEFAULTS.put("results", "results");
    }

    private Latency() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = parse(args);
        int steps = positive(opt, "steps");
        int warmup = positive(opt, "warmup");
        int deferSteps = positive(opt, "defer-steps");
        Path dir = Path.of(opt.get("results"));
        Files.createDirectories(dir);
        List<String> paths = opt.get("path").equals("both") ? List.of("scalar", "vector") : List.of(opt.get("path"));
        System.out.printf(Locale.ROOT, "%-30s %-7s %9s %9s %9s %9s %9s   %s%n",
                "configuration", "path", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us", "during the measured steps");
        for (String depth : opt.get("depth").split(",")) {
            for (String width : opt.get("width").split(",")) {
                for (String model : opt.get("model").split(",")) {
                    for (String recurrent : opt.get("recurrent").split(",")) {
                        for (String path : paths) {
                            run(Integer.parseInt(depth), Integer.parseInt(width), model, parseBoolean(recurrent),
                                    path, deferSteps, steps, warmup, dir);
                        }
                    }
                }
            }
        }
    }

    private static void run(int depth, int width, String model, boolean recurrent, String path, int deferSteps,
                            int steps, int warmup, Path dir) throws IOException {
        StepFixture fixture = StepFixture.create(depth, width, model, recurrent, path, 1, deferSteps);
        // A non-default deferral is named in the label and the file, so the default runs' files stay.
        String defer = deferSteps == org.deepeprop.net.NetworkConfig.DEFAULT_DEFER_STEPS ? "" : " k=" + deferSteps;
        // Values from 1 ns to 100 s fit without resizing, so recording never allocates.
        Histogram histogram = new Histogram(1, 100_000_000_000L, 3);
        // The warm-up runs the very loop that measures, so that loop is compiled too when it counts.
        record(fixture, histogram, warmup);
        histogram.reset();
        long gcCount = gcCount();
        long gcMillis = gcMillis();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitMillis = jit.getTotalCompilationTime();
        record(fixture, histogram, steps);
        long gcs = gcCount() - gcCount;
        String gc = gcs == 0 ? "no GC" : gcs + " GCs (" + (gcMillis() - gcMillis) + " ms)";
        String config = String.format(Locale.ROOT, "%s%s d=%d w=%d%s", model, recurrent ? " rec" : "", depth, width,
                defer);
        System.out.printf(Locale.ROOT, "%-30s %-7s %9.2f %9.2f %9.2f %9.2f %9.2f   %s, JIT %d ms%n", config, path,
                us(histogram.getValueAtPercentile(50)), us(histogram.getValueAtPercentile(90)),
                us(histogram.getValueAtPercentile(99)), us(histogram.getValueAtPercentile(99.9)),
                us(histogram.getMaxValue()), gc, jit.getTotalCompilationTime() - jitMillis);
        String name = String.format(Locale.ROOT, "latency-%s-%s-d%d-w%d-%s%s.hgrm",
                model, recurrent ? "rec" : "ff", depth, width, path, defer.isEmpty() ? "" : "-k" + deferSteps);
        try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve(name)), false, "UTF-8")) {
            histogram.outputPercentileDistribution(out, 1000.0); // values in microseconds
        }
    }

    private static void record(StepFixture fixture, Histogram histogram, int steps) {
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            fixture.advance();
            histogram.recordValue(System.nanoTime() - t0);
            if (fixture.sequenceEnded()) {
                fixture.newSequence();
            }
        }
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (key != null && key.equals("help")) {
                usage(null);
            }
            if (key == null || !opt.containsKey(key)) {
                usage("unknown argument: " + args[i]);
            }
            if (i + 1 == args.length) {
                usage(args[i] + " needs a value");
            }
            opt.put(key, args[++i]);
        }
        if (!List.of("scalar", "vector", "both").contains(opt.get("path"))) {
            usage("--path: got " + opt.get("path") + ", expected scalar, vector or both");
        }
        return opt;
    }

    private static int positive(Map<String, String> opt, String key) {
        try {
            int v = Integer.parseInt(opt.get(key));
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage("--" + key + ": got " + opt.get(key) + ", expected a positive integer");
        return 0;
    }

    private static boolean parseBoolean(String s) {
        if (!s.equals("true") && !s.equals("false")) {
            usage("--recurrent: got " + s + ", expected true or false");
        }
        return Boolean.parseBoolean(s);
    }

    private static void usage(String error) {
        PrintStream out = error == null ? System.out : System.err;
        if (error != null) {
            out.println("latency: " + error);
        }
        out.println("usage: latency [--steps N] [--warmup N] [--depth D,...] [--width W,...] [--model M,...]");
        out.println("               [--recurrent true|false,...] [--path scalar|vector|both] [--defer-steps K]");
        out.println("               [--results DIR]");
        out.print("defaults:");
        DEFAULTS.forEach((k, v) -> out.print(" --" + k + " " + v));
        out.println();
        System.exit(error == null ? 0 : 2);
    }
}
