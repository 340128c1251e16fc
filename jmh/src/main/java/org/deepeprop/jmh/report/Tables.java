package org.deepeprop.jmh.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.deepeprop.jmh.CostModel;

/**
 * The tables of {@code tables.md}. Every table starts with a line naming the files its rows come
 * from, with the date and the JMH and JDK versions they record, so RESULTS.md can quote a table
 * together with where it came from. Every number is read from an input or computed from one.
 */
final class Tables {
    private final Markdown md = new Markdown();

    @Override
    public String toString() {
        return md.toString();
    }

    Tables intro(List<Source> inputs, List<String> plots) {
        md.heading(1, "Benchmark report");
        md.paragraph("Written by `org.deepeprop.jmh.report.Report` from the files below; nothing in it is typed by"
                + " hand. Plots: " + String.join(", ", plots.stream().map(p -> "`" + p + "`").toList()) + ".");
        StringBuilder s = new StringBuilder();
        inputs.forEach(i -> s.append("- ").append(i.describe()).append('\n'));
        md.paragraph(s.toString().strip());
        return this;
    }

    Tables limits(Dataset d) {
        List<List<String>> rows = new ArrayList<>();
        d.limits.forEach((src, lim) -> {
            if (!Double.isNaN(lim.fmaPeak)) {
                rows.add(List.of(src.file(), "FMA peak, one core", "", "", Markdown.num(lim.fmaPeak) + " GFLOP/s"));
            }
            lim.stream.forEach((bytes, gb) -> rows.add(List.of(src.file(), "stream e = d e + k x",
                    ByteFormat.bytes(bytes), Limits.level(bytes), Markdown.num(gb) + " GB/s")));
        });
        md.heading(2, "Machine limits (LimitsBench)");
        md.paragraph(Source.header(d.limits.keySet()));
        md.table(List.of("run", "measurement", ">footprint", "level", ">rate"), rows);
        d.limits.forEach((src, lim) -> {
            if (lim.fmaPeak < Limits.SLOW_HOST_SHARE * Limits.REFERENCE_FMA_PEAK) {
                md.paragraph(String.format(Locale.ROOT, "**Not the reference machine's speed:** `%s` measured the"
                        + " FMA peak at %s GFLOP/s, %.0f%% of the %s GFLOP/s issue 4 gives for this machine: another"
                        + " CPU (on 2026-11-29 this VM ran on an AVX2-only Zen 3, where the vector path is 256-bit;"
                        + " check `/proc/cpuinfo` for avx512f) or a busy host, either slowing each kernel by its own"
                        + " factor. Compare its figures with other runs only as ratios within the run.",
                        src.file(), Markdown.num(lim.fmaPeak),
                        100 * lim.fmaPeak / Limits.REFERENCE_FMA_PEAK, Markdown.num(Limits.REFERENCE_FMA_PEAK)));
            }
        });
        return this;
    }

    Tables steps(Dataset d) {
        List<List<String>> rows = new ArrayList<>();
        Set<Source> sources = new LinkedHashSet<>();
        for (Dataset.StepPoint p : d.steps) {
            sources.add(p.source());
            CostModel cost = p.config().cost();
            double gf = cost == null ? Double.NaN : cost.gflops(p.micros());
            double gb = cost == null ? Double.NaN : cost.gbytes(p.micros());
            String limit = cost == null ? "" : d.limits(p.source()).closest(gf, gb, cost.footprintBytes(), p.threads());
            Dataset.StepPoint scalar = d.scalarOf(p.config());
            String speedup = scalar == null || scalar == p ? "" : Markdown.num(scalar.micros() / p.micros()) + "x";
            rows.add(List.of(p.config().label(), p.path(), String.valueOf(p.threads()), Markdown.num(p.micros()),
                    Markdown.num(gf), Markdown.num(gb), limit, speedup));
        }
        md.heading(2, "Time per step (StepBench)");
        md.paragraph(Source.header(sources));
        md.paragraph("GFLOP/s and GB/s: the cost model (`CostModel`, SPEC.md section 5) over the measured time. % of"
                + " limit: the closer ceiling of the same run, GFLOP/s over threads x the one-core FMA peak or GB/s"
                + " over the stream bandwidth at the cache level of the step's footprint. The cost model counts a"
                + " step that applies all its terms itself; ours defers the top layer's (RESULTS.md section 3), which"
                + " moves its largest matrices once per 32 steps and, for ALIF and from depth 4, does fewer"
                + " multiply-adds: a limit above 100% there says the model's count no longer applies. Speed-up:"
                + " over the one-thread scalar path of the same configuration (both defer).");
        md.table(List.of("configuration", "path", ">threads", ">µs/step", ">GFLOP/s", ">GB/s", ">% of limit",
                ">vs scalar"), rows);
        return this;
    }

