package org.deepeprop.jmh.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a number came from: one input file with what it says about itself, so every table and
 * plot can name its file, the date it was taken and, for JMH JSON, the JMH and JDK versions and
 * the iterations.
 *
 * @param file the path as given on the command line (so RESULTS.md can quote it as typed)
 * @param taken when the data was taken: the {@code yyyyMMdd-HHmmss} stamp in the file name, else
 *     the file's modification time, saying which
 * @param versions distinct "JMH x; JDK y (vm z)" strings of its results; empty for non-JMH files
 * @param timings distinct "forks, warm-up, measurement" strings of its results
 */
public record Source(String file, String taken, Set<String> versions, Set<String> timings) {
    private static final Pattern STAMP = Pattern.compile("(\\d{8}-\\d{6})");
    private static final DateTimeFormatter IN = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** Keeps the order of first appearance, and no one can change the sets afterwards. */
    public Source {
        versions = Collections.unmodifiableSet(new LinkedHashSet<>(versions));
        timings = Collections.unmodifiableSet(new LinkedHashSet<>(timings));
    }

    /** A file that says nothing about how it was made (a CSV, an .hgrm): just its name and date. */
    static Source plain(Path file) {
        return new Source(file.toString(), taken(file), Set.of(), Set.of());
    }

    /** The date of a file: Bench and Latency stamp their names; anything else falls back to mtime. */
    static String taken(Path file) {
        Matcher m = STAMP.matcher(file.getFileName().toString());
        if (m.find()) {
            try {
                return LocalDateTime.parse(m.group(1), IN).format(OUT) + " (from the file name)";
            } catch (DateTimeParseException e) {
                // not a date after all: use the modification time
            }
        }
        try {
            return LocalDateTime.ofInstant(Files.getLastModifiedTime(file).toInstant(), ZoneId.systemDefault())
                    .format(OUT) + " (file modified)";
        } catch (IOException e) {
            return "unknown date";
        }
    }

    /** One line: file, date, versions, iterations. */
    public String describe() {
        StringBuilder s = new StringBuilder("`").append(file).append("`, taken ").append(taken);
        if (!versions.isEmpty()) {
            s.append("; ").append(String.join(" / ", versions));
        }
        if (!timings.isEmpty()) {
            s.append("; ").append(String.join(" / ", timings));
        }
        return s.toString();
    }

    /** The header line of a table built from {@code sources}, or a note that there were none. */
    static String header(Collection<Source> sources) {
        if (sources.isEmpty()) {
            return "_Source: none of the inputs has data for this table._";
        }
        return sources.stream().distinct().map(Source::describe)
                .collect(Collectors.joining("; and ", "_Source: ", "._"));
    }

    /** File names and versions, without directories, for plot subtitles. */
    static String shortNames(Collection<Source> sources) {
        return sources.stream().distinct().map(s -> Path.of(s.file).getFileName().toString()
                + (s.versions.isEmpty() ? "" : " (" + String.join(" / ", s.versions) + ")"))
                .collect(Collectors.joining("; "));
    }
}
