package org.deepeprop.experiment.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The generated summary of an experiment ({@code results/NAME.md}): headings, lines and tables
 * built only from computed numbers, so RESULTS.md can quote them without anyone typing a number.
 */
public final class Markdown {
    private final StringBuilder text = new StringBuilder();

    /** A {@code ###} heading. */
    public Markdown heading(String title) {
        text.append("\n### ").append(title).append("\n\n");
        return this;
    }

    /** A paragraph line. */
    public Markdown line(String line) {
        text.append(line).append('\n');
        return this;
    }

    /** A table with a header row. */
    public Markdown table(List<String> header, List<List<String>> rows) {
        text.append("| ").append(String.join(" | ", header)).append(" |\n");
        text.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> row : rows) {
            text.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        text.append('\n');
        return this;
    }

    /** Writes the document. */
    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