    Tables exponents(List<Scaling.Line> width, int minWidth, List<Scaling.Line> depth, int minDepth,
                     List<Scaling.Line> seq) {
        List<List<String>> rows = new ArrayList<>();
        Set<Source> sources = new LinkedHashSet<>();
        for (List<Scaling.Line> lines : List.of(width, depth, seq)) {
            for (Scaling.Line l : lines) {
                sources.addAll(l.sources());
                String range = l.fitted().isEmpty() ? "none" : range(l);
                rows.add(List.of(l.axis(), l.family(), l.variant(), l.axis().equals("T") ? "" : l.fixedName(), range,
                        String.valueOf(l.fitted().size()), Fit.exponent(l.fit()), Fit.r2(l.fit()),
                        Fit.exponent(l.work()), Fit.exponent(l.footprint()), l.spec()));
            }
        }
        md.heading(2, "Fitted exponents");
        md.paragraph(Source.header(sources));
        md.paragraph(String.format(Locale.ROOT, "Least squares of log(time) on log(x). Fit ranges: width N >= %d"
                + " (where the traces dominate the step), depth L >= %d (L = 1 has no hierarchical traces), every T."
                + " A fit needs %d distinct points, else n/a. \"cost model\": the exponent of `CostModel` FMAs"
                + " (work) and footprint (traces, weights, gradients) over the same points, i.e. what the"
                + " prediction is over this finite range; SPEC.md section 5 gives the asymptotic exponent.",
                minWidth, minDepth, Fit.MIN_POINTS));
        md.table(List.of("axis", "model", "path", "held fixed", "fit range", ">points", ">measured", ">R²",
                ">cost model: work", ">cost model: footprint", "SPEC §5 (asymptotic)"), rows);
        return this;
    }

    private static String range(Scaling.Line l) {
        double lo = l.fitted().get(0).x();
        double hi = l.fitted().get(l.fitted().size() - 1).x();
        String sym = switch (l.axis()) {
            case "width" -> "N";
            case "depth" -> "L";
            default -> "T";
        };
        return lo == hi ? String.format(Locale.ROOT, "%s = %d", sym, (long) lo)
                : String.format(Locale.ROOT, "%s = %d..%d", sym, (long) lo, (long) hi);
    }

    Tables sequences(Dataset d) {
        List<List<String>> rows = new ArrayList<>();
        Set<Source> sources = new LinkedHashSet<>();
        for (Dataset.SeqPoint p : d.sequences) {
            sources.add(p.source());
            rows.add(List.of(p.config().label(), p.path(), String.valueOf(p.seqLen()), Markdown.num(p.micros()),
                    Markdown.num(p.micros() / p.seqLen()), Markdown.num(p.allocBytes())));
        }
        md.heading(2, "Time per sequence (SequenceBench)");
        md.paragraph(Source.header(sources));
        md.table(List.of("configuration", "path", ">T", ">µs/sequence", ">µs/step", ">alloc B/sequence"), rows);
        return this;
    }

    Tables kernels(Dataset d) {
        List<List<String>> rows = new ArrayList<>();
        Set<Source> sources = new LinkedHashSet<>();
        for (Dataset.KernelPoint k : d.kernels) {
            sources.add(k.source());
            Limits lim = d.limits(k.source());
            rows.add(List.of(k.op(), k.path(), String.valueOf(k.size()), ByteFormat.bytes(4.0 * k.size()),
                    Markdown.num(k.gbps()), Markdown.num(k.gflops()), lim.ofStream(k.gbps(), 4.0 * k.size()),
                    lim.ofPeak(k.gflops(), 1)));
        }
        md.heading(2, "Kernel rates (KernelBench)");
        md.paragraph(Source.header(sources));
        md.paragraph("Rates from the kernels' `@AuxCounters` (compulsory traffic, a fused multiply-add counts two),"
                + " compared with the limits measured in the same run: stream bandwidth at the cache level of the"
                + " main operand, and the one-core FMA peak.");
        md.table(List.of("kernel", "path", ">size (floats)", ">main operand", ">GB/s", ">GFLOP/s", ">% of stream",
                ">% of FMA peak"), rows);
        return this;
    }

