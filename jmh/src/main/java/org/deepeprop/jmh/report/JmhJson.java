package org.deepeprop.jmh.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JSON that JMH writes with {@code -rf json} (and {@code Bench}): one array, one object
 * per benchmark and parameter combination. Only what the report uses is kept.
 */
public final class JmhJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One benchmark result.
     *
     * @param benchmark class and method without the package, e.g. {@code StepBench.step}
     * @param params the {@code @Param} values (empty for benchmarks without parameters)
     * @param score the primary score in {@code unit}
     * @param secondary secondary scores by name ({@code gigabytes}, {@code gc.alloc.rate.norm}, ...)
     */
    public record Result(Source source, String benchmark, Map<String, String> params, double score, String unit,
                         Map<String, Double> secondary) {
        /** A parameter as an int, or {@code fallback} if the benchmark has no such parameter. */
        int intParam(String name, int fallback) {
            String v = params.get(name);
            return v == null ? fallback : Integer.parseInt(v);
        }

        /** The primary score in microseconds per operation, whatever time unit JMH used. */
        double micros() {
            double perUs = switch (unit) {
                case "ns/op" -> 1e-3;
                case "us/op" -> 1;
                case "ms/op" -> 1e3;
                case "s/op" -> 1e6;
                default -> throw new IllegalArgumentException(source.file() + ": " + benchmark
                        + ": expected a time per operation, got a score in " + unit);
            };
            return score * perUs;
        }

        /** A secondary score, NaN if absent. */
        double secondary(String name) {
            return secondary.getOrDefault(name, Double.NaN);
        }
    }

    private JmhJson() {
    }

    /** Every result of one JMH JSON file, with the file's {@link Source}. */
    public static List<Result> read(Path file) throws IOException {
        JsonNode root = MAPPER.readTree(file.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(file + ": not a JMH JSON result file (expected an array of results)");
        }
        Set<String> versions = new LinkedHashSet<>();
        Set<String> timings = new LinkedHashSet<>();
        for (JsonNode r : root) {
            versions.add(String.format("JMH %s; JDK %s (%s %s)", text(r, "jmhVersion"), text(r, "jdkVersion"),
                    text(r, "vmName"), text(r, "vmVersion")));
            timings.add(String.format("%s fork%s, warm-up %s x %s, measurement %s x %s",
                    text(r, "forks"), r.path("forks").asInt() == 1 ? "" : "s",
                    text(r, "warmupIterations"), text(r, "warmupTime"),
                    text(r, "measurementIterations"), text(r, "measurementTime")));
        }
        Source source = new Source(file.toString(), Source.taken(file), versions, timings);
        List<Result> results = new ArrayList<>();
        for (JsonNode r : root) {
            String name = text(r, "benchmark");
            // org.deepeprop.jmh.StepBench.step -> StepBench.step
            int method = name.lastIndexOf('.');
            String shortName = name.substring(name.lastIndexOf('.', method - 1) + 1);
            Map<String, String> params = new LinkedHashMap<>();
            r.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            Map<String, Double> secondary = new LinkedHashMap<>();
            r.path("secondaryMetrics").properties().forEach(e -> secondary.put(e.getKey(), number(e.getValue().path("score"))));
            JsonNode primary = r.path("primaryMetric");
            results.add(new Result(source, shortName, params, number(primary.path("score")),
                    primary.path("scoreUnit").asText(""), secondary));
        }
        return results;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "?" : v.asText();
    }

    /** JMH writes NaN as the string "NaN". */
    private static double number(JsonNode v) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        try {
            return Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
