package org.deepeprop.experiment;

import java.util.Locale;
import org.deepeprop.net.DeepEpropNetwork;
import org.deepeprop.net.NetworkConfig;

/**
 * {@code ./eprop experiment NAME [--quick] [--seeds N] [--out DIR] [--threads N]}: runs one of the
 * science experiments and writes {@code NAME.csv}, {@code NAME.png} and {@code NAME.md} (the
 * summary tables) into the output directory (default {@code results/}). Progress goes to stderr.
 *
 * <p>Exit codes: 0 on success, 2 for a usage error, 1 if the experiment fails.
 */
public final class Experiments {
    private Experiments() {
    }

    /** The kernel implementation this JVM's networks run on, e.g. {@code vector-512} or {@code scalar}. */
    private static String kernelName() {
        return new DeepEpropNetwork(NetworkConfig.builder().inputs(1).layers(1).outputs(1).build()).kernelName();
    }

    /** Runs the experiment named by {@code args[0]}. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.err.println(Options.USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        Options options;
        try {
            options = Options.parse(args, 1);
        } catch (IllegalArgumentException e) {
            System.err.println("experiment: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runnable experiment = switch (args[0]) {
            case "alignment" -> () -> Alignment.run(options);
            case "learning" -> () -> Learning.run(options);
            case "online" -> () -> Online.run(options);
            case "feedback" -> () -> FeedbackComparison.run(options);
            default -> null;
        };
        if (experiment == null) {
            System.err.println("experiment: unknown experiment \"" + args[0] + "\"; " + Options.USAGE);
            System.exit(2);
        }
        long start = System.nanoTime();
        System.err.printf(Locale.ROOT, "experiment %s: %s run, %s, %d threads, kernel %s, output in %s%n", args[0],
                options.quick() ? "quick" : "full", options.seeds() == 0 ? "default seeds" : options.seeds() + " seeds",
                options.threads(), kernelName(), options.out());
        experiment.run();
        System.err.printf(Locale.ROOT, "experiment %s: done in %.0f s%n", args[0], (System.nanoTime() - start) / 1e9);
    }
}
