package org.deepeprop.experiment.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.text.DecimalFormat;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.DoubleStream;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * PNG plots with JFreeChart, headless: line charts whose shaded band is the spread over seeds,
 * laid out in a grid of panels in one image. Series keep their position's colour in every panel,
 * so one method has one colour across a figure.
 */
public final class Plots {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0x17becf)};

    private Plots() {
    }

    /**
     * One line with its band: {@code mean[i]} at {@code x[i]}, shaded from {@code lo[i]} to {@code hi[i]}.
     */
    public record Series(String name, double[] x, double[] mean, double[] lo, double[] hi) {
    }

    /** The look of one panel's y axis: a log scale, or fixed bounds (null for automatic). */
    public record Axis(String label, boolean log, Double min, Double max) {
    }

    /** A panel: lines with bands over a linear x axis. */
    public static JFreeChart panel(String title, String xLabel, Axis y, List<Series> series) {
        return panel(title, xLabel, false, y, series);
    }

    /** A panel: lines with bands over a linear or logarithmic x axis. */
    public static JFreeChart panel(String title, String xLabel, boolean logX, Axis y, List<Series> series) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Series s : series) {
            YIntervalSeries line = new YIntervalSeries(s.name());
            for (int i = 0; i < s.x().length; i++) {
                line.add(s.x()[i], s.mean()[i], s.lo()[i], s.hi()[i]);
            }
            data.addSeries(line);
        }
        ValueAxis xAxis;
        if (logX) {
            xAxis = logAxis(xLabel, series.stream().flatMapToDouble(v -> Arrays.stream(v.x())).toArray());
        } else {
            NumberAxis linear = new NumberAxis(xLabel);
            linear.setAutoRangeIncludesZero(false);
            linear.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            xAxis = linear;
        }
        ValueAxis yAxis;
        if (y.log()) {
            yAxis = logAxis(y.label(), series.stream()
                    .flatMapToDouble(v -> DoubleStream.concat(Arrays.stream(v.lo()), Arrays.stream(v.hi()))).toArray());
        } else {
            NumberAxis linear = new NumberAxis(y.label());
            linear.setAutoRangeIncludesZero(false);
            yAxis = linear;
        }
        if (y.min() != null && y.max() != null) {
            yAxis.setRange(y.min(), y.max());
        }
        return finish(title, new XYPlot(data, xAxis, yAxis, renderer(series.size())));
    }

    /**
     * A log axis labelled with plain numbers: ticks at powers of ten when the data span a decade
     * or more, else JFreeChart's automatic ticks (a short range would show no decade at all).
     */
    private static LogAxis logAxis(String label, double[] values) {
        LogAxis axis = new LogAxis(label);
        axis.setSmallestValue(1e-6);
        double lo = Arrays.stream(values).filter(v -> v > 0).min().orElse(1);
        double hi = Arrays.stream(values).max().orElse(1);
        if (hi / lo >= 10) {
            axis.setTickUnit(new NumberTickUnit(1));
            axis.setMinorTickCount(9);
            axis.setMinorTickMarksVisible(true);
        }
        axis.setNumberFormatOverride(new DecimalFormat("0.#####"));
        return axis;
    }

    private static DeviationRenderer renderer(int count) {
        DeviationRenderer r = new DeviationRenderer(true, true);
        r.setAlpha(0.18f);
        for (int i = 0; i < count; i++) {
            Color c = PALETTE[i % PALETTE.length];
            r.setSeriesPaint(i, c);
            r.setSeriesFillPaint(i, c);
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesShape(i, new Rectangle2D.Double(-2, -2, 4, 4));
        }
        return r;
    }

    private static JFreeChart finish(String title, XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /**
     * Draws {@code panels} row by row, {@code columns} per row, each {@code cellWidth x cellHeight}
     * pixels, under an overall title, into {@code png}.
     */
    public static void grid(String title, List<JFreeChart> panels, int columns, int cellWidth, int cellHeight, Path png) {
        int rows = (panels.size() + columns - 1) / columns;
        int header = 36;
        BufferedImage image = new BufferedImage(columns * cellWidth, header + rows * cellHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        int size = 16;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
        while (size > 8 && g.getFontMetrics().stringWidth(title) > image.getWidth() - 8) {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, --size));
        }
        g.drawString(title, (image.getWidth() - g.getFontMetrics().stringWidth(title)) / 2, header - 12);
        for (int i = 0; i < panels.size(); i++) {
            int x = (i % columns) * cellWidth;
            int y = header + (i / columns) * cellHeight;
            panels.get(i).draw(g, new Rectangle2D.Double(x, y, cellWidth, cellHeight));
        }
        g.dispose();
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            ImageIO.write(image, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }
}
