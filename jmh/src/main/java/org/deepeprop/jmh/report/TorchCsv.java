package org.deepeprop.jmh.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PyTorch peer's timings: the CSV {@code model,depth,width,recurrent,threads,us_per_step} of
 * {@code bench/peers/torch_step.py bench}. Several runs may be concatenated into one file (their
 * header lines are skipped); lines starting with {@code #} (the peer's stderr line naming the torch
 * and BLAS versions, when captured with {@code 2>&1}) are kept to be quoted in the table header.
 *
 * @param points one per configuration and thread count; a later line replaces an earlier one
 * @param comments the {@code #} lines, without the {@code #}
 */
public record TorchCsv(Source source, List<Point> points, List<String> comments) {

    /** One timed configuration of the peer. */
    public record Point(Dataset.Config config, int threads, double micros) {
    }

    /**
     * Reads one CSV. Lines that are neither data, header nor comment (a Python warning captured
     * with {@code 2>&1}) are skipped with a note on stderr, so one stray line does not lose a run.
     */
    public static TorchCsv read(Path file) throws IOException {
        CsvLines csv = CsvLines.read(file);
        Map<String, Point> points = new LinkedHashMap<>();
        for (CsvLines.Row row : csv.rows()) {
            String[] f = row.fields();
            try {
                if (f.length != 6) {
                    throw new IllegalArgumentException("expected 6 fields");
                }
                var config = new Dataset.Config(f[0], Boolean.parseBoolean(f[3]), Integer.parseInt(f[1]),
                        Integer.parseInt(f[2]));
                Point p = new Point(config, Integer.parseInt(f[4]), Double.parseDouble(f[5]));
                points.put(config.label() + "|" + p.threads(), p);
            } catch (IllegalArgumentException e) {
                System.err.println("report: " + file + ":" + row.lineNo() + ": skipped, not a torch_step.py bench line ("
                        + e.getMessage() + "): " + row.text());
            }
        }
        return new TorchCsv(Source.plain(file), List.copyOf(points.values()), csv.comments());
    }
}
