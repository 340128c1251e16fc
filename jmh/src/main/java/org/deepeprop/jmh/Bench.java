package org.deepeprop.jmh;

import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code ./eprop bench}: runs a sweep of the JMH suites through the Runner API, writes every result
 * to {@code results/bench-<timestamp>.json} (JMH's JSON format, the input of reports and plots),
 * and prints one table (see {@link BenchTable}). JMH's own output goes to
 * {@code results/bench-<timestamp>.log}, or to the console with {@code --verbose}; the console
 * shows one {@code [k/N]} line per job.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp jmh/target/benchmarks.jar
 * org.deepeprop.jmh.Bench [--quick | --full | --report] [--verbose] [--results DIR]}. The sweeps are
 * those of {@link BenchPlan}: by default a few minutes, {@code --quick} a smoke pass for CI (under
 * three minutes), {@code --full} everything (hours), {@code --report} the data of
 * {@code org.deepeprop.jmh.report.Report} (about 15 minutes). Exits 1 if any benchmark fails.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws IOException {
        List<BenchPlan.Job> jobs = BenchPlan.standard();
        String sweep = "default";
        boolean verbose = false;
        Path dir = Path.of("results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> {
                    jobs = BenchPlan.quick();
                    sweep = "quick";
                }
                case "--full" -> {
                    jobs = BenchPlan.full();
                    sweep = "full";
                }
                case "--report" -> {
                    jobs = BenchPlan.report();
                    sweep = "report";
                }
                case "--verbose" -> verbose = true;
                case "--results" -> {
                    if (i + 1 == args.length) {
                        usage("--results needs a directory");
                    }
                    dir = Path.of(args[++i]);
                }
                case "-h", "--help" -> {
                    usage(null);
                    return;
                }
                default -> usage("unknown argument: " + args[i]);
            }
        }
        System.exit(run(jobs, sweep, verbose, dir));
    }

    /** Runs {@code jobs} one after the other, stopping at the first failure; returns the exit code. */
    static int run(List<BenchPlan.Job> jobs, String sweep, boolean verbose, Path dir) throws IOException {
        Files.createDirectories(dir);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path json = dir.resolve("bench-" + stamp + ".json");
        Path log = dir.resolve("bench-" + stamp + ".log");
        System.out.printf("bench: %s sweep, %d jobs; JMH output in %s%n", sweep, jobs.size(), verbose ? "the console" : log);
        System.out.println("bench: " + cpu());

        List<RunResult> results = new ArrayList<>();
        RunnerException failure = null;
        long start = System.nanoTime();
        try (OutputStream logFile = new FileOutputStream(log.toFile())) {
            OutputStream jmhOut = verbose ? System.out : logFile;
            for (int k = 0; k < jobs.size() && failure == null; k++) {
                BenchPlan.Job job = jobs.get(k);
                System.out.printf("[%d/%d] %s%s", k + 1, jobs.size(), job.label(), verbose ? System.lineSeparator() : " ... ");
                System.out.flush();
                try {
                    // The Runner closes its output stream when it is done: give it one that only flushes.
                    PrintStream out = new PrintStream(unclosable(jmhOut), true, StandardCharsets.UTF_8);
                    Collection<RunResult> got = new Runner(job.options().build(),
                            OutputFormatFactory.createFormatInstance(out, VerboseMode.NORMAL)).run();
                    results.addAll(got);
                    System.out.printf("%s  [%s]%n", summary(got), clock(System.nanoTime() - start));
                } catch (RunnerException e) {
                    failure = e;
                    System.out.println("FAILED");
                }
            }
        }
        ResultFormatFactory.getInstance(ResultFormatType.JSON, json.toString()).writeOut(results);
        if (failure != null) {
            System.err.println("bench: " + failure.getMessage());
            if (!verbose) {
                List<String> lines = Files.readAllLines(log);
                System.err.println("bench: last lines of " + log + ":");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.err::println);
            }
            System.err.println("bench: results so far in " + json);
            return 1;
        }
        BenchTable.print(results, System.out);
        if (sweep.equals("quick")) {
            System.out.println("(quick pass: one 0.3 s iteration on a barely warm JIT shows that every suite runs,"
                    + " not how fast it runs)");
        }
        System.out.printf("%nbench: %d results in %s, wall time %s%n", results.size(), json, clock(System.nanoTime() - start));
        return 0;
    }

    /**
     * The CPU the forks run on, from {@code /proc/cpuinfo}: the same VM has run on an AVX-512 Zen 5
     * and on an AVX2-only Zen 3, where the vector path runs 256-bit vectors and every figure moves.
     */
    static String cpu() {
        Map<String, String> info = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    info.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
                if (line.isBlank() && !info.isEmpty()) {
                    break;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return "CPU unknown (/proc/cpuinfo unreadable: " + e.getMessage() + ")";
        }
        boolean avx512 = (" " + info.getOrDefault("flags", "") + " ").contains(" avx512f ");
        return String.format("CPU %s, family %s model %s, AVX-512 %s", info.getOrDefault("model name", "?"),
                info.getOrDefault("cpu family", "?"), info.getOrDefault("model", "?"),
                avx512 ? "yes" : "no: the vector path runs 256-bit vectors or narrower");
    }

    /** The score of a one-result job, else the number of results. */
    private static String summary(Collection<RunResult> got) {
        if (got.size() != 1) {
            return got.size() + " results";
        }
        var primary = got.iterator().next().getPrimaryResult();
        return BenchTable.fmt(primary.getScore()) + " " + primary.getScoreUnit();
    }

    private static String clock(long nanos) {
        long s = nanos / 1_000_000_000L;
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static OutputStream unclosable(OutputStream target) {
        return new FilterOutputStream(target) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static void usage(String error) {
        PrintStream out = error == null ? System.out : System.err;
        if (error != null) {
            out.println("bench: " + error);
        }
        out.println("usage: bench [--quick | --full | --report] [--verbose] [--results DIR]");
        out.println("  (default)  machine limits and the step of a recurrent leaky-tanh network, depth 1-3,");
        out.println("             width 32-128, scalar and vector: a few minutes");
        out.println("  --quick    every benchmark class once, reduced parameters, short iterations (CI smoke pass)");
        out.println("  --full     every parameter of every benchmark, annotation forks and iterations (hours)");
        out.println("  --report   the data of the report (scaling in width, depth and T, speed-ups, kernel rates):");
        out.println("             one fork per configuration, about 15 minutes; then: report --json results/bench-<time>.json");
        out.println("  --verbose  JMH's output on the console instead of results/bench-<timestamp>.log");
        out.println("  --results  directory for the JSON and log files (default: results)");
        if (error != null) {
            System.exit(2);
        }
    }
}
