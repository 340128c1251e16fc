package org.deepeprop.jmh.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a peer's CSV: {@code #} lines are comments (kept, without the {@code #}, to be
 * quoted in a table's header), blank lines and header lines (starting with {@code model,}) are
 * dropped, and every other line is a data row split at commas.
 */
record CsvLines(List<String> comments, List<Row> rows) {

    /** A data line: its 1-based number in the file, its text and its fields. */
    record Row(int lineNo, String text, String[] fields) {
    }

    static CsvLines read(Path file) throws IOException {
        List<String> comments = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            String s = line.strip();
            if (s.startsWith("#")) {
                comments.add(s.substring(1).strip());
            } else if (!s.isEmpty() && !s.startsWith("model,")) {
                rows.add(new Row(lineNo, line, s.split(",")));
            }
        }
        return new CsvLines(comments, rows);
    }
}
