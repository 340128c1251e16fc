package org.deepeprop.jmh;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.deepeprop.simd.TraceOps;
import org.deepeprop.simd.TraceOpsProvider;
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
 * How fast is each {@link TraceOps} kernel, scalar and vector, from L1-resident to far out of cache?
 *
 * <p>{@code size} is the footprint, in floats, of the kernel's main operand (the trace it updates,
 * or the matrix it reads); none of the sizes is a multiple of a vector, so every call runs a tail.
 * Shapes follow the engine: trace rows of {@value #COLS} floats (the presynaptic length of a
 * recurrent layer of 64 neurons), {@value #BLOCKS} upper neurons for the adjacent update, and
 * {@value #GEMM_ROWS} x {@value #GEMM_INNER} coefficients for the deep product. Each method adds
 * its compulsory traffic and its flops to {@link Rates}, so JMH also reports GB/s
 * ({@code :gigabytes}) and GFLOP/s ({@code :gigaflops}). Before timing, {@code @Setup} runs every
 * kernel on the same data through both paths and throws if they disagree.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar KernelBench -rf json -rff kernels.json}; one
 * kernel at one size: {@code ... 'KernelBench.decayGemm' -p size=65537}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class KernelBench {
    /** Trace row length: {@code P_l = 64 + 64 + 1}, a recurrent layer of 64 neurons. */
    static final int COLS = 129;
    /** Upper-layer neurons (blocks) of the adjacent update. */
    static final int BLOCKS = 8;
    /** {@code n_k} and {@code n_{k-1}} of the deep product. */
    static final int GEMM_ROWS = 32;
    static final int GEMM_INNER = 32;
    /** {@code n_L}: rows contracted by the gradient. */
    static final int GRAD_ROWS = 32;

    @Param({"scalar", "vector"})
    public String path;

    @Param({"259", "4099", "65537", "1048573"})
    public int size;

    private TraceOps ops;
    /** The main operand (updated in place, or read as a matrix) and the second one; prefixes are used. */
    private float[] t;
    private float[] x;
    private float[] decay;
    private float[] inject;
    private float[] coeff;
    private float[] out;
    /** The product's scratch, sized for the vector path (the scalar path needs none). */
    private float[] pack;

    private int rows;
    private int blocks;
    private int blockRows;
    private int gemmCols;
    private int gradCols;

    private double axpyGb, axpyGf, rowsGb, rowsGf, blockGb, blockGf, gemmGb, gemmGf, gradGb, gradGf, gemvGb, gemvGf;

    @Setup(Level.Trial)
    public void setup() {
        ops = BenchData.ops(path);
        SplittableRandom rng = new SplittableRandom(BenchData.SEED);
        rows = Math.max(1, size / COLS);
        blocks = Math.min(BLOCKS, rows);
        blockRows = rows / blocks;
        gemmCols = Math.max(1, size / GEMM_ROWS);
        gradCols = Math.max(1, size / GRAD_ROWS);
        int n = Math.max(size, GEMM_INNER * gemmCols);
        t = BenchData.uniform(rng, n, -1, 1);
        x = BenchData.uniform(rng, n, -1, 1);
        // Decays below 1 and bounded injections keep repeated in-place updates at a finite fixed
        // point, far from overflow and from denormals, however long JMH runs; the accumulated
        // gradient grows only linearly, nowhere near overflow within any run.
        decay = BenchData.uniform(rng, Math.max(rows, GEMM_ROWS), 0.5, 0.99);
        inject = BenchData.uniform(rng, Math.max(rows, GRAD_ROWS), -1, 1);
        coeff = BenchData.uniform(rng, GEMM_ROWS * GEMM_INNER, -1.0 / GEMM_INNER, 1.0 / GEMM_INNER);
        out = BenchData.uniform(rng, Math.max(rows, gradCols), -1, 1);
        pack = new float[TraceOpsProvider.vector().map(v -> v.packFloats(GEMM_INNER)).orElse(0)];
        computeCounts();
        checkVectorAgainstScalar();
    }

    private void computeCounts() {
        double g = 1e-9;
        axpyGb = g * 12.0 * size;
        axpyGf = g * 3.0 * size;
        long r = (long) rows * COLS;
        rowsGb = g * (8.0 * r + 4.0 * COLS + 8.0 * rows);
        rowsGf = g * 3.0 * r;
        long b = (long) blocks * blockRows * COLS;
        blockGb = g * (8.0 * b + 4.0 * blockRows * COLS + 4.0 * (blocks + blocks * blockRows));
        blockGf = g * 3.0 * b;
        long m = (long) GEMM_ROWS * gemmCols;
        gemmGb = g * (8.0 * m + 4.0 * GEMM_INNER * gemmCols + 4.0 * GEMM_ROWS * (GEMM_INNER + 1));
        gemmGf = g * m * (1.0 + 2.0 * GEMM_INNER);
        long c = (long) GRAD_ROWS * gradCols;
        gradGb = g * (4.0 * c + 8.0 * gradCols + 4.0 * GRAD_ROWS);
        gradGf = g * 2.0 * c;
        gemvGb = g * (4.0 * r + 4.0 * COLS + 4.0 * rows);
        gemvGf = g * 2.0 * r;
    }

    /** One kernel call on a main operand and an output array, as the benchmark below makes it. */
    private interface Call {
        void run(TraceOps ops, float[] main, float[] output);
    }

    private void checkVectorAgainstScalar() {
        TraceOps vector = TraceOpsProvider.vector().orElse(null);
        if (vector == null) {
            return; // path=scalar without the Vector API: nothing to compare with
        }
        check("decayAxpy", this::axpy, 1, 0);
        check("decayRows", this::rows, 1, 0);
        check("decayBlockRows", this::blockRows, 1, 0);
        check("decayGemm", this::gemm, GEMM_INNER, 0);
        check("accumulateGemvT", this::gradient, GRAD_ROWS, 0);
        check("gemv", this::forward, COLS, rows);
    }

    /** {@code overwritten}: how many leading output elements the kernel writes without reading them. */
    private void check(String name, Call call, int reduction, int overwritten) {
        TraceOps vector = TraceOpsProvider.vector().orElseThrow();
        float[] mainS = t.clone();
        float[] mainV = t.clone();
        float[] outS = out.clone();
        float[] outV = out.clone();
        // Poisoned, so an element the kernel fails to write fails the check.
        Arrays.fill(outS, 0, overwritten, Float.NaN);
        Arrays.fill(outV, 0, overwritten, Float.NaN);
        call.run(TraceOpsProvider.scalar(), mainS, outS);
        call.run(vector, mainV, outV);
        BenchData.assertClose("KernelBench." + name + " size=" + size + " (updated operand)", mainS, mainV, reduction);
        BenchData.assertClose("KernelBench." + name + " size=" + size + " (output)", outS, outV, reduction);
    }

    private void axpy(TraceOps o, float[] main, float[] output) {
        o.decayAxpy(main, 0, 0.9f, 0.1f, x, 0, size);
    }

    private void rows(TraceOps o, float[] main, float[] output) {
        o.decayRows(main, 0, rows, COLS, decay, 0, inject, 0, x, 0, 0);
    }

    private void blockRows(TraceOps o, float[] main, float[] output) {
        o.decayBlockRows(main, 0, blocks, blockRows, blockRows, COLS, decay, 0, inject, 0, x, 0, COLS);
    }

    private void gemm(TraceOps o, float[] main, float[] output) {
        o.decayGemm(main, 0, GEMM_ROWS, gemmCols, gemmCols, decay, 0, coeff, 0, GEMM_INNER, x, 0, pack);
    }

    private void gradient(TraceOps o, float[] main, float[] output) {
        o.accumulateGemvT(output, 0, main, 0, GRAD_ROWS, gradCols, inject, 0);
    }

    private void forward(TraceOps o, float[] main, float[] output) {
        o.gemv(main, 0, rows, COLS, x, 0, output, 0);
    }

    /** Streaming: {@code y = d y + k x} over {@code size} floats (the factorised terminal trace). */
    @Benchmark
    public void decayAxpy(Rates r) {
        axpy(ops, t, out);
        r.add(axpyGb, axpyGf);
    }

    /** Terminal trace: {@code size / 129} rows, each decayed and fed the same presynaptic row. */
    @Benchmark
    public void decayRows(Rates r) {
        rows(ops, t, out);
        r.add(rowsGb, rowsGf);
    }

    /** Adjacent hierarchical trace: 8 blocks of rows, each row fed one row of the lower trace. */
    @Benchmark
    public void decayBlockRows(Rates r) {
        blockRows(ops, t, out);
        r.add(blockGb, blockGf);
    }

    /** Deep hierarchical trace: a 32 x 32 coefficient matrix times a 32 x (size / 32) trace. */
    @Benchmark
    public void decayGemm(Rates r) {
        gemm(ops, t, out);
        r.add(gemmGb, gemmGf);
    }

    /** Gradient contraction: 32 trace rows of {@code size / 32} floats weighted into one gradient row. */
    @Benchmark
    public void accumulateGemvT(Rates r) {
        gradient(ops, t, out);
        r.add(gradGb, gradGf);
    }

    /** Forward product: a {@code (size / 129) x 129} weight matrix times the presynaptic vector. */
    @Benchmark
    public void gemv(Rates r) {
        forward(ops, t, out);
        r.add(gemvGb, gemvGf);
    }
}
