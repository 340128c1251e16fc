package org.deepeprop.jmh.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Small JMH JSON files for the tests, in the exact shape JMH 1.37 writes (field names, "NaN" as a
 * string, secondary metrics as objects), but with chosen scores, so fits have known answers.
 */
final class Synthetic {
    private final List<String> results = new ArrayList<>();

    /** One result; {@code secondary} maps metric names to scores. */
    Synthetic add(String benchmark, Map<String, String> params, double score, String unit,
                  Map<String, Double> secondary) {
        String p = params.entrySet().stream().map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                .collect(Collectors.joining(", ", "{", "}"));
        String s = secondary.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + metric(e.getValue(), "ops/s"))
                .collect(Collectors.joining(", ", "{", "}"));
        results.add(String.format(Locale.ROOT, """
                {
                  "jmhVersion": "1.37",
                  "benchmark": "org.deepeprop.jmh.%s",
                  "mode": "avgt",
                  "threads": 1,
                  "forks": 1,
                  "jvm": "/usr/lib/jvm/x/bin/java",
                  "jvmArgs": ["-Xmx1g"],
                  "jdkVersion": "25.0.3",
                  "vmName": "OpenJDK 64-Bit Server VM",
                  "vmVersion": "25.0.3+9-LTS",
                  "warmupIterations": 2,
                  "warmupTime": "1 s",
                  "warmupBatchSize": 1,
                  "measurementIterations": 3,
                  "measurementTime": "1 s",
                  "measurementBatchSize": 1,
                  %s
                  "primaryMetric": %s,
                  "secondaryMetrics": %s
                }""", benchmark, params.isEmpty() ? "" : "\"params\": " + p + ",", metric(score, unit), s));
        return this;
    }

    /** A step result in microseconds. */
    Synthetic step(String model, int depth, int width, String path, int threads, double micros) {
        return add("StepBench.step", Map.of("model", model, "recurrent", "true", "depth", String.valueOf(depth),
                "width", String.valueOf(width), "path", path, "threads", String.valueOf(threads)),
                micros, "us/op", Map.of("gc.alloc.rate.norm", 0.0));
    }

    private static String metric(double score, String unit) {
        return String.format(Locale.ROOT, """
                {"score": %s, "scoreError": "NaN", "scoreConfidence": ["NaN", "NaN"],
                 "scorePercentiles": {"0.0": %s, "100.0": %s}, "scoreUnit": "%s", "rawData": [[%s]]}""",
                score, score, score, unit, score);
    }

    String json() {
        return results.stream().collect(Collectors.joining(",\n", "[\n", "\n]\n"));
    }
}
