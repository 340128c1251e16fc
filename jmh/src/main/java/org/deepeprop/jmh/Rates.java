package org.deepeprop.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Byte and flop counters that JMH turns into rates: a benchmark in {@code Mode.Throughput} with
 * {@code @OutputTimeUnit(SECONDS)} adds the gigabytes it moved and the gigaflops it did per
 * invocation, and JMH reports {@code :gigabytes} and {@code :gigaflops} in "ops/s", which are then
 * GB/s and GFLOP/s. Counting in units of 10^9 (doubles) keeps the printed numbers readable.
 *
 * <p>JMH allows auxiliary counters only at thread scope, hence a state class of its own.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class Rates {
    /** Gigabytes moved this iteration (the compulsory traffic of each call: every operand read or written once). */
    public double gigabytes;
    /** Gigaflops done this iteration (a fused multiply-add counts two). */
    public double gigaflops;

    /** Counters are per iteration: JMH does not reset them itself. */
    @Setup(Level.Iteration)
    public void clear() {
        gigabytes = 0;
        gigaflops = 0;
    }

    /** Adds one call's traffic and work, both already in units of 10^9. */
    void add(double gb, double gflop) {
        gigabytes += gb;
        gigaflops += gflop;
    }
}
