package org.deepeprop.jmh;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The one table {@link Bench} prints: per step configuration and path, the time per step, the
 * rates the cost model ({@link CostModel}) derives from it, how close that comes to this machine's
 * limits measured by {@link LimitsBench} in the same run, and the speed-up over the scalar path.
 *
 * <p>"% limit" is the larger of two fractions: GFLOP/s over the FMA peak (one core's peak times
 * the step's threads), and GB/s over the one-core streaming bandwidth at the cache level the
 * configuration's footprint fits in; the level or {@code FMA} says which one it is. Paths with
 * step threads read {@code "vector x2"}; "vs scalar" is always against the one-thread scalar path.
 */
final class BenchTable {
    /** Upper footprint bounds of L1, L2 and L3 on current x86 cores (48 KiB, 1-2 MiB, 32 MiB per CCD). */
    private static final long[] LEVEL_BYTES = {48L << 10, 1L << 20, 32L << 20};
    private static final String[] LEVEL_NAMES = {"L1", "L2", "L3", "DRAM"};

    /** One line of the table. */
    private record Row(String sortKey, String config, String path, int threads, double micros, CostModel cost,
                       double allocBytes) {
    }

    private BenchTable() {
    }

    static void print(Collection<RunResult> results, PrintStream out) {
        double fmaPeak = Double.NaN;
        TreeMap<Long, Double> stream = new TreeMap<>(); // footprint bytes -> GB/s
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.', p.getBenchmark().lastIndexOf('.') - 1) + 1);
            var secondary = r.getSecondaryResults();
            switch (name) {
                case "LimitsBench.fma" -> fmaPeak = secondary.get("gigaflops").getScore();
                case "LimitsBench.stream" -> stream.put(4L * Integer.parseInt(p.getParam("footprint")),
                        secondary.get("gigabytes").getScore());
                case "StepBench.step", "StepNoSuperWordBench.scalarNoSuperWord", "SequenceBench.sequence" ->
                        rows.add(row(name, p, r));
                default -> { } // kernel results live in the JSON only
            }
        }
        out.println();
        out.println(limitsLine(fmaPeak, stream));
        if (rows.isEmpty()) {
            return;
        }
        rows.sort(Comparator.comparing(Row::sortKey).thenComparing(Row::path));
        String format = "%-34s %-13s %11s %9s %8s %12s %10s %11s%n";
        out.printf(Locale.ROOT, format, "configuration", "path", "us/step", "GFLOP/s", "GB/s", "% limit",
                "vs scalar", "alloc B/op");
        for (Row row : rows) {
            double gf = row.cost.gflops(row.micros);
            double gb = row.cost.gbytes(row.micros);
            Row scalar = rows.stream()
                    .filter(o -> o.config.equals(row.config) && o.path.equals("scalar") && o.threads == 1)
                    .findFirst().orElse(null);
            String speedup = scalar == null || scalar == row ? "" : fmt(scalar.micros / row.micros) + "x";
            out.printf(Locale.ROOT, format, row.config, row.path, fmt(row.micros), fmt(gf), fmt(gb),
                    limit(gf, gb, row.cost.footprintBytes(), row.threads * fmaPeak, stream), speedup,
                    Double.isNaN(row.allocBytes) ? "" : fmt(row.allocBytes));
        }
    }

    private static Row row(String name, BenchmarkParams p, RunResult r) {
        int depth = Integer.parseInt(p.getParam("depth"));
        int width = Integer.parseInt(p.getParam("width"));
        String model = p.getParam("model");
        boolean recurrent = Boolean.parseBoolean(p.getParam("recurrent"));
        String config = String.format(Locale.ROOT, "%s%s d=%d w=%d", model, recurrent ? " rec" : "", depth, width);
        String path = p.getParam("path");
        String threadParam = p.getParam("threads");
        int threads = threadParam == null ? 1 : Integer.parseInt(threadParam);
        if (threads > 1) {
            path += " x" + threads;
        }
        int steps = 1;
        if (name.startsWith("SequenceBench")) {
            steps = Integer.parseInt(p.getParam("seqLen"));
            config += " T=" + p.getParam("seqLen");
        } else if (name.startsWith("StepNoSuperWordBench")) {
            path = "scalar-noSW";
        }
        if (!r.getPrimaryResult().getScoreUnit().equals("us/op")) {
            throw new IllegalStateException(name + ": expected a score in us/op, got " + r.getPrimaryResult().getScoreUnit());
        }
        Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
        String sortKey = String.format(Locale.ROOT, "%s|%b|%02d|%05d|%05d", model, recurrent, depth, width, steps);
        return new Row(sortKey, config, path, threads, r.getPrimaryResult().getScore() / steps,
                CostModel.of(StepFixture.config(depth, width, model, recurrent, "scalar")),
                alloc == null ? Double.NaN : alloc.getScore());
    }

    private static String limitsLine(double fmaPeak, TreeMap<Long, Double> stream) {
        StringBuilder s = new StringBuilder("machine limits in this run: FMA peak ").append(fmt(fmaPeak)).append(" GFLOP/s; stream");
        stream.forEach((bytes, gb) -> s.append(' ').append(level(bytes)).append(' ').append(fmt(gb)));
        return s.append(" GB/s").toString();
    }

    /** The closer of the two ceilings, e.g. {@code "63% FMA"} or {@code "41% L2"}. */
    private static String limit(double gf, double gb, double footprint, double fmaPeak, TreeMap<Long, Double> stream) {
        // The stream reference of the same cache level; without one, the next larger, else the largest.
        String lvl = level((long) Math.ceil(footprint));
        Map.Entry<Long, Double> ref = stream.entrySet().stream()
                .filter(e -> level(e.getKey()).equals(lvl)).findFirst()
                .orElseGet(() -> stream.ceilingEntry((long) Math.ceil(footprint)));
        if (ref == null) {
            ref = stream.lastEntry();
        }
        double flopShare = gf / fmaPeak;
        double byteShare = ref == null ? Double.NaN : gb / ref.getValue();
        if (Double.isNaN(byteShare) || flopShare >= byteShare) {
            return Double.isNaN(flopShare) ? "" : String.format(Locale.ROOT, "%.0f%% FMA", 100 * flopShare);
        }
        return String.format(Locale.ROOT, "%.0f%% %s", 100 * byteShare, level(ref.getKey()));
    }

    private static String level(long bytes) {
        int i = 0;
        while (i < LEVEL_BYTES.length && bytes > LEVEL_BYTES[i]) {
            i++;
        }
        return LEVEL_NAMES[i];
    }

    /** Three significant digits; "-" for NaN. */
    static String fmt(double v) {
        return Numbers.threeDigits(v, "-");
    }
}
