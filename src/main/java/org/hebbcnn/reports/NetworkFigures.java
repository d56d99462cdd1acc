package org.hebbcnn.reports;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.hebbcnn.nn.NpzFile;
import org.hebbcnn.reports.ReportSources.NetworkRun;
import org.hebbcnn.training.CheckpointedTraining.EpochRecord;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Npy;
import org.hebbcnn.util.NpyArray;

/**
 * The pictures drawn from trained networks rather than from tables: their validation curves, their
 * layer-1 kernels and a VAE's reconstructions. They show what a table cannot - whether training had
 * converged, whether the first layer learned edge- and colour-like filters or stayed noise, and what
 * a VAE's code keeps of an image.
 */
final class NetworkFigures {
    /** A Hebbian network's first layer, as {@code HebbianNetwork} saves it. */
    static final String HEBBIAN_LAYER1 = "layer1.npy";
    /** A backprop network's parameters, and the key of its first conv layer's weights. */
    static final String BACKPROP_NPZ = "network.npz";
    static final String BACKPROP_CONV1 = "conv1.weight";

    private NetworkFigures() {}

    /**
     * Training curves, one chart per group of networks (at most {@link ReportCharts#MAX_CURVES} lines
     * each). Runs whose validation figures are not all in 0..1 (not accuracies) get charts of their own.
     *
     * @param names gives each figure's unique file name from a wished-for one
     */
    static List<ReportFigure> trainingCurves(List<NetworkRun> runs, Function<String, String> names) {
        Map<String, List<NetworkRun>> groups = new LinkedHashMap<>();
        for (NetworkRun r : runs) {
            String key = r.group() + (isAccuracy(r.state().history()) ? "" : " (not an accuracy)");
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<ReportFigure> out = new ArrayList<>();
        for (Map.Entry<String, List<NetworkRun>> g : groups.entrySet()) {
            List<NetworkRun> all = g.getValue();
            boolean accuracy = isAccuracy(all.get(0).state().history());
            int parts = (all.size() + ReportCharts.MAX_CURVES - 1) / ReportCharts.MAX_CURVES;
            for (int p = 0; p < parts; p++) {
                List<NetworkRun> chunk = all.subList(p * ReportCharts.MAX_CURVES,
                        Math.min(all.size(), (p + 1) * ReportCharts.MAX_CURVES));
                String title = "Training: " + g.getKey() + (parts > 1 ? " (" + (p + 1) + "/" + parts + ")" : "");
                var chart = ReportCharts.trainingCurves(title, chunk.stream().map(NetworkRun::label).toList(),
                        chunk.stream().map(r -> r.state().history()).toList(), accuracy);
                if (chart.getSeriesMap().isEmpty()) {
                    continue;
                }
                StringBuilder caption = new StringBuilder("Validation " + (accuracy ? "accuracy" : "figure")
                        + " after each epoch; selected (best) epoch: ");
                for (int i = 0; i < chunk.size(); i++) {
                    caption.append(i == 0 ? "" : ", ").append(chunk.get(i).label()).append(" ")
                            .append(chunk.get(i).state().bestEpoch());
                }
                caption.append('.');
                out.add(ReportFigure.ofChart(chart, names.apply("training-" + g.getKey()), title, caption.toString()));
            }
        }
        return out;
    }

    /**
     * The layer-1 kernels of each network's selected checkpoint, drawn by {@link KernelGrid}; a
     * network without drawable layer-1 weights is left out, with a warning when the weights exist but
     * cannot be drawn. Hybrid stages are left out too: their layer 1 was never trained (the frozen
     * layer 1 under them is the base's, drawn with the base).
     */
    static List<ReportFigure> kernels(List<NetworkRun> runs, Function<String, String> names, List<String> warnings) {
        List<ReportFigure> out = new ArrayList<>();
        for (NetworkRun r : runs) {
            Optional<Path> model = r.stage() ? Optional.empty() : ReportSources.modelDir(r);
            if (model.isEmpty()) {
                continue;
            }
            try {
                Optional<NpyArray> w = layer1(model.get());
                if (w.isEmpty()) {
                    continue;
                }
                KernelGrid.Layout layout = KernelGrid.layout(w.get().shape(), KernelGrid.Options.DEFAULT);
                String title = "Layer 1: " + r.name();
                String caption = layout.describe() + "; checkpoint " + r.bestCheckpoint().getFileName()
                        + " (selected epoch). Each kernel is contrast-stretched on its own.";
                out.add(ReportFigure.ofImage(KernelGrid.render(w.get(), KernelGrid.Options.DEFAULT),
                        names.apply("kernels-" + r.name()), title, caption));
            } catch (InputError | IllegalArgumentException e) {
                warnings.add(model.get() + ": layer-1 kernels not drawn (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    /**
     * The {@value ResultFolders#RECONSTRUCTIONS_PNG} written beside each VAE (in its run folder or the folder above),
     * as they are; an unreadable one is left out with a warning.
     */
    static List<ReportFigure> reconstructions(List<NetworkRun> runs, Function<String, String> names,
            List<String> warnings) {
        List<ReportFigure> out = new ArrayList<>();
        for (NetworkRun r : runs) {
            for (Path dir : new Path[] {r.dir(), r.dir().getParent()}) {
                Path png = dir == null ? null : dir.resolve(ResultFolders.RECONSTRUCTIONS_PNG);
                if (png == null || !Files.isRegularFile(png)) {
                    continue;
                }
                try {
                    BufferedImage image = ImageIO.read(png.toFile());
                    if (image == null) {
                        throw new IOException("not an image");
                    }
                    out.add(ReportFigure.ofImage(image, names.apply("reconstructions-" + r.name()),
                            "Reconstructions: " + r.name(), "Top row: the first test images; bottom row: their "
                                    + "reconstructions by the VAE of the selected epoch."));
                } catch (IOException e) {
                    warnings.add(png + ": reconstructions not shown (" + e.getMessage() + ")");
                }
                break;
            }
        }
        return out;
    }

    /** Layer-1 weights: a Hebbian {@code layer1.npy}, else {@code conv1.weight} of a backprop {@code network.npz}. */
    static Optional<NpyArray> layer1(Path model) {
        Path npy = model.resolve(HEBBIAN_LAYER1);
        if (Files.isRegularFile(npy)) {
            return Optional.of(Npy.read(npy));
        }
        Path npz = model.resolve(BACKPROP_NPZ);
        if (Files.isRegularFile(npz)) {
            return Optional.ofNullable(NpzFile.read(npz).get(BACKPROP_CONV1));
        }
        return Optional.empty();
    }

    private static boolean isAccuracy(List<EpochRecord> history) {
        return history.stream().map(EpochRecord::validationAccuracy).filter(a -> !Double.isNaN(a)) // NaN: not scored
                .allMatch(a -> a >= 0 && a <= 1);
    }
}
