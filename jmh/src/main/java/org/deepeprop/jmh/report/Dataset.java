package org.deepeprop.jmh.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.deepeprop.jmh.CostModel;

/**
 * The JMH results the report uses, sorted into step times, sequence times, kernel rates and
 * machine limits. When several files hold the same benchmark with the same parameters, the file
 * given last wins, so a re-run of a few configurations can be laid over a whole sweep.
 */
public final class Dataset {

    /** A step benchmark's network: width N everywhere, as in {@code StepFixture}. */
    public record Config(String model, boolean recurrent, int depth, int width) {
        /** E.g. {@code leaky_tanh rec d=2 w=64}. */
        public String label() {
            return String.format(Locale.ROOT, "%s%s d=%d w=%d", model, recurrent ? " rec" : "", depth, width);
        }

        /** The cost of one step, or null if the kernel refuses the configuration. */
        CostModel cost() {
            try {
                return CostModel.ofStep(depth, width, model, recurrent);
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** The family a scaling line belongs to: model and recurrence. */
        String family() {
            return model + (recurrent ? " rec" : "");
        }
    }

    /**
     * Time per step of one configuration on one path.
     *
     * @param path {@code scalar}, {@code vector} or {@code scalar-noSW} (C2 without SuperWord)
     * @param threads the network's step threads
     */
    public record StepPoint(Source source, Config config, String path, int threads, double micros) {
        /** The path as the tables show it: {@code vector x2} for two step threads. */
        public String variant() {
            return threads > 1 ? path + " x" + threads : path;
        }
    }

    /** Time of one whole sequence of {@code seqLen} steps from a fresh state. */
    public record SeqPoint(Source source, Config config, String path, int seqLen, double micros, double allocBytes) {
    }

    /** One kernel at one size: {@code size} floats of main operand. */
    public record KernelPoint(Source source, String op, String path, int size, double gbps, double gflops) {
    }

    /**
     * The deep product at the shape of a width-{@code width} network ({@code ProductBench}).
     *
     * @param threads 1 for {@code product}, 2 for {@code productTwoThreads}
     */
    public record ProductPoint(Source source, int width, int threads, double gflops) {
    }

    /** {@code decayAxpy} on {@code len} floats starting {@code offset} floats into the arrays ({@code AlignmentBench}). */
    public record AlignmentPoint(Source source, int len, int offset, double gbps) {
    }

    final List<StepPoint> steps = new ArrayList<>();
    final List<AlignmentPoint> alignment = new ArrayList<>();
    final List<ProductPoint> products = new ArrayList<>();
    final List<SeqPoint> sequences = new ArrayList<>();
    final List<KernelPoint> kernels = new ArrayList<>();
    /** The limits each run measured: a rate is compared with those of its own run only. */
    final Map<Source, Limits> limits = new LinkedHashMap<>();

    /** Sorts {@code results} (from any number of files, in command-line order) into a dataset. */
    public static Dataset of(List<JmhJson.Result> results) {
        // Later files replace earlier results with the same benchmark and parameters.
        Map<String, JmhJson.Result> latest = new LinkedHashMap<>();
        for (JmhJson.Result r : results) {
            latest.put(r.benchmark() + new TreeMap<>(r.params()), r);
        }
        Dataset d = new Dataset();
        for (JmhJson.Result r : latest.values()) {
            d.add(r);
        }
        d.steps.sort(Comparator.comparing((StepPoint p) -> p.config().family())
                .thenComparingInt(p -> p.config().depth()).thenComparingInt(p -> p.config().width())
                .thenComparing(StepPoint::path).thenComparingInt(StepPoint::threads));
        d.sequences.sort(Comparator.comparing((SeqPoint p) -> p.config().label()).thenComparing(SeqPoint::path)
                .thenComparingInt(SeqPoint::seqLen));
        d.alignment.sort(Comparator.comparingInt(AlignmentPoint::len).thenComparingInt(AlignmentPoint::offset));
        d.products.sort(Comparator.comparingInt(ProductPoint::width).thenComparingInt(ProductPoint::threads));
        d.kernels.sort(Comparator.comparing(KernelPoint::op).thenComparing(KernelPoint::path)
                .thenComparingInt(KernelPoint::size));
        return d;
    }

    private void add(JmhJson.Result r) {
        switch (r.benchmark()) {
            case "LimitsBench.fma" -> limitsOf(r.source()).fmaPeak = r.secondary("gigaflops");
            case "LimitsBench.stream" -> limitsOf(r.source()).stream.put(4L * r.intParam("footprint", 0),
                    r.secondary("gigabytes"));
            case "StepBench.step" -> steps.add(new StepPoint(r.source(), config(r), r.params().get("path"),
                    r.intParam("threads", 1), r.micros()));
            case "StepNoSuperWordBench.scalarNoSuperWord" -> steps.add(new StepPoint(r.source(), config(r),
                    "scalar-noSW", 1, r.micros()));
            case "ProductBench.product", "ProductBench.productTwoThreads" -> products.add(new ProductPoint(r.source(),
                    r.intParam("width", 0), r.benchmark().endsWith("TwoThreads") ? 2 : 1, r.secondary("gigaflops")));
            case "AlignmentBench.decayAxpy" -> alignment.add(new AlignmentPoint(r.source(), r.intParam("len", 4096), r.intParam("offset", 0),
                    r.secondary("gigabytes")));
            case "SequenceBench.sequence" -> sequences.add(new SeqPoint(r.source(), config(r), r.params().get("path"),
                    r.intParam("seqLen", 1), r.micros(), r.secondary("gc.alloc.rate.norm")));
            default -> {
                if (r.benchmark().startsWith("KernelBench.")) {
                    kernels.add(new KernelPoint(r.source(), r.benchmark().substring("KernelBench.".length()),
                            r.params().get("path"), r.intParam("size", 0), r.secondary("gigabytes"),
                            r.secondary("gigaflops")));
                }
                // anything else is not part of the report
            }
        }
    }

    private Limits limitsOf(Source source) {
        return limits.computeIfAbsent(source, s -> new Limits());
    }

    /** The limits measured in {@code source}'s run, empty if it measured none. */
    Limits limits(Source source) {
        return limits.getOrDefault(source, new Limits());
    }

    private static Config config(JmhJson.Result r) {
        return new Config(r.params().getOrDefault("model", "leaky_tanh"),
                Boolean.parseBoolean(r.params().getOrDefault("recurrent", "true")),
                r.intParam("depth", 1), r.intParam("width", 1));
    }

    /** The one-core FMA peak of the first run that measured one, NaN if none did. */
    double fmaPeak() {
        return limits.values().stream().mapToDouble(l -> l.fmaPeak).filter(v -> !Double.isNaN(v)).findFirst()
                .orElse(Double.NaN);
    }

    /** The one-thread scalar time of {@code config}, if measured: the base of every speed-up. */
    StepPoint scalarOf(Config config) {
        return steps.stream().filter(p -> p.config().equals(config) && p.path().equals("scalar") && p.threads() == 1)
                .findFirst().orElse(null);
    }
}
