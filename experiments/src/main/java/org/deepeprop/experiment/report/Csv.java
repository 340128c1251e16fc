package org.deepeprop.experiment.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * A CSV file written row by row, flushed after each row so a long experiment that is stopped
 * still leaves the rows it finished. Numbers are written with {@link Locale#ROOT} and full
 * precision. Thread-safe: experiments write from several worker threads.
 */
public final class Csv implements AutoCloseable {
    private final BufferedWriter out;

    /** Creates (or truncates) {@code file} and writes the header. */
    public Csv(Path file, String... header) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            out = Files.newBufferedWriter(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        row((Object[]) header);
    }

    /** Writes one row; doubles in shortest round-trip form, everything else with {@code toString}. */
    public synchronized void row(Object... cells) {
        StringJoiner line = new StringJoiner(",");
        for (Object c : cells) {
            line.add(c instanceof Double d ? format(d) : String.valueOf(c));
        }
        try {
            out.write(line.toString());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String format(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.9g", d).replaceFirst("\\.?0+(e|$)", "$1") : "nan";
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
