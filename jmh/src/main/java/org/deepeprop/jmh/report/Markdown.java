package org.deepeprop.jmh.report;

import java.util.ArrayList;
import java.util.List;
import org.deepeprop.jmh.Numbers;

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

    /** Three significant digits ({@link Numbers#threeDigits}); "" for NaN. */
    static String num(double v) {
        return Numbers.threeDigits(v, "");
    }
}
