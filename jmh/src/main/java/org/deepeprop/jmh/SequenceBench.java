package org.deepeprop.jmh;

import java.util.concurrent.TimeUnit;
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
 * Does the cost of a sequence grow linearly in its length T, with memory that does not grow at
 * all? Unlike BPTT, deep e-prop keeps no history: one sequence is {@code resetState()} and
 * {@code seqLen} online steps (same network and inputs as {@link StepBench}), so the score divided
 * by {@code seqLen} should be flat, and {@code -prof gc} should show
 * {@code gc.alloc.rate.norm} of about 0 B/op for every {@code seqLen}: the traces are allocated once,
 * when the network is built, whatever T is.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar 'SequenceBench.sequence' -prof gc -rf json
 * -rff sequence.json}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class SequenceBench {
    @Param({"10", "100", "1000"})
    public int seqLen;

    @Param({"1", "3"})
    public int depth;

    @Param({"64"})
    public int width;

    @Param({"scalar", "vector"})
    public String path;

    @Param({"leaky_tanh"})
    public String model;

    @Param({"true"})
    public boolean recurrent;

    private StepFixture fixture;

    @Setup(Level.Trial)
    public void setup() {
        if (seqLen < 1 || seqLen > StepFixture.SEQUENCE) {
            throw new IllegalArgumentException("seqLen: got " + seqLen + ", expected 1.." + StepFixture.SEQUENCE);
        }
        fixture = StepFixture.create(depth, width, model, recurrent, path);
    }

    /** One sequence from a fresh state; the summed loss is returned so the work cannot be dropped. */
    @Benchmark
    public float sequence() {
        return fixture.sequence(seqLen);
    }
}
