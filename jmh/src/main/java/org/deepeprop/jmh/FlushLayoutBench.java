package org.deepeprop.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.deepeprop.simd.TraceOps;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The product of the deferred deep update as the top layer's flush runs it at width {@code N}
 * (depth 3 and up): {@code T = a^c T + nu X}, {@code T} of {@code N^2} rows by {@code P = 2N + 1}
 * columns (16.8 MB at width 128, in DRAM), {@code nu} {@code N^2 x 32}, {@code X} {@code 32 x P}.
 *
 * <p>{@code layout=rows} keeps {@code T} and {@code X} row-major, as the network does.
 * {@code layout=panels} stores them in panels of four vectors of columns (the product's packed
 * panel width), each panel's rows contiguous, and runs the product panel by panel; the network has
 * no such layout. Both run the same tiles with the same operations per element, so they compute
 * the same bits (checked at setup), and the ratio of their rates is what the layout alone costs.
 * Two things differ, not measured apart: with rows, each block of six rows touches six streams a
 * row apart and keeps every packed panel of {@code X} (32 KB at width 128 below 512 bits) in use;
 * with panels, a panel's rows are one stream and one packed panel (4 KB) is in use.
 *
 * <p>Run: {@code ./eprop jmh FlushLayoutBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class FlushLayoutBench {
    private static final int STEPS = 32;

    @Param({"64", "128"})
    int width;

    @Param({"rows", "panels"})
    String layout;

    TraceOps ops;
    int rows;
    int cols;
    /** Panel {@code q} covers columns {@code [q * panel, min(cols, (q + 1) * panel))}. */
    int panel;
    float[] t;
    float[] x;
    float[] nu;
    float[] decay;
    float[] pack;
    double gflop;

    @Setup(Level.Trial)
    public void setup() {
        ops = BenchData.ops("vector");
        rows = width * width;
        cols = 2 * width + 1;
        panel = 4 * ops.lanes();
        SplittableRandom rng = new SplittableRandom(BenchData.SEED);
        t = BenchData.uniform(rng, rows * cols, -1, 1);
        x = BenchData.uniform(rng, STEPS * cols, -1, 1);
        // Rows of nu sum to less than 1 - decay in magnitude, so repeated updates stay bounded.
        nu = BenchData.uniform(rng, rows * STEPS, -0.1 / STEPS, 0.1 / STEPS);
        decay = BenchData.uniform(rng, rows, 0.5, 0.9);
        pack = new float[ops.packFloats(STEPS)]; // the flush's scratch, as the network sizes it
        gflop = 1e-9 * 2.0 * rows * cols * STEPS;
        if (layout.equals("panels")) {
            float[] expected = t.clone();
            ops.decayGemm(expected, 0, rows, cols, cols, decay, 0, nu, 0, STEPS, x, 0, pack);
            t = toPanels(t, rows);
            x = toPanels(x, STEPS);
            float[] actual = t.clone();
            panelProduct(actual);
            expected = toPanels(expected, rows);
            for (int i = 0; i < actual.length; i++) {
                if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                    throw new IllegalStateException("panel layout: element " + i + " is " + actual[i]
                            + ", the row layout's " + expected[i]);
                }
            }
        } else if (!layout.equals("rows")) {
            throw new IllegalArgumentException("layout: got " + layout + ", expected rows or panels");
        }
    }

    /** The {@code n x cols} row-major matrix {@code m} as panels, panel after panel. */
    private float[] toPanels(float[] m, int n) {
        float[] p = new float[m.length];
        for (int c0 = 0; c0 < cols; c0 += panel) {
            int w = Math.min(panel, cols - c0);
            for (int r = 0; r < n; r++) {
                System.arraycopy(m, r * cols + c0, p, n * c0 + r * w, w);
            }
        }
        return p;
    }

    private void panelProduct(float[] tp) {
        for (int c0 = 0; c0 < cols; c0 += panel) {
            int w = Math.min(panel, cols - c0);
            ops.decayGemm(tp, rows * c0, rows, w, w, decay, 0, nu, 0, STEPS, x, STEPS * c0, pack);
        }
    }

    @Benchmark
    public void product(Rates r) {
        if (layout.equals("rows")) {
            ops.decayGemm(t, 0, rows, cols, cols, decay, 0, nu, 0, STEPS, x, 0, pack);
        } else {
            panelProduct(t);
        }
        r.add(4e-9 * (2.0 * rows * cols + (double) rows * STEPS + STEPS * cols), gflop);
    }
}
