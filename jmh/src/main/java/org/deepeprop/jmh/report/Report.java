package org.deepeprop.jmh.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./eprop report}: turns benchmark output into the report's plots and tables. Reads JMH
 * JSON ({@code Bench --report} or any other sweep), the latency harness's {@code .hgrm} files and
 * the PyTorch peer's CSV; writes PNG plots and {@code tables.md} into the output directory. Every
 * number comes from those files; a configuration missing from them is a missing point, and an
 * exponent fitted on fewer than {@value Fit#MIN_POINTS} points is "n/a".
 *
 * <p>Usage: {@code java -cp jmh/target/benchmarks.jar org.deepeprop.jmh.report.Report --json
 * results/bench-X.json [more.json ...] [--hgrm results/latency-*.hgrm] [--gpu bench/peers/h200.csv] [--torch
 * bench/peers/results/torch_step.csv] [--out report] [--fit-min-width 32] [--fit-min-depth 2]}.
 * Each option takes every argument up to the next option, so shell globs work. Later JSON files
 * replace earlier results of the same benchmark and parameters.
 */
public final class Report {
    private static final Map<String, String> SINGLE = Map.of("--out", "report", "--fit-min-width", "32",
            "--fit-min-depth", "2");

    private Report() {
    }

    public static void main(String[] args) {
        // Before anything touches AWT: charts are drawn into images, never onto a screen.
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, System.out, System.err));
    }

    /** The whole command; returns the exit code (0, 1 for unreadable input, 2 for bad arguments). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, List<String>> opt = new LinkedHashMap<>();
        String current = null;
        for (String a : args) {
            if (a.startsWith("--")) {
                if (a.equals("--help") || a.equals("-h")) {
                    usage(out);
                    return 0;
                }
                if (!List.of("--json", "--hgrm", "--torch", "--gpu").contains(a) && !SINGLE.containsKey(a)) {
                    return bad(err, "unknown option " + a);
                }
                current = a;
                opt.computeIfAbsent(a, k -> new ArrayList<>());
            } else if (current == null) {
                return bad(err, "unexpected argument " + a + " (inputs follow --json, --hgrm, --torch or --gpu)");
            } else {
                opt.get(current).add(a);
            }
        }
        for (var e : opt.entrySet()) {
            if (e.getValue().isEmpty() || SINGLE.containsKey(e.getKey()) && e.getValue().size() > 1) {
                return bad(err, e.getKey() + " needs " + (SINGLE.containsKey(e.getKey()) ? "one value" : "a file"));
            }
        }
        if (!opt.containsKey("--json") && !opt.containsKey("--hgrm")) {
            return bad(err, "nothing to report: give --json and/or --hgrm files");
        }
        int minWidth;
        int minDepth;
        try {
            minWidth = Integer.parseInt(single(opt, "--fit-min-width"));
            minDepth = Integer.parseInt(single(opt, "--fit-min-depth"));
        } catch (NumberFormatException e) {
            return bad(err, "--fit-min-width and --fit-min-depth take integers: " + e.getMessage());
        }
        try {
            write(opt, Path.of(single(opt, "--out")), minWidth, minDepth, out);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("report: " + e.getMessage());
            return 1;
        }
    }

    private static void write(Map<String, List<String>> opt, Path out, int minWidth, int minDepth, PrintStream log)
            throws IOException {
        List<JmhJson.Result> results = new ArrayList<>();
        List<Source> inputs = new ArrayList<>();
        for (String f : opt.getOrDefault("--json", List.of())) {
            List<JmhJson.Result> got = JmhJson.read(existing(f));
            results.addAll(got);
            if (!got.isEmpty()) {
                inputs.add(got.get(0).source());
            }
        }
        List<Hgrm> latencies = new ArrayList<>();
        for (String f : opt.getOrDefault("--hgrm", List.of())) {
            latencies.add(Hgrm.read(existing(f)));
        }
        latencies.forEach(h -> inputs.add(h.source()));
        List<TorchCsv> torch = new ArrayList<>();
        for (String f : opt.getOrDefault("--torch", List.of())) {
            torch.add(TorchCsv.read(existing(f)));
        }
        torch.forEach(t -> inputs.add(t.source()));
        List<GpuCsv> gpus = new ArrayList<>();
        for (String f : opt.getOrDefault("--gpu", List.of())) {
            gpus.add(GpuCsv.read(existing(f)));
        }
        gpus.forEach(g -> inputs.add(g.source()));

        Dataset d = Dataset.of(results);
        List<Scaling.Line> byWidth = Scaling.byWidth(d, minWidth);
        List<Scaling.Line> byDepth = Scaling.byDepth(d, minDepth);
        List<Scaling.Line> bySeq = Scaling.bySeqLen(d);

        Files.createDirectories(out);
        Plots plots = new Plots(out);
        plots.scaling(byWidth, "width", "width N (neurons per layer, inputs = N; log scale)", minWidth);
        plots.scaling(byDepth, "depth", "depth L (layers; log scale)", minDepth);
        plots.sequences(bySeq);
        plots.speedups(d);
        plots.latency(latencies);
        plots.kernels(d);

        Tables t = new Tables().intro(inputs, plots.written());
        if (!d.limits.isEmpty()) {
            t.limits(d);
        }
        if (!d.steps.isEmpty()) {
            t.steps(d);
        }
        if (!byWidth.isEmpty() || !bySeq.isEmpty()) {
            t.exponents(byWidth, minWidth, byDepth, minDepth, bySeq);
        }
        if (!d.sequences.isEmpty()) {
            t.sequences(d);
        }
        if (!d.kernels.isEmpty()) {
            t.kernels(d);
        }
        if (!d.products.isEmpty()) {
            t.products(d);
        }
        if (!d.alignment.isEmpty()) {
            t.alignment(d);
        }
        if (!latencies.isEmpty()) {
            t.latency(latencies);
        }
        for (TorchCsv c : torch) {
            t.torch(c, d);
        }
        for (GpuCsv g : gpus) {
            t.gpu(g, d);
        }
        Files.writeString(out.resolve("tables.md"), t.toString());
        log.printf("report: %d results, %d latency files, %d PyTorch files -> %s (tables.md and %d plots)%n",
                results.size(), latencies.size(), torch.size(), out, plots.written().size());
    }

    private static Path existing(String f) throws IOException {
        Path p = Path.of(f);
        if (!Files.isRegularFile(p)) {
            throw new IOException(f + ": no such file");
        }
        return p;
    }

    private static String single(Map<String, List<String>> opt, String key) {
        List<String> v = opt.get(key);
        return v == null ? SINGLE.get(key) : v.get(0);
    }

    private static int bad(PrintStream err, String message) {
        err.println("report: " + message);
        usage(err);
        return 2;
    }

    private static void usage(PrintStream out) {
        out.println("usage: report --json BENCH.json [...] [--hgrm LATENCY.hgrm ...] [--torch TORCH.csv ...] [--gpu GPU.csv]");
        out.println("              [--out DIR] [--fit-min-width N] [--fit-min-depth L]");
        out.println("  --json           JMH JSON (Bench --report, or any sweep); later files override earlier");
        out.println("  --hgrm           latency distributions written by ./eprop latency");
        out.println("  --torch          CSV of bench/peers/torch_step.py bench (PyTorch ratio table)");
        out.println("  --gpu            CSV of given GPU timings, e.g. bench/peers/h200.csv (GPU table)");
        out.println("  --out            output directory for the PNG plots and tables.md (default: report)");
        out.println("  --fit-min-width  smallest width in the width-exponent fits (default: 32)");
        out.println("  --fit-min-depth  smallest depth in the depth-exponent fits (default: 2)");
    }
}
