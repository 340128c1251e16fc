package org.deepeprop.jmh.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One latency distribution as {@code Latency} saves it: HdrHistogram's percentile output
 * ({@code outputPercentileDistribution}, values already in microseconds), named
 * {@code latency-<model>-<rec|ff>-d<depth>-w<width>-<path>[-k<deferSteps>].hgrm}. The file carries no JDK version,
 * so its {@link Source} has only the file name and date.
 *
 * @param config e.g. {@code leaky_tanh rec d=2 w=64}, or the file name if it does not follow the pattern
 * @param path {@code scalar} or {@code vector} ({@code vector-k1}: with a deferral other than the
 *     default), or "" if unknown
 * @param percentiles microseconds at {@link #LEVELS}, the last one the maximum
 * @param exact per level, whether the file has a row at exactly that percentile; if not, the value
 *     is that of the next row up, an upper bound (HdrHistogram prints rows at fixed tick levels,
 *     and 0.99 and 0.999 fall between two of them)
 * @param count steps recorded
 */
public record Hgrm(Source source, String config, String path, double[] percentiles, boolean[] exact, long count) {
    /** The percentiles the report shows; 100 is the maximum. */
    public static final double[] LEVELS = {50, 90, 99, 99.9, 100};
    /** Column names of {@link #LEVELS}. */
    public static final String[] NAMES = {"p50", "p90", "p99", "p99.9", "max"};

    private static final Pattern NAME = Pattern.compile("latency-(.+)-(rec|ff)-d(\\d+)-w(\\d+)-(\\w+(?:-k\\d+)?)\\.hgrm");
    /** Value, percentile, total count and, except on the last row, 1/(1-percentile). */
    private static final Pattern ROW = Pattern.compile("\\s*([0-9.]+)\\s+([0-9.]+)\\s+(\\d+)(\\s+\\S+)?\\s*");
    private static final Pattern MAX = Pattern.compile("#\\[Max\\s*=\\s*([0-9.]+),\\s*Total count\\s*=\\s*(\\d+)\\]");

    /** Reads one file; throws if it holds no percentile rows at all. */
    public static Hgrm read(Path file) throws IOException {
        List<double[]> rows = new ArrayList<>(); // {value, percentile in 0..1}
        double max = Double.NaN;
        long count = 0;
        for (String line : Files.readAllLines(file)) {
            Matcher row = ROW.matcher(line);
            Matcher m = MAX.matcher(line);
            if (row.matches()) {
                rows.add(new double[] {Double.parseDouble(row.group(1)), Double.parseDouble(row.group(2))});
                count = Math.max(count, Long.parseLong(row.group(3)));
            } else if (m.find()) {
                max = Double.parseDouble(m.group(1));
                count = Long.parseLong(m.group(2));
            }
        }
        if (rows.isEmpty()) {
            throw new IOException(file + ": no percentile rows (expected HdrHistogram's outputPercentileDistribution)");
        }
        double[] p = new double[LEVELS.length];
        boolean[] exact = new boolean[LEVELS.length];
        for (int i = 0; i < LEVELS.length; i++) {
            double[] row = LEVELS[i] == 100 && !Double.isNaN(max) ? new double[] {max, 1} : rowAt(rows, LEVELS[i] / 100);
            p[i] = row[0];
            exact[i] = Math.abs(row[1] - LEVELS[i] / 100) < 1e-9;
        }
        Matcher n = NAME.matcher(file.getFileName().toString());
        String config = n.matches()
                ? String.format(Locale.ROOT, "%s%s d=%s w=%s", n.group(1), n.group(2).equals("rec") ? " rec" : "",
                n.group(3), n.group(4))
                : file.getFileName().toString();
        return new Hgrm(Source.plain(file), config, n.matches() ? n.group(5) : "", p, exact, count);
    }

    /**
     * The first row at or above {@code fraction}. Each row is HdrHistogram's value at the row's
     * percentile, so the percentile asked for lies between the previous row's value and this one's.
     */
    private static double[] rowAt(List<double[]> rows, double fraction) {
        for (double[] r : rows) {
            // The file rounds fractions to 12 digits: allow for that.
            if (r[1] >= fraction - 1e-12) {
                return r;
            }
        }
        return rows.get(rows.size() - 1);
    }

    /** What a plot legend or a table row calls this distribution. */
    public String label() {
        return path.isEmpty() ? config : config + " " + path;
    }
}
