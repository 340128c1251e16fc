package org.deepeprop.verify;

/** The agreement measures of SPEC.md section 4, over flat gradient arrays. */
public final class Metrics {
    private Metrics() {
    }

    /** Euclidean norm. */
    public static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /**
     * {@code ||g - ref|| / ||ref||}; when {@code ref} is exactly zero, the absolute error
     * {@code ||g||} (so a zero reference is matched only by a zero gradient, to float noise).
     */
    public static double relativeError(double[] g, double[] ref) {
        if (g.length != ref.length) {
            throw new IllegalArgumentException("lengths differ: " + g.length + " vs " + ref.length);
        }
        double diff = 0;
        for (int i = 0; i < g.length; i++) {
            double d = g[i] - ref[i];
            diff += d * d;
        }
        double r = norm(ref);
        return r == 0 ? Math.sqrt(diff) : Math.sqrt(diff) / r;
    }

    /** Cosine similarity; 1 when both are zero, 0 when only one is. */
    public static double cosine(double[] a, double[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        double na = norm(a);
        double nb = norm(b);
        if (na == 0 || nb == 0) {
            return na == nb ? 1 : 0;
        }
        return dot / (na * nb);
    }
}
