package org.deepeprop.jmh.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;

/**
 * The PNG plots of the report, each drawn only when there is data for it: scaling in width, depth
 * and T with the fitted exponents in the legends, vector speed-ups, latency percentiles, and
 * kernel rates against the machine limits of the same run.
 */
final class Plots {
    private final Path out;
    private final List<String> written = new ArrayList<>();

    Plots(Path out) {
        this.out = out;
    }

    /** The file names written so far, in order. */
    List<String> written() {
        return written;
    }

    /** (a) and (b): one chart per family and path, one line per depth (or width), fits dashed. */
    void scaling(List<Scaling.Line> lines, String axis, String xLabel, int fitFrom) throws IOException {
        Map<String, List<Scaling.Line>> charts = new LinkedHashMap<>();
        for (Scaling.Line l : lines) {
            charts.computeIfAbsent(l.family() + " | " + l.variant(), k -> new ArrayList<>()).add(l);
        }
        for (var e : charts.entrySet()) {
            List<Scaling.Line> group = e.getValue();
            List<Charts.Series> series = new ArrayList<>();
            Set<Source> sources = new LinkedHashSet<>();
            for (int i = 0; i < group.size(); i++) {
                Scaling.Line l = group.get(i);
                sources.addAll(l.sources());
                series.addAll(dataAndFit(l, i, axis.equals("width") ? "N" : "L"));
            }
            String title = String.format("Time per step vs %s: %s, %s", axis, group.get(0).family(),
                    group.get(0).variant());
            List<String> sub = List.of(String.format(Locale.ROOT, "dashed: least-squares power law in log-log over %s"
                    + " >= %d (needs %d points)", axis, fitFrom, Fit.MIN_POINTS), "data: " + Source.shortNames(sources));
            JFreeChart chart = Charts.logLog(title, sub, Charts.logAxisAt(xLabel, xs(group)),
                    "time per step (µs, log scale)", series);
            save(chart, "step-vs-" + axis + "-" + slug(e.getKey()) + ".png");
        }
    }

