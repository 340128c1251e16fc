package org.deepeprop.jmh.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.Tick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The few chart shapes the report draws, all white, with subtitles naming the source files: a
 * log-log XY chart whose series may be data (markers and lines) or fits (dashed, out of the
 * legend), a bar chart, and a category line chart on a log value axis.
 */
final class Charts {
    static final int WIDTH = 1000;
    static final int HEIGHT = 650;
    /** Colour-blind-safe (Okabe-Ito) and black, so lines stay apart in print too. */
    private static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0xF0E442).darker(), Color.BLACK,
    };
    private static final BasicStroke SOLID = new BasicStroke(2f);
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {6f, 4f}, 0f);

    /** How a series of an XY chart is drawn. */
    enum Style {
        /** Markers joined by a solid line, in the legend. */
        DATA,
        /** Markers joined by a dashed line, in the legend (a second path of the same colour). */
        DATA_DASHED,
        /** A dashed line without markers, left out of the legend (the fit of the data series before it). */
        FIT,
        /** A thick grey line, in the legend (a reference such as a machine limit). */
        REFERENCE
    }

    /** One series of an XY chart with its style and colour index. */
    record Series(XYSeries data, Style style, int colour) {
    }

    private Charts() {
    }

    static Paint colour(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /** An XY chart with a log value axis and the given (log) x axis; subtitles under the title. */
    static JFreeChart logLog(String title, List<String> subtitles, ValueAxis x, String yLabel, List<Series> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            data.addSeries(s.data());
            r.setSeriesPaint(i, s.style() == Style.REFERENCE ? Color.GRAY : colour(s.colour()));
            r.setSeriesStroke(i, switch (s.style()) {
                case DATA -> SOLID;
                case DATA_DASHED, FIT -> DASHED;
                case REFERENCE -> new BasicStroke(4f);
            });
            r.setSeriesShapesVisible(i, s.style() == Style.DATA || s.style() == Style.DATA_DASHED);
            r.setSeriesVisibleInLegend(i, s.style() != Style.FIT);
        }
        XYPlot plot = new XYPlot(data, x, logAxis(yLabel, 10), r);
        return finish(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), subtitles);
    }

    /** A log axis labelled with plain numbers (16, 32, ... or 0.1, 1, 10, ...) instead of powers. */
    static LogAxis logAxis(String label, double base) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(base);
        // Whole powers of the base only: intermediate ticks on a log axis read as a linear scale.
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        axis.setMinorTickMarksVisible(true);
        axis.setSmallestValue(1e-6);
        return axis;
    }

    /**
     * A horizontal log axis with a tick at each of {@code ticks} (the measured widths, depths or
     * lengths): powers of a base would leave depth 3 unlabelled.
     */
    static LogAxis logAxisAt(String label, double[] ticks) {
        LogAxis axis = new TickedLogAxis(label, ticks);
        axis.setBase(2);
        axis.setSmallestValue(1e-6);
        return axis;
    }

    /** See {@link #logAxisAt}. */
    private static final class TickedLogAxis extends LogAxis {
        private static final long serialVersionUID = 1L;
        private final double[] ticks;

        TickedLogAxis(String label, double[] ticks) {
            super(label);
            this.ticks = ticks.clone();
        }

        @Override
        protected List<Tick> refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            DecimalFormat f = new DecimalFormat("#,##0.###");
            List<Tick> result = new ArrayList<>();
            for (double v : ticks) {
                if (getRange().contains(v)) {
                    result.add(new NumberTick(TickType.MAJOR, v, f.format(v), TextAnchor.TOP_CENTER,
                            TextAnchor.CENTER, 0));
                }
            }
            return result;
        }
    }

    /** A bar chart; a dashed line marks {@code reference} on the value axis (NaN for none). */
    static JFreeChart bars(String title, List<String> subtitles, String categoryLabel, String valueLabel,
                           DefaultCategoryDataset data, double reference, String referenceLabel) {
        CategoryAxis x = new CategoryAxis(categoryLabel);
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("0.0#")));
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int i = 0; i < data.getRowCount(); i++) {
            r.setSeriesPaint(i, colour(i));
        }
        NumberAxis y = new NumberAxis(valueLabel);
        y.setUpperMargin(0.12); // room for the value labels on the tallest bar
        CategoryPlot plot = new CategoryPlot(data, x, y, r);
        plot.setOrientation(PlotOrientation.VERTICAL);
        if (!Double.isNaN(reference)) {
            ValueMarker m = new ValueMarker(reference, Color.BLACK, DASHED);
            m.setLabel(referenceLabel);
            m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            // Inside the plot's right edge, above the line, where no category label can clip it.
            m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(m);
        }
        return finish(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), subtitles);
    }

    /** Lines over categories (e.g. percentiles) on a log value axis. */
    static JFreeChart categoryLogLines(String title, List<String> subtitles, String categoryLabel, String valueLabel,
                                       DefaultCategoryDataset data) {
        LineAndShapeRenderer r = new LineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getRowCount(); i++) {
            r.setSeriesPaint(i, colour(i));
            r.setSeriesStroke(i, SOLID);
        }
        ValueAxis y = logAxis(valueLabel, 10);
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(categoryLabel), y, r);
        return finish(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), subtitles);
    }

    private static JFreeChart finish(JFreeChart chart, List<String> subtitles) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(Color.WHITE);
        if (chart.getPlot() instanceof XYPlot p) {
            p.setDomainGridlinePaint(Color.LIGHT_GRAY);
            p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        } else if (chart.getPlot() instanceof CategoryPlot p) {
            p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
        // Below the plot: long legend entries (the fitted exponents) then cost no plot width.
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        chart.getLegend().setFrame(BlockBorder.NONE);
        for (String line : subtitles) {
            TextTitle sub = new TextTitle(line, new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            sub.setPaint(Color.DARK_GRAY);
            chart.addSubtitle(sub);
        }
        return chart;
    }

    static void save(JFreeChart chart, Path file) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }
}
