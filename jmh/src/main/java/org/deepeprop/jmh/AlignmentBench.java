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
 * Does the start of a row matter? The streaming kernel {@code decayAxpy} on {@code len} floats
 * (4096: 32 KB for both operands, L1; 65536: 512 KB, L2) starting {@code offset} floats into its
 * arrays. A Java array's
 * elements start 16 bytes after an object that is only 8-byte aligned, and the Vector API has no
 * way to ask where that is, so a 64-byte vector load usually straddles two cache lines; one of the
 * 16 offsets makes one operand's loads line-aligned. The spread over the offsets is what alignment
 * is worth in L1 and L2, which the library cannot claim for arbitrary heap arrays.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar AlignmentBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class AlignmentBench {
    @Param({"4096", "65536"})
    int len;

    @Param({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"})
    int offset;

    @Param({"vector"})
    String path;

    TraceOps ops;
    float[] y;
    float[] x;

    @Setup(Level.Trial)
    public void setup() {
        ops = BenchData.ops(path);
        SplittableRandom rng = new SplittableRandom(BenchData.SEED);
        y = BenchData.uniform(rng, len + 16, -1, 1);
        x = BenchData.uniform(rng, len + 16, -1, 1);
    }

    @Benchmark
    public void decayAxpy(Rates r) {
        ops.decayAxpy(y, offset, 0.9f, 0.1f, x, offset, len);
        r.add(12e-9 * len, 3e-9 * len);
    }
}
