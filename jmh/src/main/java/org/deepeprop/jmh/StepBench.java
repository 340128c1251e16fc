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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does one online step of deep e-prop cost (forward, traces, gradient accumulation), as a
 * function of depth, width, neuron model, recurrence and kernel path?
 *
 * <p>The network and its inputs are those of {@link StepFixture}: width N everywhere, a target at
 * every step, a new sequence (state reset, gradients zeroed) every 1000 steps, inside the timed
 * loop and so amortised into the score (about 0.1%). Configurations whose traces exceed
 * {@link StepFixture#TRACE_BUDGET_BYTES} (5 of the 120, at width 256 and depth 3 or 4) fail in
 * {@code @Setup} with a message saying so; {@code Bench --full} leaves them out beforehand. On the
 * vector path {@code @Setup} first checks a few steps against the scalar twin.
 *
 * <p>{@code threads} is {@link org.deepeprop.net.NetworkConfig#threads()}: one network whose step
 * splits its hierarchical traces over that many threads (the caller and the network's own
 * workers). JMH itself runs one benchmark thread.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar 'StepBench.step' -p model=leaky_tanh -p
 * recurrent=true -p depth=1,2,3 -p width=32,64,128 -rf json -rff step.json}; add {@code -prof gc}
 * to see that a step allocates nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class StepBench {
    @Param({"1", "2", "3", "4"})
    public int depth;

    @Param({"16", "32", "64", "128", "256"})
    public int width;

    @Param({"scalar", "vector"})
    public String path;

    @Param({"leaky_tanh", "lif", "alif"})
    public String model;

    @Param({"true", "false"})
    public boolean recurrent;

    @Param({"1", "2"})
    public int threads;

    private StepFixture fixture;

    @Setup(Level.Trial)
    public void setup() {
        fixture = StepFixture.create(depth, width, model, recurrent, path, threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    /** One online step; the loss is returned so the work cannot be dropped. */
    @Benchmark
    public float step() {
        return fixture.step();
    }
}
