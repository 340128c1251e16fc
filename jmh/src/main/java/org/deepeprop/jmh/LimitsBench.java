package org.deepeprop.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * What can this machine do at best, measured in the same JVM as the kernels? Two references that
 * reports divide by to say "x% of this machine's limit":
 *
 * <ul>
 *   <li>{@link #stream}: the trace update {@code e = d e + k x} as a plain Java loop (C2
 *       auto-vectorises it) over a total footprint of {@code footprint} floats; the default sizes
 *       sit in L1 (8 KiB), L2 (256 KiB), L3 (4 MiB) and DRAM (128 MiB). Its GB/s is the bandwidth
 *       ceiling of the memory-bound kernels.</li>
 *   <li>{@link #fma}: {@value #ACCUMULATORS} independent vector fused multiply-adds per loop turn,
 *       all in registers: enough chains to cover FMA latency times the number of FMA pipes on
 *       current x86 cores (4 cycles x 2 pipes), so its GFLOP/s is the compute ceiling.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar LimitsBench -rf json -rff limits.json}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class LimitsBench {
    static final int ACCUMULATORS = 12;
    /** Loop turns per call: long enough that the loads and the reduction around the loop are noise. */
    static final int TURNS = 2048;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Two arrays of {@code footprint / 2} floats. */
    @State(Scope.Benchmark)
    public static class StreamData {
        @Param({"2048", "65536", "1048576", "33554432"})
        public int footprint;

        float[] e;
        float[] x;
        double gb;
        double gflop;

        @Setup(Level.Trial)
        public void setup() {
            SplittableRandom rng = new SplittableRandom(BenchData.SEED);
            e = BenchData.uniform(rng, footprint / 2, -1, 1);
            x = BenchData.uniform(rng, footprint / 2, -1, 1);
            gb = 1e-9 * 12.0 * e.length; // read e and x, write e
            gflop = 1e-9 * 3.0 * e.length;
        }
    }

    /** Starting values of the accumulators and the two broadcast operands. */
    @State(Scope.Benchmark)
    public static class FmaData {
        float[] init;
        float scale = 0.999f;
        float offset = 1e-3f;
        double gflop;

        @Setup(Level.Trial)
        public void setup() {
            init = BenchData.uniform(new SplittableRandom(BenchData.SEED), ACCUMULATORS * S.length(), 0, 1);
            gflop = 1e-9 * 2.0 * ACCUMULATORS * S.length() * TURNS;
        }
    }

    /** The streaming ceiling: the same update as the factorised trace kernel, in plain loops. */
    @Benchmark
    public void stream(StreamData s, Rates r) {
        float[] e = s.e;
        float[] x = s.x;
        float d = 0.9f;
        float k = 0.1f;
        for (int i = 0; i < e.length; i++) {
            e[i] = d * e[i] + k * x[i];
        }
        r.add(s.gb, s.gflop);
    }

    /**
     * The compute ceiling. Each accumulator runs {@code c = c * 0.999 + 0.001}, which converges,
     * so values stay normal however long the loop runs; the result is returned so C2 keeps the work.
     */
    @Benchmark
    public float fma(FmaData f, Rates r) {
        int l = S.length();
        FloatVector m = FloatVector.broadcast(S, f.scale);
        FloatVector b = FloatVector.broadcast(S, f.offset);
        FloatVector c0 = FloatVector.fromArray(S, f.init, 0);
        FloatVector c1 = FloatVector.fromArray(S, f.init, l);
        FloatVector c2 = FloatVector.fromArray(S, f.init, 2 * l);
        FloatVector c3 = FloatVector.fromArray(S, f.init, 3 * l);
        FloatVector c4 = FloatVector.fromArray(S, f.init, 4 * l);
        FloatVector c5 = FloatVector.fromArray(S, f.init, 5 * l);
        FloatVector c6 = FloatVector.fromArray(S, f.init, 6 * l);
        FloatVector c7 = FloatVector.fromArray(S, f.init, 7 * l);
        FloatVector c8 = FloatVector.fromArray(S, f.init, 8 * l);
        FloatVector c9 = FloatVector.fromArray(S, f.init, 9 * l);
        FloatVector c10 = FloatVector.fromArray(S, f.init, 10 * l);
        FloatVector c11 = FloatVector.fromArray(S, f.init, 11 * l);
        for (int i = 0; i < TURNS; i++) {
            c0 = c0.fma(m, b);
            c1 = c1.fma(m, b);
            c2 = c2.fma(m, b);
            c3 = c3.fma(m, b);
            c4 = c4.fma(m, b);
            c5 = c5.fma(m, b);
            c6 = c6.fma(m, b);
            c7 = c7.fma(m, b);
            c8 = c8.fma(m, b);
            c9 = c9.fma(m, b);
            c10 = c10.fma(m, b);
            c11 = c11.fma(m, b);
        }
        r.add(0, f.gflop);
        FloatVector sum = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11);
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
