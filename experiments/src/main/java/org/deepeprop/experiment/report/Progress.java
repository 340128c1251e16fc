package org.deepeprop.experiment.report;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress lines on stderr, {@code "[12/96] 34s model=lif depth=3 ..."}: how far, how long so far,
 * and what just finished. Thread-safe.
 */
public final class Progress {
    private final PrintStream err;
    private final int total;
    private final long start = System.nanoTime();
    private int done;

    /** @param total the number of units of work the experiment will report */
    public Progress(int total, PrintStream err) {
        this.total = total;
        this.err = err;
    }

    /** One unit finished; prints its description. */
    public synchronized void done(String what) {
        done++;
        err.printf(Locale.ROOT, "[%d/%d] %ds %s%n", done, total, Math.round(seconds()), what);
    }

    /** A free-form line, prefixed like the others. */
    public synchronized void note(String what) {
        err.printf(Locale.ROOT, "[%d/%d] %ds %s%n", done, total, Math.round(seconds()), what);
    }

    /** Seconds since the experiment started. */
    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
