package org.deepeprop.jmh;

import java.util.SplittableRandom;
import org.deepeprop.simd.TraceOps;
import org.deepeprop.simd.TraceOpsProvider;

/** Seeded benchmark data and the vector-versus-scalar agreement check every {@code @Setup} runs. */
final class BenchData {
    /** One seed for every benchmark, so two runs time the same numbers. */
    static final long SEED = 20251231L;

    private BenchData() {
    }

    /** {@code n} floats uniform in {@code [lo, hi)}. */
    static float[] uniform(SplittableRandom rng, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble(lo, hi);
        }
        return v;
    }

    /**
     * The kernels for a {@code path} parameter ({@code scalar} or {@code vector}).
     *
     * @throws IllegalStateException for {@code vector} when the Vector API is not usable in this JVM
     */
    static TraceOps ops(String path) {
        return switch (path) {
            case "scalar" -> TraceOpsProvider.scalar();
            case "vector" -> TraceOpsProvider.vector().orElseThrow(() -> new IllegalStateException(
                    "path=vector but " + TraceOpsProvider.vectorUnavailableReason()));
            default -> throw new IllegalArgumentException("path: got \"" + path + "\", expected scalar or vector");
        };
    }

    /**
     * Throws unless {@code actual} matches {@code expected} element by element. The tolerance grows
     * with the reduction length, because a reassociated sum of {@code n} terms may differ from the
     * sequential one by about {@code n} roundings.
     */
    static void assertClose(String what, float[] expected, float[] actual, int reductionLength) {
        if (expected.length != actual.length) {
            throw new IllegalStateException(what + ": lengths " + expected.length + " and " + actual.length);
        }
        float tol = 1e-6f * Math.max(1, reductionLength);
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) {
                throw new IllegalStateException(what + ": vector and scalar disagree at [" + i + "]: scalar "
                        + e + ", vector " + a + " (tolerance " + tol + " relative)");
            }
        }
    }
}
