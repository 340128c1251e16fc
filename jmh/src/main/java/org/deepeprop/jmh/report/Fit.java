package org.deepeprop.jmh.report;

import java.util.List;
import java.util.Locale;

/**
 * A power law {@code y = prefactor * x^exponent} fitted by least squares on {@code log y} against
 * {@code log x}: the slope of a straight line on a log-log plot, which is how the cost model's
 * exponents (SPEC.md section 5) are compared with measurements.
 *
 * @param exponent the fitted slope
 * @param prefactor {@code y} at {@code x = 1}
 * @param r2 coefficient of determination of the line in log-log space
 * @param n number of points the fit used
 * @param xMin smallest {@code x} used
 * @param xMax largest {@code x} used
 */
public record Fit(double exponent, double prefactor, double r2, int n, double xMin, double xMax) {
    /**
     * Fewer points would always fit (two points make a perfect line), so a slope from them would
     * pretend to a confirmation it cannot give.
     */
    public static final int MIN_POINTS = 3;

    /** One point; only positive, finite values can be fitted in log space. */
    public record Point(double x, double y) {
        boolean usable() {
            return x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y);
        }
    }

    /** The fit of the usable points, or null if fewer than {@link #MIN_POINTS} distinct {@code x} remain. */
    public static Fit of(List<Point> points) {
        List<Point> ok = points.stream().filter(Point::usable).toList();
        if (ok.stream().mapToDouble(Point::x).distinct().count() < MIN_POINTS) {
            return null;
        }
        int n = ok.size();
        double sx = 0;
        double sy = 0;
        for (Point p : ok) {
            sx += Math.log(p.x());
            sy += Math.log(p.y());
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (Point p : ok) {
            double dx = Math.log(p.x()) - mx;
            double dy = Math.log(p.y()) - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        double slope = sxy / sxx;
        // A flat line (syy = 0) is explained completely by a zero slope.
        double r2 = syy == 0 ? 1 : sxy * sxy / (sxx * syy);
        double min = ok.stream().mapToDouble(Point::x).min().orElseThrow();
        double max = ok.stream().mapToDouble(Point::x).max().orElseThrow();
        return new Fit(slope, Math.exp(my - slope * mx), r2, n, min, max);
    }

    /** The fitted {@code y} at {@code x}. */
    public double at(double x) {
        return prefactor * Math.pow(x, exponent);
    }

    /** The exponent with two decimals, or {@code n/a} for no fit. */
    public static String exponent(Fit fit) {
        return fit == null ? "n/a" : String.format(Locale.ROOT, "%.2f", fit.exponent);
    }

    /** R² with three decimals, or {@code n/a}. */
    public static String r2(Fit fit) {
        return fit == null ? "n/a" : String.format(Locale.ROOT, "%.3f", fit.r2);
    }
}
