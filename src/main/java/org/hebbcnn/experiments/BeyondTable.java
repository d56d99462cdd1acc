package org.hebbcnn.experiments;

import org.hebbcnn.util.Statistics;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hebbcnn.config.Protocol;
import org.hebbcnn.training.ProbeTraining;
import org.hebbcnn.util.Statistics.Summary;
import org.hebbcnn.reports.BeyondSection;
import org.hebbcnn.reports.PaperTables;
import org.hebbcnn.reports.ResultsTable;
import org.hebbcnn.util.AtomicFiles;

/**
 * The "beyond the paper" table: each published protocol's test top-1 as measured here beside the
 * figure its authors published, with the wall time of its three phases (unsupervised training,
 * feature extraction, readout), and a row for each readout trained again on its networks
 * ({@code readout linear}); then the paper's own best HPCA probe and backprop network, ours
 * (from a layer-wise results folder, when given) beside the paper's.
 *
 * @param ours        mean test top-1 (percent) over seeds and its 95% half-width; null when not measured
 * @param unsupervised mean seconds of the network's training (all its epochs, validation included); NaN if unknown
 * @param features    mean seconds to compute the readout's features once; NaN if unknown
 * @param readout     mean seconds of the readout's training (all its epochs, scoring included); NaN if unknown
 */
public record BeyondTable(String dataset, boolean reduced, List<Row> rows, List<String> notes) {
    public static final String TABLE_MD = "beyond.md";
    public static final String RESULTS_JSON = BeyondSection.RESULTS_JSON;

    public record Row(String name, String what, Summary ours, Double published, String publishedBy, double unsupervised,
            double features, double readout) {}

    /**
     * The row of a protocol run by the layer-wise experiment: its readout on the probed top layer.
     * {@code network}: the network's name when it is not the protocol's own (a {@code --set network=}),
     * null otherwise.
     */
    static Row protocolRow(Protocol p, String network, String dataset, List<LayerwiseRun> runs,
            java.util.function.ToIntFunction<String> networkEpochs, int probeEpochs, List<Double> featureSeconds) {
        Summary ours = runs.isEmpty() ? null : Statistics.summarize(runs.stream()
                .mapToDouble(r -> 100 * topProbe(r).testTop1()).toArray());
        String what = network == null ? p.title() : p.title() + ", network " + network + " instead of the protocol's";
        return new Row(p.name(), what, ours, p.publishedOn(dataset).orElse(null), p.source(),
                runs.stream().mapToDouble(r -> r.networkSecondsPerEpoch() * networkEpochs.applyAsInt(r.method())).average().orElse(Double.NaN),
                featureSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                runs.stream().mapToDouble(r -> r.probeSecondsPerEpoch() * probeEpochs).average().orElse(Double.NaN));
    }

    /**
     * A row per readout trained again on the protocol's networks ({@code readout linear}; by folder
     * name, each with the seeds it ran on): the linear readout's test top-1 on its top layer, the
     * protocol's unsupervised time, and the readout's own feature and epoch times.
     */
    static List<Row> readoutRows(Row protocol, Map<String, List<LinearReadoutExperiment.Report>> readouts) {
        List<Row> rows = new ArrayList<>();
        readouts.forEach((folder, reports) -> {
            if (reports.isEmpty()) {
                return;
            }
            LinearReadoutExperiment.Report first = reports.get(0);
            double[] top1 = reports.stream().mapToDouble(r -> 100 * topSgd(r.results()).testTop1()).toArray();
            String what = "the same networks, the readout trained again" + (first.flips() ? " with the training images' "
                    + "mirror images" : "") + (first.noHoldout() ? " on the validation images too (its last epoch, as "
                    + "SoftHebb's authors report it)" : "") + (first.epochChoice().equals("last") ? ", network at its last "
                    + "epoch" : "") + " (readout linear; " + reports.size() + " seed(s))";
            rows.add(new Row(protocol.name() + " " + folder, what, Statistics.summarize(top1), protocol.published(),
                    protocol.publishedBy(), protocol.unsupervised(),
                    reports.stream().mapToDouble(LinearReadoutExperiment.Report::featureSeconds).average().orElse(Double.NaN),
                    reports.stream().mapToDouble(r -> r.epochSeconds() * r.epochs()).average().orElse(Double.NaN)));
        });
        return rows;
    }

    /** The SGD probe on the highest probed layer. */
    static ProbeTraining.Result topProbe(LayerwiseRun r) {
        return topSgd(r.probes());
    }

    /** The SGD probe (the linear readout) on the highest layer among {@code probes}. */
    private static ProbeTraining.Result topSgd(List<ProbeTraining.Result> probes) {
        return probes.stream().filter(p -> p.kind().equals("sgd"))
                .max(java.util.Comparator.comparingInt(ProbeTraining.Result::layer)).orElseThrow();
    }

    /**
     * The paper's best HPCA probe and its backprop network on {@code dataset}, ours read from a
     * layer-wise results table when one is given (same dataset, the try-out network).
     */
    static List<Row> paperRows(String dataset, Optional<ResultsTable> layerwise) {
        List<Row> rows = new ArrayList<>();
        paperRow(rows, dataset, layerwise, "hpca", "paper-hpca", "the paper's HPCA network");
        paperRow(rows, dataset, layerwise, "bp", "paper-bp", "the paper's backprop network");
        return rows;
    }

    /**
     * The row of the paper's {@code method} network at its best probed layer in the paper's
     * layer-wise table (none where the paper has no figure on the dataset), with ours from the same
     * cell of {@code layerwise}.
     */
    private static void paperRow(List<Row> rows, String dataset, Optional<ResultsTable> layerwise, String method,
            String name, String what) {
        int bestLayer = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int l = 1; l <= 5; l++) { // the paper's layer-wise tables probe layers 1-5
            double v = PaperTables.layerwise(dataset, method, l).map(PaperTables.Value::mean).orElse(Double.NaN);
            if (v > best) {
                best = v;
                bestLayer = l;
            }
        }
        if (bestLayer > 0) {
            final int layer = bestLayer;
            rows.add(new Row(name, what + ", SGD probe on layer " + layer,
                    layerwise.flatMap(t -> ours(t, method, layer)).orElse(null), best, "Lagani et al. (the paper)",
                    Double.NaN, Double.NaN, Double.NaN));
        }
    }

    private static Optional<Summary> ours(ResultsTable t, String method, int layer) {
        return t.rows().stream().filter(r -> method.equals(r.method()) && Integer.valueOf(layer).equals(r.layer()))
                .map(ResultsTable.Row::ours).findFirst();
    }

    /** The table as beyond.md holds it; the report formats it with the same code ({@link BeyondSection}). */
    public String toMarkdown() {
        return BeyondSection.of(new ObjectMapper().valueToTree(this), "").toMarkdown();
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(TABLE_MD), toMarkdown());
        AtomicFiles.writeString(dir.resolve(RESULTS_JSON), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(this));
    }
}
