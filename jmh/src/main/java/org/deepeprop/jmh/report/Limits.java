package org.deepeprop.jmh.report;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The machine limits one JMH run measured ({@code LimitsBench}): the FMA peak of one core and the
 * streaming bandwidth at each footprint, so a rate from the same run can be given as a share of
 * them. The cache levels are those of {@code BenchTable}, so the console table and the report
 * call the same footprint "L2".
 */
public final class Limits {
    /** Upper footprint bounds of L1, L2 and L3 on current x86 cores (48 KiB, 1-2 MiB, 32 MiB per CCD). */
    private static final long[] LEVEL_BYTES = {48L << 10, 1L << 20, 32L << 20};
    private static final String[] LEVEL_NAMES = {"L1", "L2", "L3", "DRAM"};

    /**
     * The one-core FMA peak issue 4 gives for the reference machine (2-core Zen 5, AVX-512), GFLOP/s.
     * This VM measured 214 in the sweep of 2026-11-28 16:00 and 81-100 all through 2026-11-29, when
     * it ran on an AVX2-only Zen 3 (256-bit vectors) that slowed each kernel by its own factor; a run
     * far below this figure is flagged in the report.
     */
    static final double REFERENCE_FMA_PEAK = 222;
    /** Below this share of {@link #REFERENCE_FMA_PEAK} a run is reported as not the reference machine's speed. */
    static final double SLOW_HOST_SHARE = 0.7;

    /** GFLOP/s of {@code LimitsBench.fma}, NaN if the run did not measure it. */
    double fmaPeak = Double.NaN;
    /** GB/s of {@code LimitsBench.stream} by footprint in bytes. */
    final TreeMap<Long, Double> stream = new TreeMap<>();

    /** Whether the run measured anything to compare with. */
    boolean isEmpty() {
        return Double.isNaN(fmaPeak) && stream.isEmpty();
    }

    /** The cache level a footprint of {@code bytes} runs from. */
    static String level(double bytes) {
        int i = 0;
        while (i < LEVEL_BYTES.length && bytes > LEVEL_BYTES[i]) {
            i++;
        }
        return LEVEL_NAMES[i];
    }

    /**
     * The stream measurement to compare a footprint with: the one at the same cache level; without
     * one, the next larger footprint, else the largest. Null if the run has no stream result.
     */
    Map.Entry<Long, Double> streamFor(double footprintBytes) {
        String lvl = level(footprintBytes);
        Map.Entry<Long, Double> ref = stream.entrySet().stream()
                .filter(e -> level(e.getKey()).equals(lvl)).findFirst()
                .orElseGet(() -> stream.ceilingEntry((long) Math.ceil(footprintBytes)));
        return ref != null ? ref : stream.lastEntry();
    }

    /** {@code gbps} as a percentage of the stream bandwidth at its level, e.g. {@code "41% L2"}; "" if unknown. */
    String ofStream(double gbps, double footprintBytes) {
        Map.Entry<Long, Double> ref = streamFor(footprintBytes);
        if (ref == null || Double.isNaN(gbps)) {
            return "";
        }
        return String.format(Locale.ROOT, "%.0f%% %s", 100 * gbps / ref.getValue(), level(ref.getKey()));
    }

    /** {@code gflops} as a percentage of {@code threads} cores' FMA peak; "" if unknown. */
    String ofPeak(double gflops, int threads) {
        if (Double.isNaN(fmaPeak) || Double.isNaN(gflops)) {
            return "";
        }
        return String.format(Locale.ROOT, "%.0f%% FMA", 100 * gflops / (threads * fmaPeak));
    }

    /**
     * The closer of the two ceilings, as {@code BenchTable} prints it: the larger of the FMA share
     * and the stream share at the footprint's level.
     */
    String closest(double gflops, double gbps, double footprintBytes, int threads) {
        double flopShare = gflops / (threads * fmaPeak);
        Map.Entry<Long, Double> ref = streamFor(footprintBytes);
        double byteShare = ref == null ? Double.NaN : gbps / ref.getValue();
        if (Double.isNaN(byteShare) || flopShare >= byteShare) {
            return Double.isNaN(flopShare) ? "" : ofPeak(gflops, threads);
        }
        return ofStream(gbps, footprintBytes);
    }
}
