package org.deepeprop.jmh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.deepeprop.jmh.CostModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole command on a small synthetic run: files written, exponents, n/a, provenance, errors. */
class ReportTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    /** Depth 3 grows exactly like N^4 from width 32 on; depth 2 has only two widths in the fit range. */
    private Path sweep() throws IOException {
        Synthetic s = new Synthetic()
                .add("LimitsBench.fma", Map.of(), 1e5, "ops/s", Map.of("gigaflops", 80.0, "gigabytes", 0.0))
                .add("LimitsBench.stream", Map.of("footprint", "2048"), 1e6, "ops/s", Map.of("gigabytes", 200.0))
                .add("KernelBench.decayRows", Map.of("path", "vector", "size", "4099"), 1e5, "ops/s",
                        Map.of("gigabytes", 50.0, "gigaflops", 18.0))
                .add("ProductBench.product", Map.of("path", "vector", "width", "128"), 100, "ops/s",
                        Map.of("gigabytes", 5.0, "gigaflops", 60.0))
                .add("ProductBench.productTwoThreads", Map.of("path", "vector", "width", "128"), 180, "ops/s",
                        Map.of("gigabytes", 9.0, "gigaflops", 108.0))
                .add("AlignmentBench.decayAxpy", Map.of("path", "vector", "offset", "0"), 1e6, "ops/s",
                        Map.of("gigabytes", 200.0, "gigaflops", 50.0))
                .add("AlignmentBench.decayAxpy", Map.of("path", "vector", "offset", "12"), 1e6, "ops/s",
                        Map.of("gigabytes", 300.0, "gigaflops", 75.0))
                .add("AlignmentBench.decayAxpy", Map.of("path", "vector", "offset", "0", "len", "65536"), 1e5,
                        "ops/s", Map.of("gigabytes", 150.0, "gigaflops", 38.0));
        for (int w : new int[] {16, 32, 64, 128}) {
            s.step("leaky_tanh", 3, w, "vector", 1, 1e-6 * Math.pow(w, 4) + (w == 16 ? 50 : 0));
            s.step("leaky_tanh", 3, w, "scalar", 1, 1e-5 * Math.pow(w, 4));
        }
        s.step("leaky_tanh", 2, 32, "vector", 1, 30).step("leaky_tanh", 2, 64, "vector", 1, 240);
        for (int t : new int[] {10, 100, 1000}) {
            s.add("SequenceBench.sequence", Map.of("seqLen", String.valueOf(t), "depth", "2", "width", "64",
                    "path", "vector", "model", "leaky_tanh", "recurrent", "true"), 150.0 * t, "us/op", Map.of());
        }
        Path file = dir.resolve("bench-20250102-030405.json");
        Files.writeString(file, s.json());
        return file;
    }

    @Test
    void writesPlotsAndTablesWithFitsAndSources() throws IOException {
        Path json = sweep();
        Path torch = dir.resolve("torch.csv");
        Files.writeString(torch, "model,depth,width,recurrent,threads,us_per_step\nleaky_tanh,3,64,true,1,8388.61\n");
        Path gpu = dir.resolve("gpu.csv");
        Files.writeString(gpu, "# given, not measured\nmodel,depth,width,recurrent,eager_us,graph_us\n"
                + "leaky_tanh,3,64,true,20,10\nleaky_tanh,3,32,true,100,90\nleaky_tanh,3,128,true,1,1\n");
        Path report = dir.resolve("report");
        int code = Report.run(new String[] {"--json", json.toString(), "--torch", torch.toString(),
            "--gpu", gpu.toString(), "--out", report.toString()}, out, err);
        assertEquals(0, code, errBytes.toString(StandardCharsets.UTF_8));

        for (String png : new String[] {"step-vs-width-leaky_tanh-rec-vector.png", "step-vs-depth-leaky_tanh-rec-vector.png",
            "sequence-vs-T.png", "speedup.png", "kernel-gbps.png", "kernel-gflops.png"}) {
            assertTrue(Files.size(report.resolve(png)) > 1000, png);
        }
        assertFalse(Files.exists(report.resolve("latency.png")), "no .hgrm given, no latency plot");

        String md = Files.readString(report.resolve("tables.md"));
        assertTrue(md.contains("_Source: `" + json + "`, taken 2025-01-02 03:04:05 (from the file name); JMH 1.37;"
                + " JDK 25.0.3 (OpenJDK 64-Bit Server VM 25.0.3+9-LTS)"), md);
        // Width 16 is off the power law but outside the fit range (>= 32).
        assertRow(md, "width", "leaky_tanh rec", "vector", "L=3", "N = 32..128", "3", "4.00", "1.000");
        // Two widths at depth 2: a line, but no exponent.
        assertRow(md, "width", "leaky_tanh rec", "vector", "L=2", "N = 32..64", "2", "n/a", "n/a");
        assertRow(md, "T", "leaky_tanh rec d=2 w=64", "vector", "", "T = 10..1000", "3", "1.00", "1.000", "1.00");
        assertRow(md, "leaky_tanh rec d=3 w=64", "scalar", "1", "168");
        assertRow(md, "leaky_tanh rec d=3 w=64", "vector", "1", "16.8");
        assertTrue(md.contains("10.0x"), "scalar over vector at 10x the cost: " + md);
        assertRow(md, "leaky_tanh rec d=3 w=64", "1", "8389", "16.8", "500", "168", "50.0");
        // The floor: the step's FMAs at the synthetic run's 80 GFLOP/s peak.
        double floor = 2 * CostModel.ofStep(3, 64, "leaky_tanh", true).fmas() / (80 * 1e3);
        assertRow(md, "leaky_tanh rec d=3 w=64", "1", "8389", "16.8", "500", "168", "50.0", Markdown.num(floor),
                Markdown.num(8388.61 / floor));
        // Deep product: 60 of 80 GFLOP/s on one thread, 108 of 160 on two, 1.8x.
        assertRow(md, "128", "128 x 128 x 32896", "1", "60.0", "75% FMA", "");
        assertRow(md, "128", "128 x 128 x 32896", "2", "108", "68% FMA", "1.80x");
        assertRow(md, "4096 (32 KiB)", "200", "300");
        // d=3 w=64 (1.59M trace floats, vector 16.8 us): below eager (20), not below the graph (10): no
        // graph target applies above 0.5M floats. d=3 w=32 (0.20M, 1.05 us): both apply and are met.
        // d=3 w=128 (12.6M floats): no target.
        assertRow(md, "leaky_tanh rec d=3 w=64", "1.59M", "20.0", "10.0", "16.8 (1 thr)", "yes, 1.19x", "-");
        assertRow(md, "leaky_tanh rec d=3 w=32", "0.20M", "100", "90.0", "1.05 (1 thr)", "yes, 95.4x", "yes, 85.8x");
        assertRow(md, "leaky_tanh rec d=3 w=128", "12.63M", "1.00", "1.00", "268 (1 thr)", "-", "-");
        assertTrue(md.contains("given, not measured"), md);
        assertTrue(md.contains("200 to 300 GB/s over 4096 floats (best/worst 1.50x)"), md);
        assertTrue(md.contains("| 65536 (512 KiB)"), md);
    }

    /** A markdown table row that starts with these cells, whatever the padding. */
    private static void assertRow(String md, String... cells) {
        StringBuilder re = new StringBuilder("(?m)^");
        for (String c : cells) {
            re.append("\\| *").append(Pattern.quote(c)).append(" *");
        }
        assertTrue(Pattern.compile(re.append("\\|").toString()).matcher(md).find(),
                "no row " + String.join(" | ", cells) + " in\n" + md);
    }

    @Test
    void missingInputsAndBadArgumentsAreReported() throws IOException {
        assertEquals(1, Report.run(new String[] {"--json", dir.resolve("absent.json").toString(),
            "--out", dir.toString()}, out, err));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("absent.json: no such file"));
        assertEquals(2, Report.run(new String[] {"--out", dir.toString()}, out, err));
        assertEquals(2, Report.run(new String[] {"--json"}, out, err));
        assertEquals(2, Report.run(new String[] {"--bogus"}, out, err));
        assertEquals(2, Report.run(new String[] {"--json", "a.json", "--fit-min-width", "x"}, out, err));
    }

    @Test
    void aRunWithOnlyLimitsStillWritesTables() throws IOException {
        Path json = dir.resolve("limits.json");
        Files.writeString(json, new Synthetic()
                .add("LimitsBench.fma", Map.of(), 1e5, "ops/s", Map.of("gigaflops", 80.0)).json());
        Path report = dir.resolve("r");
        assertEquals(0, Report.run(new String[] {"--json", json.toString(), "--out", report.toString()}, out, err));
        String md = Files.readString(report.resolve("tables.md"));
        assertTrue(md.contains("80.0 GFLOP/s"), md);
        assertTrue(md.contains("**Not the reference machine's speed:** `" + json + "` measured the FMA peak at 80.0 GFLOP/s, 36% of the 222"), md);

        Path healthy = dir.resolve("healthy.json");
        Files.writeString(healthy, new Synthetic()
                .add("LimitsBench.fma", Map.of(), 1e5, "ops/s", Map.of("gigaflops", 214.0)).json());
        Path second = dir.resolve("r2");
        assertEquals(0, Report.run(new String[] {"--json", healthy.toString(), "--out", second.toString()}, out, err));
        md = Files.readString(second.resolve("tables.md"));
        assertTrue(md.contains("214 GFLOP/s") && !md.contains("Not the reference machine"), md);
    }
}
