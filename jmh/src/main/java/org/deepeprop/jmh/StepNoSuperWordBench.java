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
 * How much of the scalar path's speed is C2's auto-vectorisation? The scalar step of
 * {@link StepBench} again, in a JVM started with {@code -XX:-UseSuperWord}, which stops C2 from
 * turning the plain loops of the scalar kernels into SIMD code. Compare with
 * {@code StepBench.step} at {@code path=scalar} and the same parameters: the gap is what
 * SuperWord gives, the rest of the gap to {@code path=vector} is what the Vector API adds.
 *
 * <p>The method is named {@code scalarNoSuperWord}, not {@code step}, so that tools selecting
 * {@code .step} results see only {@link StepBench}.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar StepNoSuperWordBench -rf json -rff nosw.json}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch",
        "-XX:-UseSuperWord"})
public class StepNoSuperWordBench {
    @Param({"1", "2", "3"})
    public int depth;

    @Param({"32", "64", "128"})
    public int width;

    @Param({"leaky_tanh"})
    public String model;

    @Param({"true"})
    public boolean recurrent;

    private StepFixture fixture;

    @Setup(Level.Trial)
    public void setup() {
        fixture = StepFixture.create(depth, width, model, recurrent, "scalar");
    }

    /** One online step on the scalar path, without SuperWord. */
    @Benchmark
    public float scalarNoSuperWord() {
        return fixture.step();
    }
}
