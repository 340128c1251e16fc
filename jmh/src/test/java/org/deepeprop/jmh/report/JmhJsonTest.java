package org.deepeprop.jmh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhJsonTest {
    @TempDir
    Path dir;

    private Path write(String name, Synthetic s) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, s.json());
        return file;
    }

    @Test
    void readsScoresParamsAndProvenance() throws IOException {
        Path file = write("bench-20250102-030405.json", new Synthetic()
                .add("LimitsBench.fma", Map.of(), 1e5, "ops/s", Map.of("gigaflops", 76.5, "gigabytes", 0.0))
                .step("leaky_tanh", 2, 64, "vector", 1, 178.5)
                .add("StepBench.step", Map.of("model", "lif", "recurrent", "true", "depth", "2", "width", "64",
                        "path", "scalar", "threads", "1"), 544_000, "ns/op", Map.of()));
        List<JmhJson.Result> rs = JmhJson.read(file);
        assertEquals(3, rs.size());

        JmhJson.Result fma = rs.get(0);
        assertEquals("LimitsBench.fma", fma.benchmark());
        assertTrue(fma.params().isEmpty());
        assertEquals(76.5, fma.secondary("gigaflops"));
        assertTrue(Double.isNaN(fma.secondary("absent")));
        assertThrows(IllegalArgumentException.class, fma::micros, "ops/s is not a time");

        JmhJson.Result step = rs.get(1);
        assertEquals("StepBench.step", step.benchmark());
        assertEquals("64", step.params().get("width"));
        assertEquals(2, step.intParam("depth", 0));
        assertEquals(7, step.intParam("seqLen", 7));
        assertEquals(178.5, step.micros());
        assertEquals(544.0, rs.get(2).micros(), 1e-9, "ns/op converted to microseconds");

        Source src = step.source();
        assertEquals(file.toString(), src.file());
        assertEquals("2025-01-02 03:04:05 (from the file name)", src.taken());
        assertEquals(List.of("JMH 1.37; JDK 25.0.3 (OpenJDK 64-Bit Server VM 25.0.3+9-LTS)"), List.copyOf(src.versions()));
        assertEquals(List.of("1 fork, warm-up 2 x 1 s, measurement 3 x 1 s"), List.copyOf(src.timings()));
        String header = Source.header(List.of(src));
        assertTrue(header.contains(file.toString()) && header.contains("JMH 1.37") && header.contains("JDK 25.0.3")
                && header.contains("2025-01-02 03:04:05"), header);
    }

    @Test
    void aFileWithoutStampIsDatedByItsModificationTime() throws IOException {
        Path file = write("kernels.json", new Synthetic().step("leaky_tanh", 1, 16, "scalar", 1, 2.0));
        assertTrue(JmhJson.read(file).get(0).source().taken().endsWith("(file modified)"));
    }

    @Test
    void somethingElseIsRefused() throws IOException {
        Path file = dir.resolve("not-jmh.json");
        Files.writeString(file, "{\"a\": 1}");
        assertThrows(IOException.class, () -> JmhJson.read(file));
    }

    @Test
    void datasetSortsResultsAndTheLaterFileWins() throws IOException {
        Path first = write("bench-20250101-000000.json", new Synthetic()
                .add("LimitsBench.stream", Map.of("footprint", "2048"), 1e6, "ops/s", Map.of("gigabytes", 200.0))
                .step("leaky_tanh", 2, 64, "scalar", 1, 800)
                .step("leaky_tanh", 2, 64, "vector", 1, 200)
                .add("KernelBench.decayGemm", Map.of("path", "vector", "size", "4099"), 1e5, "ops/s",
                        Map.of("gigabytes", 20.0, "gigaflops", 100.0))
                .add("SequenceBench.sequence", Map.of("seqLen", "100", "depth", "2", "width", "64", "path", "vector",
                        "model", "leaky_tanh", "recurrent", "true"), 20_000, "us/op", Map.of("gc.alloc.rate.norm", 16.0)));
        Path second = write("bench-20250101-010000.json", new Synthetic().step("leaky_tanh", 2, 64, "vector", 1, 100));
        Dataset d = Dataset.of(concat(JmhJson.read(first), JmhJson.read(second)));

        assertEquals(2, d.steps.size());
        Dataset.StepPoint vector = d.steps.stream().filter(p -> p.path().equals("vector")).findFirst().orElseThrow();
        assertEquals(100, vector.micros(), "the later file replaces the same benchmark and parameters");
        assertEquals(second.toString(), vector.source().file());
        assertEquals(800, d.scalarOf(vector.config()).micros());
        assertNull(d.scalarOf(new Dataset.Config("lif", true, 2, 64)));

        assertEquals(1, d.kernels.size());
        assertEquals(100.0, d.kernels.get(0).gflops());
        assertEquals(1, d.sequences.size());
        assertEquals(16.0, d.sequences.get(0).allocBytes());
        Limits lim = d.limits(vector.source());
        assertTrue(lim.isEmpty(), "the second run measured no limits: its steps are not compared with the first's");
        assertEquals(200.0, d.limits(d.kernels.get(0).source()).stream.get(8192L));
        assertEquals("10% L1", d.limits(d.kernels.get(0).source()).ofStream(20, 16396));
    }

    private static List<JmhJson.Result> concat(List<JmhJson.Result> a, List<JmhJson.Result> b) {
        List<JmhJson.Result> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