    /** (c): time per sequence against T, one line per configuration and path. */
    void sequences(List<Scaling.Line> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        List<Charts.Series> series = new ArrayList<>();
        Set<Source> sources = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            sources.addAll(lines.get(i).sources());
            series.addAll(dataAndFit(lines.get(i), i, "T"));
        }
        save(Charts.logLog("Time per sequence vs sequence length T (fresh state, T online steps)",
                List.of("dashed: least-squares power law in log-log over every T (needs " + Fit.MIN_POINTS + " points)",
                        "data: " + Source.shortNames(sources)),
                Charts.logAxisAt("sequence length T (steps, log scale)", xs(lines)),
                "time per sequence (µs, log scale)", series), "sequence-vs-T.png");
    }

    /** Every x of the lines, for the axis ticks. */
    private static double[] xs(List<Scaling.Line> lines) {
        return lines.stream().flatMap(l -> l.points().stream()).mapToDouble(Fit.Point::x).distinct().sorted().toArray();
    }

    /** A line's data series, labelled with its fitted exponent, and its fit over the fitted range. */
    private static List<Charts.Series> dataAndFit(Scaling.Line l, int colour, String symbol) {
        String label = l.axis().equals("T") ? l.fixedName() + " " + l.variant() : l.fixedName();
        if (l.fit() == null) {
            label += String.format(Locale.ROOT, ": exponent n/a (%d point%s in fit range)", l.fitted().size(),
                    l.fitted().size() == 1 ? "" : "s");
        } else {
            label += String.format(Locale.ROOT, ": ~%s^%.2f over %s %s-%s (n=%d)", symbol, l.fit().exponent(),
                    symbol, num(l.fit().xMin()), num(l.fit().xMax()), l.fit().n());
        }
        XYSeries data = new XYSeries(label, true, true);
        l.points().forEach(p -> data.add(p.x(), p.y()));
        List<Charts.Series> s = new ArrayList<>(List.of(new Charts.Series(data, Charts.Style.DATA, colour)));
        if (l.fit() != null) {
            XYSeries fit = new XYSeries(label + " (fit)", true, true);
            fit.add(l.fit().xMin(), l.fit().at(l.fit().xMin()));
            fit.add(l.fit().xMax(), l.fit().at(l.fit().xMax()));
            s.add(new Charts.Series(fit, Charts.Style.FIT, colour));
        }
        return s;
    }

    /** (d): speed-up of every non-scalar path over the one-thread scalar path of the same configuration. */
    void speedups(Dataset d) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        Set<Source> sources = new LinkedHashSet<>();
        for (Dataset.StepPoint p : d.steps) {
            Dataset.StepPoint scalar = d.scalarOf(p.config());
            if (scalar != null && p != scalar) {
                data.addValue(scalar.micros() / p.micros(), p.variant(), p.config().label());
                sources.add(p.source());
                sources.add(scalar.source());
            }
        }
        if (data.getColumnCount() == 0) {
            return;
        }
        save(Charts.bars("Speed-up over the scalar path (one thread), per configuration",
                List.of("speed-up = scalar µs/step ÷ path µs/step, same configuration",
                        "data: " + Source.shortNames(sources)),
                "configuration (model, depth d, width w)", "speed-up over scalar (×)", data, 1, "scalar = 1"),
                "speedup.png");
    }

    /** (e): latency percentiles, one line per saved distribution. */
    void latency(List<Hgrm> latencies) throws IOException {
        if (latencies.isEmpty()) {
            return;
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Hgrm h : latencies) {
            for (int i = 0; i < Hgrm.LEVELS.length; i++) {
                data.addValue(h.percentiles()[i], h.label(), Hgrm.NAMES[i]);
            }
        }
        save(Charts.categoryLogLines("Latency of one online step (HdrHistogram, every step recorded)",
                List.of("data: " + Source.shortNames(latencies.stream().map(Hgrm::source).toList())),
                "percentile", "time per step (µs, log scale)", data), "latency.png");
    }

    /** (f): kernel GB/s and GFLOP/s against size, with the limits of the kernels' own run. */
    void kernels(Dataset d) throws IOException {
        if (d.kernels.isEmpty()) {
            return;
        }
        Set<Source> sources = new LinkedHashSet<>();
        d.kernels.forEach(k -> sources.add(k.source()));
        List<String> ops = d.kernels.stream().map(Dataset.KernelPoint::op).distinct().toList();
        for (boolean flops : new boolean[] {false, true}) {
            Map<String, XYSeries> byOpPath = new LinkedHashMap<>();
            List<Charts.Series> series = new ArrayList<>();
            for (Dataset.KernelPoint k : d.kernels) {
                String key = k.op() + " " + k.path();
                XYSeries s = byOpPath.get(key);
                if (s == null) {
                    s = new XYSeries(key, true, true);
                    byOpPath.put(key, s);
                    series.add(new Charts.Series(s, k.path().equals("scalar") ? Charts.Style.DATA_DASHED
                            : Charts.Style.DATA, ops.indexOf(k.op())));
                }
                double v = flops ? k.gflops() : k.gbps();
                if (v > 0) {
                    s.add(4.0 * k.size(), v);
                }
            }
            double xMin = 4.0 * d.kernels.stream().mapToInt(Dataset.KernelPoint::size).min().orElseThrow();
            double xMax = 4.0 * d.kernels.stream().mapToInt(Dataset.KernelPoint::size).max().orElseThrow();
            for (Source src : sources) {
                Limits lim = d.limits(src);
                String run = sources.size() > 1 ? ", " + Path.of(src.file()).getFileName() : "";
                if (!flops && !lim.stream.isEmpty()) {
                    XYSeries s = new XYSeries("stream limit (LimitsBench" + run + ")", true, true);
                    lim.stream.forEach((bytes, gb) -> s.add((double) bytes, gb));
                    series.add(new Charts.Series(s, Charts.Style.REFERENCE, 0));
                }
                if (flops && !Double.isNaN(lim.fmaPeak)) {
                    // A series rather than a marker, so the axis range makes room for it.
                    XYSeries s = new XYSeries(String.format(Locale.ROOT, "FMA peak, one core (LimitsBench%s): %.1f GFLOP/s",
                            run, lim.fmaPeak), true, true);
                    s.add(xMin, lim.fmaPeak);
                    s.add(xMax, lim.fmaPeak);
                    series.add(new Charts.Series(s, Charts.Style.REFERENCE, 0));
                }
            }
            String what = flops ? "GFLOP/s" : "GB/s";
            LogAxis x = Charts.logAxis("main operand footprint (bytes, log scale)", 2);
            x.setNumberFormatOverride(new ByteFormat());
            JFreeChart chart = Charts.logLog("Kernel " + what + " vs size (vector solid, scalar dashed)",
                    List.of("rates from the kernels' JMH @AuxCounters; limits (grey) measured by LimitsBench in the same run",
                            "data: " + Source.shortNames(sources)),
                    x, what + " (log scale)", series);
            save(chart, flops ? "kernel-gflops.png" : "kernel-gbps.png");
        }
    }

    private void save(JFreeChart chart, String name) throws IOException {
        Charts.save(chart, out.resolve(name));
        written.add(name);
    }

    /** A file-name-safe form of a chart key. */
    private static String slug(String s) {
        return s.replace(" | ", "-").replace(' ', '-').replaceAll("[^A-Za-z0-9_.-]", "");
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
