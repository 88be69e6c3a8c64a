package io.vela.bench.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, drawn by JFreeChart and returned as PNG {@code data:} URIs, so that the page needs no
 * network and no script. Runs AWT headless. Called by one thread at a time per chart; allocates freely (not a hot
 * path).
 */
final class Charts {
    static final int WIDTH = 900;
    static final int HEIGHT = 420;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** One labelled point of a scatter series. */
    record Point(double x, double y, String label) {
    }

    private Charts() {
    }

    /**
     * @param title  chart title
     * @param yLabel value axis label
     * @param values case to subject to value
     * @return a grouped bar chart: one group per case, one bar per subject
     */
    static String bars(String title, String yLabel, Map<String, Map<String, Double>> values) {
        double max = values.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue)
                .max().orElse(0);
        double scale = max >= 1e6 ? 1e6 : max >= 1e3 ? 1e3 : 1;
        String unit = scale == 1e6 ? " (millions)" : scale == 1e3 ? " (thousands)" : "";
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        values.forEach((c, bySubject) -> bySubject.forEach((s, v) -> d.addValue(v / scale, s, c)));
        JFreeChart chart = ChartFactory.createBarChart(title, "case", yLabel + unit, d);
        CategoryPlot plot = chart.getCategoryPlot();
        ((NumberAxis) plot.getRangeAxis()).setNumberFormatOverride(
                new DecimalFormat("#,##0.#", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return png(chart);
    }

    /**
     * HdrHistogram-style percentile curves: x is {@code 1 / (1 - percentile)} on a log axis labelled with the
     * percentile, y the latency in microseconds on a log axis.
     *
     * @param title  chart title
     * @param curves subject to its points, each {@code {percentile, nanoseconds}}
     * @return the chart
     */
    static String percentiles(String title, Map<String, List<double[]>> curves) {
        XYSeriesCollection d = new XYSeriesCollection();
        curves.forEach((subject, points) -> {
            XYSeries s = new XYSeries(subject, true, true);
            for (double[] p : points) {
                if (p[0] < 100 && p[1] > 0) { // the 100th percentile is at infinity on this axis
                    s.add(1 / (1 - p[0] / 100), p[1] / 1000.0);
                }
            }
            d.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, "percentile", "latency (µs)", d);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = decades("percentile", 1);
        x.setNumberFormatOverride(new PercentileFormat());
        plot.setDomainAxis(x);
        plot.setRangeAxis(decades("latency (µs)", 0.01));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return png(chart);
    }

    /**
     * @param title  chart title
     * @param xLabel x axis label (log scale)
     * @param yLabel y axis label (log scale)
     * @param series series name to its labelled points
     * @return a scatter plot with each point labelled
     */
    static String scatter(String title, String xLabel, String yLabel, Map<String, List<Point>> series) {
        XYSeriesCollection d = new XYSeriesCollection();
        series.forEach((name, points) -> {
            XYSeries s = new XYSeries(name, false, true);
            points.forEach(p -> s.add(p.x(), p.y()));
            d.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createScatterPlot(title, xLabel, yLabel, d);
        XYPlot plot = chart.getXYPlot();
        plot.setDomainAxis(decades(xLabel, 1));
        plot.setRangeAxis(decades(yLabel, 0.01));
        plot.setBackgroundPaint(Color.WHITE);
        XYItemRenderer r = plot.getRenderer();
        r.setDefaultItemLabelGenerator((dataset, s, item) ->
                series.get((String) dataset.getSeriesKey(s)).get(item).label());
        r.setDefaultItemLabelsVisible(true);
        return png(chart);
    }

    /** A log axis ticked at whole powers of ten, labelled as plain numbers. */
    private static LogAxis decades(String label, double smallest) {
        LogAxis a = new LogAxis(label);
        a.setSmallestValue(smallest);
        a.setTickUnit(new NumberTickUnit(1));
        a.setNumberFormatOverride(new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        a.setMinorTickMarksVisible(true);
        return a;
    }

    private static String png(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        BufferedImage img = chart.createBufferedImage(WIDTH, HEIGHT);
        try {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(ChartUtils.encodeAsPNG(img));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Labels the {@code 1 / (1 - p)} axis with the percentile {@code p}: 10 is 90%, 1000 is 99.9%. */
    private static final class PercentileFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double x, StringBuffer to, FieldPosition pos) {
            double p = 100 * (1 - 1 / x);
            String s = String.format(Locale.ROOT, "%.6f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
            return to.append(s).append('%');
        }

        @Override
        public StringBuffer format(long x, StringBuffer to, FieldPosition pos) {
            return format((double) x, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("labels only");
        }
    }
}