    Tables products(Dataset d) {
        List<List<String>> rows = new ArrayList<>();
        Set<Source> sources = new LinkedHashSet<>();
        for (Dataset.ProductPoint p : d.products) {
            sources.add(p.source());
            int w = p.width();
            String shape = String.format(Locale.ROOT, "%d x %d x %d", w, w, w * (2 * w + 1));
            String scaling = "";
            if (p.threads() > 1) {
                scaling = d.products.stream().filter(q -> q.width() == w && q.threads() == 1
                        && q.source().equals(p.source())).findFirst()
                        .map(one -> Markdown.num(p.gflops() / one.gflops()) + "x").orElse("");
            }
            rows.add(List.of(String.valueOf(w), shape, String.valueOf(p.threads()), Markdown.num(p.gflops()),
                    d.limits(p.source()).ofPeak(p.gflops(), p.threads()), scaling));
        }
        md.heading(2, "Deep product at the network's shapes (ProductBench)");
        md.paragraph(Source.header(sources));
        md.paragraph("The deep hierarchical update with its gradient contraction, `N x N` coefficients times the"
                + " `N x theta` trace below, as a width-N recurrent network runs it (both traces in DRAM at width"
                + " 128); with two threads each owns half of the columns, as the step threads do. % of peak:"
                + " over threads x the one-core FMA peak of the same run.");
        md.table(List.of(">width", ">rows x inner x columns", ">threads", ">GFLOP/s", ">% of peak", ">vs one thread"),
                rows);
        return this;
    }

    Tables alignment(Dataset d) {
        Set<Source> sources = new LinkedHashSet<>();
        SortedSet<Integer> offsets = new TreeSet<>();
        Map<Integer, Map<Integer, Double>> byLen = new TreeMap<>();
        for (Dataset.AlignmentPoint p : d.alignment) {
            sources.add(p.source());
            offsets.add(p.offset());
            byLen.computeIfAbsent(p.len(), k -> new TreeMap<>()).put(p.offset(), p.gbps());
        }
        List<String> header = new ArrayList<>(List.of("floats (footprint)"));
        offsets.forEach(o -> header.add(">" + o));
        List<List<String>> rows = new ArrayList<>();
        List<String> spreads = new ArrayList<>();
        for (var e : byLen.entrySet()) {
            String level = ByteFormat.bytes(8.0 * e.getKey());
            List<String> row = new ArrayList<>(List.of(e.getKey() + " (" + level + ")"));
            offsets.forEach(o -> row.add(Markdown.num(e.getValue().getOrDefault(o, Double.NaN))));
            rows.add(row);
            DoubleSummaryStatistics st = e.getValue().values().stream().mapToDouble(Double::doubleValue)
                    .summaryStatistics();
            spreads.add(String.format(Locale.ROOT, "%s to %s GB/s over %s floats (best/worst %sx)",
                    Markdown.num(st.getMin()), Markdown.num(st.getMax()), e.getKey(),
                    Markdown.num(st.getMax() / st.getMin())));
        }
        md.heading(2, "Streaming kernel by row start (AlignmentBench)");
        md.paragraph(Source.header(sources));
        md.paragraph("`decayAxpy`, vector path, rows starting at each offset (floats) into the arrays, in GB/s: "
                + String.join("; ", spreads) + ". Heap arrays give no way to choose the alignment, so the kernels"
                + " run at whichever offset the rows happen to have.");
        md.table(header, rows);
        return this;
    }

    Tables latency(List<Hgrm> latencies) {
        List<List<String>> rows = new ArrayList<>();
        for (Hgrm h : latencies) {
            List<String> r = new ArrayList<>(List.of(h.config(), h.path(), String.valueOf(h.count())));
            for (int i = 0; i < Hgrm.LEVELS.length; i++) {
                r.add((h.exact()[i] ? "" : "≤ ") + Markdown.num(h.percentiles()[i]));
            }
            rows.add(r);
        }
        md.heading(2, "Latency of one step (Latency, HdrHistogram)");
        md.paragraph(Source.header(latencies.stream().map(Hgrm::source).toList())
                + " The .hgrm files record no JDK version: it is that of the `Latency` run that wrote them."
                + " HdrHistogram writes rows at fixed percentile ticks; where no row sits exactly at a percentile"
                + " the next row up is shown as an upper bound (≤), so it may exceed `Latency`'s printout.");
        List<String> header = new ArrayList<>(List.of("configuration", "path", ">steps"));
        for (String n : Hgrm.NAMES) {
            header.add(">" + n + " µs");
        }
        md.table(header, rows);
        return this;
    }

