package org.hebbcnn.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.hebbcnn.reports.ResultsTable.Row;
import org.hebbcnn.training.CheckpointedTraining.EpochRecord;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn with XChart at one fixed size and with fonts large enough to read when
 * the page scales the picture down.
 *
 * <p>All three are category charts: layers, configs and epochs are discrete, and a category axis
 * puts exactly one labelled tick on each (a numeric axis would pick its own ticks, such as 1.5).
 * Missing values are nulls, which XChart leaves as gaps rather than drawing a line through them.
 */
final class ReportCharts {
    static final int WIDTH = 960;
    static final int HEIGHT = 540;

    /** Layers drawn in per-layer plots: the five conv layers (layer 6, the classifier, is in the table). */
    static final int MAX_LAYER = 5;

    /** Series per training-curve chart; more are split over several charts so colours stay distinct. */
    static final int MAX_CURVES = 10;

    /** matplotlib's "tab10" palette: distinct, and familiar from papers. */
    private static final Color[] PALETTE = Arrays.stream(new int[] {
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf
    }).mapToObj(Color::new).toArray(Color[]::new);

    private static final Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
        SeriesMarkers.TRIANGLE_DOWN
    };

    /** Long dashes: the paper's figures, the same colour as ours. */
    static final BasicStroke PAPER_STROKE =
            new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 6f}, 0f);
    private static final BasicStroke OURS_STROKE = new BasicStroke(2.6f);

    private ReportCharts() {}

    /** Colour of the i-th series (cycling). */
    static Color colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /**
     * Accuracy per layer (1-5), one solid line per method with 95% error bars where known, and the
     * paper's figures as a dashed line of the same colour. Empty when no row is at layers 1-5.
     */
    static Optional<CategoryChart> perLayer(ResultsTable t) {
        Set<Integer> layers = new TreeSet<>();
        Set<String> methods = new LinkedHashSet<>();
        for (Row r : t.rows()) {
            if (r.layer() != null && r.layer() >= 1 && r.layer() <= MAX_LAYER) {
                layers.add(r.layer());
                methods.add(r.method());
            }
        }
        if (layers.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = chart(t.experiment() + " — " + t.dataset() + ": accuracy per layer", "layer",
                metricTitle(t), CategorySeriesRenderStyle.Line);
        List<String> x = layers.stream().map(String::valueOf).toList();
        int i = 0;
        for (String m : methods) {
            List<Double> ours = new ArrayList<>();
            List<Double> ci = new ArrayList<>();
            List<Double> paper = new ArrayList<>();
            for (int layer : layers) {
                Row r = t.rows().stream().filter(w -> w.method().equals(m) && Integer.valueOf(layer).equals(w.layer()))
                        .findFirst().orElse(null);
                ours.add(r == null ? null : finite(r.ours().mean()));
                ci.add(r == null || !r.ours().hasCi() ? 0.0 : r.ours().ci95());
                paper.add(r == null ? null : r.paper());
            }
            Color c = colour(i);
            Marker marker = MARKERS[(i / PALETTE.length) % MARKERS.length];
            if (ours.stream().anyMatch(v -> v != null)) {
                CategorySeries s = add(chart, m, x, ours, ci);
                s.setLineColor(c).setLineStyle(OURS_STROKE);
                s.setMarkerColor(c).setMarker(marker);
            }
            if (paper.stream().anyMatch(v -> v != null)) {
                CategorySeries p = chart.addSeries(m + " (paper)", x, paper);
                p.setLineColor(c).setLineStyle(PAPER_STROKE);
                p.setMarker(SeriesMarkers.NONE);
            }
            i++;
        }
        return chart.getSeriesMap().isEmpty() ? Optional.empty() : Optional.of(chart);
    }

    /**
     * A dot plot, one category per row (method and config or layer): ours as circles with 95% error
     * bars, the paper's as diamonds with theirs, at the same x so the gap reads vertically. Dots rather
     * than bars because accuracies near 100% would need bars cut off far above zero.
     */
    static Optional<CategoryChart> oursVsPaper(ResultsTable t) {
        long methods = t.rows().stream().map(Row::method).distinct().count();
        long keys = t.rows().stream().map(Row::key).distinct().count();
        List<String> x = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        List<Double> oursCi = new ArrayList<>();
        List<Double> paper = new ArrayList<>();
        List<Double> paperCi = new ArrayList<>();
        for (Row r : t.rows()) {
            String key = r.layer() != null ? "layer " + r.layer() : r.config();
            x.add(methods == 1 ? key : keys == 1 ? r.method() : r.method() + " · " + key);
            ours.add(finite(r.ours().mean()));
            oursCi.add(r.ours().hasCi() ? r.ours().ci95() : 0.0);
            paper.add(r.paper());
            paperCi.add(r.paperCi95() == null ? 0.0 : r.paperCi95());
        }
        if (ours.stream().allMatch(v -> v == null)) {
            return Optional.empty();
        }
        CategoryChart chart = chart(t.experiment() + " — " + t.dataset() + ": ours vs paper", null, metricTitle(t),
                CategorySeriesRenderStyle.Scatter);
        CategoryStyler st = chart.getStyler();
        st.setOverlapped(true);
        int longest = x.stream().mapToInt(String::length).max().orElse(0);
        if (x.size() > 6 || longest * x.size() > 70) {
            // Vertical, right-aligned: each label then ends under its own tick (at 35 degrees XChart
            // centres the rotated text, which puts long labels a category to the right).
            st.setXAxisLabelRotation(90);
            st.setXAxisLabelAlignmentVertical(AxesChartStyler.TextAlignment.Right);
        }
        CategorySeries s = add(chart, ComparisonTable.OURS, x, ours, oursCi);
        s.setMarkerColor(colour(0)).setMarker(SeriesMarkers.CIRCLE);
        if (paper.stream().anyMatch(v -> v != null)) {
            CategorySeries p = add(chart, ComparisonTable.PAPER, x, paper, paperCi);
            p.setMarkerColor(colour(1)).setMarker(SeriesMarkers.DIAMOND);
        }
        return Optional.of(chart);
    }

    /**
     * Validation per epoch, one line per network. {@code accuracy}: the figures are accuracies in
     * 0..1, drawn in percent; otherwise they are drawn as stored (a model whose selection figure is not
     * an accuracy, such as a negated loss).
     *
     * @param labels the networks' names in the legend, in the order of {@code histories}
     */
    static CategoryChart trainingCurves(String title, List<String> labels, List<List<EpochRecord>> histories,
            boolean accuracy) {
        int epochs = histories.stream().flatMap(List::stream).mapToInt(EpochRecord::epoch).max().orElse(1);
        CategoryChart chart = chart(title, "epoch", accuracy ? "validation accuracy (%)" : "validation figure",
                CategorySeriesRenderStyle.Line);
        List<Integer> x = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            x.add(e);
        }
        if (epochs > 25) {
            chart.getStyler().setXAxisMaxLabelCount(20);
        }
        for (int i = 0; i < labels.size(); i++) {
            Double[] y = new Double[epochs];
            for (EpochRecord r : histories.get(i)) {
                if (r.epoch() >= 1 && r.epoch() <= epochs) {
                    y[r.epoch() - 1] = finite(accuracy ? 100 * r.validationAccuracy() : r.validationAccuracy());
                }
            }
            if (Arrays.stream(y).allMatch(v -> v == null)) {
                continue;
            }
            CategorySeries s = chart.addSeries(labels.get(i), x, Arrays.asList(y));
            s.setLineColor(colour(i)).setLineStyle(OURS_STROKE);
            s.setMarkerColor(colour(i)).setMarker(MARKERS[(i / PALETTE.length) % MARKERS.length]);
        }
        return chart;
    }

    /**
     * Adds a series, with error bars when some are non-zero and the series has no gap: XChart cannot
     * draw error bars on a series with missing values, and a gap matters more than a bar.
     */
    private static CategorySeries add(CategoryChart chart, String name, List<String> x, List<Double> y,
            List<Double> errors) {
        boolean bars = errors.stream().anyMatch(e -> e > 0) && y.stream().allMatch(v -> v != null);
        return bars ? chart.addSeries(name, x, y, errors) : chart.addSeries(name, x, y);
    }

    /** The y-axis title: "test top1 accuracy (%)" (several metrics are joined with a slash). */
    private static String metricTitle(ResultsTable t) {
        Set<String> metrics = new LinkedHashSet<>();
        t.rows().forEach(r -> metrics.add(r.metric()));
        return "test " + String.join("/", metrics) + " accuracy (%)";
    }

    /** A chart with the report's size, fonts and white background. */
    private static CategoryChart chart(String title, String xTitle, String yTitle, CategorySeriesRenderStyle style) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle == null ? "" : xTitle).yAxisTitle(yTitle).build();
        CategoryStyler s = chart.getStyler();
        s.setDefaultSeriesRenderStyle(style);
        s.setOverlapped(true);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 17));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        s.setMarkerSize(9);
        s.setErrorBarsColorSeriesColor(true);
        s.setXAxisTitleVisible(xTitle != null);
        s.setSeriesColors(PALETTE);
        return chart;
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
