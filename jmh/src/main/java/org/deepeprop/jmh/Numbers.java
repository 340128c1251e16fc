package org.deepeprop.jmh;

import java.util.Locale;

/** The one number format of the printed table and the generated report. */
public final class Numbers {
    private Numbers() {
    }

    /** Three significant digits, without exponents for the ranges that occur here; {@code nan} for NaN. */
    public static String threeDigits(double v, String nan) {
        if (Double.isNaN(v)) {
            return nan;
        }
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }
}
