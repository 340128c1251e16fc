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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The deep hierarchical update at the shape a network of width {@code N} gives it (SPEC.md section
 * 3, {@code k >= l + 2}): {@code T^{k<-l}} ({@code N x theta}, {@code theta = N (2N + 1)}) decays
 * and accumulates {@code A (N x N)} times {@code T^{k-1<-l}} ({@code N x theta}), fused with the
 * top layer's gradient contraction, as {@code DeepEpropNetwork} calls it. At width 128 both
 * traces are 16.8 MB, so they live in DRAM, as in the step.
 *
 * <p>{@link #product} runs it on one thread; {@link #productTwoThreads} on two, each thread
 * owning half of the columns with its own scratch, as the network's step threads do. JMH adds the
 * two threads' {@code :gigaflops}, so the two rates compare directly.
 *
 * <p>{@code -p span=256} runs only the first 256 columns of each thread's share: the same rows,
 * inner dimension and tiles, with both operands (128 KB each at width 128) staying in L2. The
 * ratio of the two runs says how much of the product's distance from the FMA peak is its traffic
 * to memory and how much the tile's own loop.
 *
 * <p>{@code -p contract=false} runs the product alone ({@code decayGemm}), the operation OpenBLAS's
 * {@code sgemm} and the C twin {@code bench/peers/product.c} compute, so {@code bench/targets.sh}
 * compares like with like.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar ProductBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class ProductBench {
    @Param({"64", "128"})
    int width;

    @Param({"vector"})
    String path;

    /** Columns per thread: 0 for the thread's whole share; fewer keep the operands in cache. */
    @Param({"0"})
    int span;

    /** Whether the top layer's gradient contraction runs fused with the product, as in the step. */
    @Param({"true"})
    boolean contract;

    TraceOps ops;
    int theta;
    float[] t;
    float[] b;
    float[] a;
    float[] decay;
    float[] signal;
    float[] gradient;

    @Setup(Level.Trial)
    public void setup() {
        ops = BenchData.ops(path);
        theta = width * (2 * width + 1);
        SplittableRandom rng = new SplittableRandom(BenchData.SEED);
        t = BenchData.uniform(rng, width * theta, -1, 1);
        b = BenchData.uniform(rng, width * theta, -1, 1);
        // Rows of A sum to less than 1 - decay in magnitude, so repeated updates stay bounded.
        a = BenchData.uniform(rng, width * width, -0.05 / width, 0.05 / width);
        decay = BenchData.uniform(rng, width, 0.5, 0.9);
        signal = BenchData.uniform(rng, width, -1, 1);
        gradient = new float[theta];
    }

    /** One thread's share: a range of whole lower neurons (columns {@code [c0, c0 + cols)}) and its scratch. */
    @State(Scope.Thread)
    public static class Part {
        int c0;
        int cols;
        float[] pack;
        double gflop;

        @Setup(Level.Trial)
        public void setup(ProductBench p, ThreadParams threads) {
            int pre = 2 * p.width + 1;
            int j0 = p.width * threads.getThreadIndex() / threads.getThreadCount();
            int j1 = p.width * (threads.getThreadIndex() + 1) / threads.getThreadCount();
            c0 = j0 * pre;
            cols = (j1 - j0) * pre;
            if (p.span > 0) {
                cols = Math.min(cols, p.span);
            }
            pack = new float[p.ops.packFloats(p.width)];
            gflop = 1e-9 * 2.0 * p.width * (p.width + (p.contract ? 1.0 : 0.0)) * cols; // product, contraction
        }
    }

    @Benchmark
    @Threads(1)
    public void product(Part part, Rates r) {
        run(part, r);
    }

    @Benchmark
    @Threads(2)
    public void productTwoThreads(Part part, Rates r) {
        run(part, r);
    }

    private void run(Part part, Rates r) {
        if (contract) {
            ops.decayGemmContract(t, part.c0, width, part.cols, theta, decay, 0, a, 0, width, b, part.c0,
                    part.pack, signal, 0, gradient, part.c0);
        } else {
            ops.decayGemm(t, part.c0, width, part.cols, theta, decay, 0, a, 0, width, b, part.c0, part.pack);
        }
        r.add(4e-9 * (3.0 * width * part.cols + (contract ? 2.0 * part.cols : 0.0)), part.gflop);
    }
}
