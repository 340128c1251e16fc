package org.deepeprop.jmh.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.deepeprop.jmh.CostModel;

/**
 * The scaling lines of the report: time per step against width (one line per depth), against
 * depth (one line per width), and time per sequence against T; each with its measured power-law
 * exponent and, over the very same points, the exponents of the cost model's work and footprint,
 * next to SPEC.md section 5's asymptotic prediction. A line needs two points; plots and tables
 * draw from the same lines, so a legend and a table never disagree.
 */
public final class Scaling {

    /**
     * One line of points.
     *
     * @param family model and recurrence, e.g. {@code leaky_tanh rec}
     * @param variant path and threads, e.g. {@code vector x2}
     * @param axis {@code width}, {@code depth} or {@code T}
     * @param fixedName what the line holds fixed, e.g. {@code L=3} or {@code N=64}
     * @param points every measured point, in order of {@code x}
     * @param fitted the points inside the fit range
     * @param fit measured exponent over {@code fitted}, null if too few points
     * @param work the cost model's FMA exponent over the same {@code x}, null if too few
     * @param footprint the cost model's footprint (traces, weights, gradients) exponent, likewise
     * @param spec SPEC.md section 5's asymptotic exponent, in words
     */
    public record Line(String family, String variant, String axis, String fixedName, List<Fit.Point> points,
                       List<Fit.Point> fitted, Fit fit, Fit work, Fit footprint, String spec, List<Source> sources) {
    }

    private Scaling() {
    }

    /** Time per step against width, one line per family, variant and depth; fit on widths {@code >= minWidth}. */
    public static List<Line> byWidth(Dataset d, int minWidth) {
        return lines(d, "width", p -> p.config().depth(), p -> p.config().width(), "L=",
                x -> x >= minWidth, (c, x) -> new Dataset.Config(c.model(), c.recurrent(), c.depth(), (int) x),
                Scaling::widthSpec);
    }

    /** Time per step against depth, one line per family, variant and width; fit on depths {@code >= minDepth}. */
    public static List<Line> byDepth(Dataset d, int minDepth) {
        return lines(d, "depth", p -> p.config().width(), p -> p.config().depth(), "N=",
                x -> x >= minDepth, (c, x) -> new Dataset.Config(c.model(), c.recurrent(), (int) x, c.width()),
                c -> "2 (L^2, large L)");
    }

    /** Time per sequence against T, one line per configuration and path; fit on every T. */
    public static List<Line> bySeqLen(Dataset d) {
        Map<String, List<Dataset.SeqPoint>> groups = new LinkedHashMap<>();
        for (Dataset.SeqPoint p : d.sequences) {
            groups.computeIfAbsent(p.config().label() + "|" + p.path(), k -> new ArrayList<>()).add(p);
        }
        List<Line> lines = new ArrayList<>();
        for (List<Dataset.SeqPoint> g : groups.values()) {
            if (g.size() < 2) {
                continue;
            }
            Dataset.SeqPoint first = g.get(0);
            List<Fit.Point> pts = g.stream().map(p -> new Fit.Point(p.seqLen(), p.micros())).toList();
            // The cost of T steps is T times one step's: the model's exponent is exactly 1 by construction.
            List<Fit.Point> model = pts.stream().map(p -> new Fit.Point(p.x(), p.x())).toList();
            lines.add(new Line(first.config().label(), first.path(), "T", first.config().label(), pts, pts,
                    Fit.of(pts), Fit.of(model), Fit.of(model), "1 (no history is kept)",
                    g.stream().map(Dataset.SeqPoint::source).distinct().toList()));
        }
        return lines;
    }

    /** The shape of a step configuration at another value of the swept axis. */
    private interface Respec {
        Dataset.Config at(Dataset.Config c, double x);
    }

    private static List<Line> lines(Dataset d, String axis, Function<Dataset.StepPoint, Integer> fixed,
                                    Function<Dataset.StepPoint, Integer> x, String fixedPrefix,
                                    Predicate<Double> inRange, Respec respec,
                                    Function<Dataset.Config, String> spec) {
        // family -> variant -> fixed value -> points: a TreeMap keeps depths and widths in order.
        Map<String, Map<String, TreeMap<Integer, List<Dataset.StepPoint>>>> groups = new LinkedHashMap<>();
        for (Dataset.StepPoint p : d.steps) {
            groups.computeIfAbsent(p.config().family(), k -> new TreeMap<>())
                    .computeIfAbsent(p.variant(), k -> new TreeMap<>())
                    .computeIfAbsent(fixed.apply(p), k -> new ArrayList<>()).add(p);
        }
        List<Line> lines = new ArrayList<>();
        groups.forEach((family, variants) -> variants.forEach((variant, byFixed) -> byFixed.forEach((f, g) -> {
            g.sort((a, b) -> Integer.compare(x.apply(a), x.apply(b)));
            List<Fit.Point> pts = g.stream().map(p -> new Fit.Point(x.apply(p), p.micros())).toList();
            if (pts.size() < 2) {
                return; // one configuration alone (LIF at one size) is no line
            }
            List<Fit.Point> fitted = pts.stream().filter(p -> inRange.test(p.x())).toList();
            Dataset.Config c = g.get(0).config();
            lines.add(new Line(family, variant, axis, fixedPrefix + f, pts, fitted, Fit.of(fitted),
                    costFit(fitted, c, respec, CostModel::fmas), costFit(fitted, c, respec, CostModel::footprintBytes),
                    spec.apply(c), g.stream().map(Dataset.StepPoint::source).distinct().toList()));
        })));
        return lines;
    }

    /** The cost model's exponent over the same {@code x} as a measured fit. */
    private static Fit costFit(List<Fit.Point> fitted, Dataset.Config c, Respec respec,
                               Function<CostModel, Double> measure) {
        List<Fit.Point> model = new ArrayList<>();
        for (Fit.Point p : fitted) {
            CostModel cost = respec.at(c, p.x()).cost();
            if (cost != null) {
                model.add(new Fit.Point(p.x(), measure.apply(cost)));
            }
        }
        return Fit.of(model);
    }

    /**
     * SPEC.md section 5 in width: one layer has terminal traces only ({@code n P ~ N^2}); two are
     * dominated by the adjacent traces ({@code N^3}, work and memory); from three on the deep
     * traces make the work {@code N^4} while memory stays {@code N^3}.
     */
    private static String widthSpec(Dataset.Config c) {
        return switch (c.depth()) {
            case 1 -> "2 (terminal traces)";
            case 2 -> "3 (adjacent traces)";
            default -> "4 work, 3 memory";
        };
    }
}
