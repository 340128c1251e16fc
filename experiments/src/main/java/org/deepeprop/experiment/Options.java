package org.deepeprop.experiment;

import java.nio.file.Path;

/**
 * The flags every experiment takes.
 *
 * @param quick   a shortened run (about a minute) for CI smoke tests
 * @param seeds   number of seeds, or 0 for the experiment's default
 * @param out     directory for the CSV, PNG and Markdown outputs
 * @param threads worker threads (independent runs go in parallel; each network stays on one thread)
 */
public record Options(boolean quick, int seeds, Path out, int threads) {

    static final String USAGE = "usage: ./eprop experiment alignment|learning|online|feedback"
            + " [--quick] [--seeds N] [--out DIR] [--threads N]";

    /** Parses the flags after the experiment name. */
    static Options parse(String[] args, int from) {
        boolean quick = false;
        int seeds = 0;
        Path out = Path.of("results");
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = from; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--seeds" -> seeds = positive("--seeds", value(args, ++i));
                case "--threads" -> threads = positive("--threads", value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown flag " + args[i] + "; " + USAGE);
            }
        }
        return new Options(quick, seeds, out, threads);
    }

    /** The seeds to run: {@code 1..seeds}, or {@code 1..fallback} when no count was given. */
    int seedCount(int fallback) {
        return seeds > 0 ? seeds : fallback;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value; " + USAGE);
        }
        return args[i];
    }

    private static int positive(String flag, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(flag + ": got " + value + ", expected an integer >= 1");
    }
}
