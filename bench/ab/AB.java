import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * A paired comparison of two kernel jars in one JVM: each jar gets its own class loader (so its own
 * JIT-compiled code) and its own network; rounds of ~100 ms alternate between them, in alternating
 * order, so both see the same machine noise. On a shared machine whose speed drifts by 20-40% between
 * minutes, separate JMH runs cannot resolve a 5% change; paired rounds can.
 *
 * <p>Usage: {@code AB DEPTH WIDTH THREADS SECONDS NAME_A=JAR_A NAME_B=JAR_B [MODEL [UPDATE_EVERY]]}
 * (SECONDS of measurement per jar, after 3 s of warm-up each; MODEL {@code leaky_tanh} unless
 * given; UPDATE_EVERY K > 0 applies the gradients with Adam every K steps, online learning). Prints
 * each jar's median µs/step with quartiles and the median of the per-round ratios A / B (above 1:
 * B is faster).
 */
public final class AB {
    private static final int PERIOD = 32;

    public static void main(String[] args) throws Exception {
        if (args.length < 6 || args.length > 8) {
            System.err.println("usage: AB DEPTH WIDTH THREADS SECONDS NAME_A=JAR_A NAME_B=JAR_B [MODEL [UPDATE_EVERY]]");
            System.exit(2);
        }
        int depth = Integer.parseInt(args[0]);
        int width = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        String model = args.length >= 7 ? args[6] : "leaky_tanh";
        int updateEvery = args.length == 8 ? Integer.parseInt(args[7]) : 0;
        Path here = Path.of(AB.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        List<IntToLongFunction> runners = new ArrayList<>();
        for (int i = 4; i < 6; i++) {
            String[] kv = args[i].split("=", 2);
            URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(kv[1]).toUri().toURL(), here.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            names.add(kv[0]);
            runners.add((IntToLongFunction) loader.loadClass("Runner")
                    .getConstructor(int.class, int.class, int.class, String.class, int.class)
                    .newInstance(depth, width, threads, model, updateEvery));
        }
        long stepNanos = Long.MAX_VALUE;
        for (IntToLongFunction r : runners) {
            long end = System.nanoTime() + 3_000_000_000L;
            long steps = 0;
            long nanos = 0;
            while (System.nanoTime() < end) {
                nanos += r.applyAsLong(1);
                steps++;
            }
            stepNanos = Math.min(stepNanos, nanos / steps);
        }
        // Whole periods of the deferred terms (NetworkConfig.DEFAULT_DEFER_STEPS, 32): a round of 10
        // steps of a 32-step cycle held a flush or not, and its time said which, not which jar was faster.
        int batch = (int) Math.max(1, 100_000_000L / stepNanos);
        batch = (batch + PERIOD - 1) / PERIOD * PERIOD;
        int rounds = (int) Math.max(9, seconds * 1e9 / ((double) batch * stepNanos));
        double[][] us = new double[2][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < 2; k++) {
                int v = round % 2 == 0 ? k : 1 - k;
                us[v][round] = runners.get(v).applyAsLong(batch) / 1e3 / batch;
            }
        }
        double[] ratio = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            ratio[round] = us[0][round] / us[1][round];
        }
        StringBuilder line = new StringBuilder(String.format("%s depth %d width %d threads %d%s (%d rounds of %d steps):",
                model, depth, width, threads, updateEvery > 0 ? " update every " + updateEvery : "", rounds, batch));
        for (int v = 0; v < 2; v++) {
            double[] s = us[v].clone();
            Arrays.sort(s);
            line.append(String.format(" %s %.1f us/step [%.1f, %.1f];", names.get(v), s[rounds / 2], s[rounds / 4],
                    s[3 * rounds / 4]));
        }
        Arrays.sort(ratio);
        line.append(String.format(" %s / %s = %.3f [%.3f, %.3f]", names.get(0), names.get(1), ratio[rounds / 2],
                ratio[rounds / 4], ratio[3 * rounds / 4]));
        System.out.println(line);
    }
}
