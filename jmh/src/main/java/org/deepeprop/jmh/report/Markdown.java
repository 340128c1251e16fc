package org.deepeprop.jmh.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A markdown document built section by section; tables are padded so the source reads too. */
final class Markdown {
    private final StringBuilder text = new StringBuilder();

    Markdown heading(int level, String title) {
        text.append("#".repeat(level)).append(' ').append(title).append("\n\n");
        return this;
    }

    Markdown paragraph(String s) {
        text.append(s).append("\n\n");
        return this;
    }

    /**
     * A table; a header starting with {@code >} is right-aligned (numbers), and the {@code >}
     * is dropped. Rows shorter than the header are padded with empty cells.
     */
    Markdown table(List<String> header, List<List<String>> rows) {
        int n = header.size();
        boolean[] right = new boolean[n];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            right[i] = header.get(i).startsWith(">");
            names.add(right[i] ? header.get(i).substring(1) : header.get(i));
        }
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            width[i] = Math.max(3, names.get(i).length());
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], i < r.size() ? r.get(i).length() : 0);
            }
        }
        line(names, width, right);
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < n; i++) {
            rule.append(right[i] ? " " + "-".repeat(width[i] - 1) + ":" : " " + "-".repeat(width[i])).append(" |");
        }
        text.append(rule).append('\n');
        for (List<String> r : rows) {
            line(r, width, right);
        }
        text.append('\n');
        return this;
    }

    private void line(List<String> cells, int[] width, boolean[] right) {
        StringBuilder s = new StringBuilder("|");
        for (int i = 0; i < width.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            String pad = " ".repeat(width[i] - c.length());
            s.append(' ').append(right[i] ? pad + c : c + pad).append(" |");
        }
        text.append(s).append('\n');
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /** Three significant digits without exponents for the ranges that occur here; "" for NaN. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }
}
