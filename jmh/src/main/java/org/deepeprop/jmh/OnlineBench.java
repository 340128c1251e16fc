package org.deepeprop.jmh;

import java.util.concurrent.TimeUnit;
import org.deepeprop.train.Adam;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does online learning cost per step: one step of {@link StepBench}'s network, and after
 * every {@code every}-th step an Adam update of all weights ({@code applyGradients})? With
 * {@code every = 1} the update (divergence check, optimiser, and the deferred terms applied one step
 * at a time) can cost more than the step; from depth 2 a weight change also writes the factor-form
 * adjacent traces out in full, and every layer goes on in segment form: two passes over the top
 * layer's trace per update, and from depth 3 one {@code N^4} product into each deep trace above a
 * lower layer (README, "Factor form"). Each sequence starts from the initial weights again, so
 * 10^6 updates do not drift them.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar 'OnlineBench.onlineStep' -p depth=1 -p
 * width=64,128}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class OnlineBench {
    @Param({"1", "2", "3"})
    public int depth;

    @Param({"64", "128"})
    public int width;

    @Param({"scalar", "vector"})
    public String path;

    @Param({"1", "32"})
    public int every;

    @Param({"leaky_tanh"})
    public String model;

    @Param({"true"})
    public boolean recurrent;

    private StepFixture fixture;
    private Adam adam;

    @Setup(Level.Trial)
    public void setup() {
        if (every < 1) {
            throw new IllegalArgumentException("every: got " + every + ", expected at least 1");
        }
        fixture = StepFixture.create(depth, width, model, recurrent, path);
        adam = new Adam(1e-4f);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    /** One online step, and the update when it is due; the loss is returned so the work cannot be dropped. */
    @Benchmark
    public float onlineStep() {
        return fixture.onlineStep(adam, every);
    }
}
