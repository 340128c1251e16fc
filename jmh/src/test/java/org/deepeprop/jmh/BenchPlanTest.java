package org.deepeprop.jmh;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Every job of every sweep names a benchmark that JMH's generated list holds, with parameters it
 * declares: a job's name is matched exactly, so a misspelt or class-only name would run nothing
 * and fail the sweep after minutes of measuring. And the CI smoke pass runs every benchmark.
 */
class BenchPlanTest {

    @Test
    void everyJobNamesABenchmarkAndItsParameters() {
        Map<String, Set<String>> params = new HashMap<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList().getAll(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of())) {
            params.put(e.getUsername(), e.getParams().hasValue() ? e.getParams().get().keySet() : Set.of());
        }
        assertFalse(params.isEmpty(), "JMH's benchmark list is empty: the annotation processor did not run");
        for (Map.Entry<String, List<BenchPlan.Job>> sweep : Map.of("standard", BenchPlan.standard(),
                "quick", BenchPlan.quick(), "report", BenchPlan.report(), "full", BenchPlan.full()).entrySet()) {
            assertFalse(sweep.getValue().isEmpty(), sweep.getKey());
            for (BenchPlan.Job job : sweep.getValue()) {
                String what = sweep.getKey() + ": " + job.label();
                Set<String> declared = params.get("org.deepeprop.jmh." + job.benchmark());
                assertNotNull(declared, what + ": no such benchmark");
                for (String p : job.params().keySet()) {
                    assertTrue(declared.contains(p), what + ": the benchmark has no parameter " + p);
                }
            }
        }
        Set<String> smoked = new HashSet<>();
        BenchPlan.quick().forEach(job -> smoked.add("org.deepeprop.jmh." + job.benchmark()));
        for (String benchmark : params.keySet()) {
            assertTrue(smoked.contains(benchmark), "the CI smoke pass (BenchPlan.quick) never runs " + benchmark);
        }
    }
}
