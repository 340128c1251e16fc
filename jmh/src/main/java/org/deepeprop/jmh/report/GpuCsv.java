package org.deepeprop.jmh.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reference timings of a GPU peer, given rather than measured: the CSV
 * {@code model,depth,width,recurrent,eager_us,graph_us} of {@code bench/peers/h200.csv}; lines
 * starting with {@code #} say where the figures come from and are quoted under the table.
 */
public record GpuCsv(Source source, List<Point> points, List<String> comments) {

    /** One configuration: microseconds per step in eager mode and replayed as a CUDA graph. */
    public record Point(Dataset.Config config, double eagerMicros, double graphMicros) {
    }

    /** Reads one file; a malformed data line is an error naming the file and line. */
    public static GpuCsv read(Path file) throws IOException {
        CsvLines csv = CsvLines.read(file);
        List<Point> points = new ArrayList<>();
        for (CsvLines.Row row : csv.rows()) {
            String[] f = row.fields();
            try {
                if (f.length != 6) {
                    throw new IllegalArgumentException("expected 6 fields, got " + f.length);
                }
                points.add(new Point(new Dataset.Config(f[0], Boolean.parseBoolean(f[3]), Integer.parseInt(f[1]),
                        Integer.parseInt(f[2])), Double.parseDouble(f[4]), Double.parseDouble(f[5])));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + row.lineNo() + ": " + e.getMessage() + ": " + row.text());
            }
        }
        return new GpuCsv(Source.plain(file), List.copyOf(points), csv.comments());
    }
}
