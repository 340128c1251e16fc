package org.deepeprop.experiment.report;

import java.util.Arrays;

/**
 * Summary of a handful of samples (one per seed): mean, sample standard deviation, min and max.
 *
 * @param n number of samples
 */
public record Stats(int n, double mean, double std, double min, double max) {

    /** Summarises {@code values}; the standard deviation of one sample is 0. */
    public static Stats of(double... values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("values: got none, expected at least one");
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        return new Stats(n, mean, std, Arrays.stream(values).min().orElseThrow(), Arrays.stream(values).max().orElseThrow());
    }

    /** {@code "0.912 ± 0.031"} with the given number format. */
    public String meanSd(String number) {
        return String.format(java.util.Locale.ROOT, number + " ± " + number, mean, std);
    }

    /** {@code "0.912 ± 0.031 [0.870, 0.950]"} with the given number format. */
    public String format(String number) {
        return String.format(java.util.Locale.ROOT, number + " ± " + number + " [" + number + ", " + number + "]",
                mean, std, min, max);
    }
}