    Tables torch(TorchCsv torch, Dataset d) {
        List<List<String>> rows = new ArrayList<>();
        Set<Source> sources = new LinkedHashSet<>(List.of(torch.source()));
        for (TorchCsv.Point t : torch.points()) {
            Dataset.StepPoint vector = find(d, t, "vector");
            Dataset.StepPoint scalar = find(d, t, "scalar");
            if (vector == null && scalar == null) {
                continue;
            }
            List<String> r = new ArrayList<>(List.of(t.config().label(), String.valueOf(t.threads()),
                    Markdown.num(t.micros())));
            for (Dataset.StepPoint ours : new Dataset.StepPoint[] {vector, scalar}) {
                if (ours != null) {
                    sources.add(ours.source());
                }
                r.add(ours == null ? "" : Markdown.num(ours.micros()));
                r.add(ours == null ? "" : Markdown.num(t.micros() / ours.micros()));
            }
            CostModel cost = t.config().cost();
            double floor = cost == null ? Double.NaN : 2 * cost.fmas() / (t.threads() * d.fmaPeak() * 1e3);
            r.add(Markdown.num(floor));
            r.add(Markdown.num(t.micros() / floor));
            rows.add(r);
        }
        md.heading(2, "PyTorch peer (bench/peers/torch_step.py)");
        md.paragraph(Source.header(sources) + (torch.comments().isEmpty() ? ""
                : " The peer reported: " + String.join("; ", torch.comments()) + "."));
        md.paragraph("Ratio = PyTorch µs/step ÷ our µs/step, same configuration and thread count (above 1: ours is"
                + " faster). The peer's time is the median of individually timed steps, ours JMH's mean. Floor:"
                + " the fused multiply-adds of a step that applies all its terms itself (`CostModel`; the peer's"
                + " form) at threads x the one-core FMA peak, the time no implementation of that form can beat on"
                + " these cores. Ours defers the top layer's terms and applies them every 32 steps as products"
                + " (RESULTS.md section 3): the same multiply-adds for the adjacent and deep traces of LEAKY_TANH"
                + " and LIF, fewer for ALIF and, from depth 4, for the trace three layers down, so below the floor"
                + " there is possible.");
        md.table(List.of("configuration", ">threads", ">PyTorch µs/step", ">vector µs/step", ">PyTorch ÷ vector",
                ">scalar µs/step", ">PyTorch ÷ scalar", ">floor µs/step", ">PyTorch ÷ floor"), rows);
        return this;
    }

    /** Trace memory up to which issue 4 asks to beat the GPU's eager and CUDA-graph times. */
    static final long EAGER_FLOATS = 4_000_000L;
    static final long GRAPH_FLOATS = 500_000L;

    Tables gpu(GpuCsv gpu, Dataset d) {
        List<List<String>> rows = new ArrayList<>();
        Set<Source> sources = new LinkedHashSet<>(List.of(gpu.source()));
        for (GpuCsv.Point g : gpu.points()) {
            Dataset.Config c = g.config();
            long floats;
            try {
                floats = CostModel.stepTraceFloats(c.depth(), c.width(), c.model(), c.recurrent());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(gpu.source().file() + ": " + c.label() + " is not a network"
                        + " the benchmarks can build: " + e.getMessage(), e);
            }
            Dataset.StepPoint best = d.steps.stream().filter(p -> p.config().equals(c) && p.path().equals("vector"))
                    .min(Comparator.comparingDouble(Dataset.StepPoint::micros)).orElse(null);
            if (best != null) {
                sources.add(best.source());
            }
            String ours = best == null ? "" : Markdown.num(best.micros()) + " (" + best.threads() + " thr)";
            String size = floats >= 100_000 ? String.format(Locale.ROOT, "%.2fM", floats / 1e6) : String.valueOf(floats);
            rows.add(List.of(c.label(), size, Markdown.num(g.eagerMicros()),
                    Markdown.num(g.graphMicros()), ours,
                    verdict(best, g.eagerMicros(), floats <= EAGER_FLOATS),
                    verdict(best, g.graphMicros(), floats <= GRAPH_FLOATS)));
        }
        md.heading(2, "Against a GPU (bench/peers/h200.csv)");
        md.paragraph(Source.header(sources) + (gpu.comments().isEmpty() ? "" : " " + String.join("; ", gpu.comments()) + "."));
        md.paragraph("Ours: the faster of the vector path's one- and two-thread times. Issue 4 asks for less time per"
                + " step than the eager figure where the traces hold at most 4M floats, and than the CUDA-graph"
                + " figure where they hold at most 0.5M; elsewhere no target applies (\"-\").");
        md.table(List.of("configuration", ">trace floats", ">eager µs", ">CUDA graph µs", ">ours µs/step",
                "below eager?", "below CUDA graph?"), rows);
        return this;
    }

    private static String verdict(Dataset.StepPoint ours, double gpuMicros, boolean applies) {
        if (!applies) {
            return "-";
        }
        if (ours == null) {
            return "not measured";
        }
        return (ours.micros() < gpuMicros ? "yes, " : "no, ") + Markdown.num(gpuMicros / ours.micros()) + "x";
    }

    private static Dataset.StepPoint find(Dataset d, TorchCsv.Point t, String path) {
        return d.steps.stream().filter(p -> p.config().equals(t.config()) && p.path().equals(path)
                && p.threads() == t.threads()).findFirst().orElse(null);
    }
}
