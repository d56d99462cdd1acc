package org.hebbcnn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.hebbcnn.experiments.LayerwiseExperiment;
import org.hebbcnn.experiments.LayerwiseSettings;
import org.hebbcnn.reports.ResultsTable;
import org.hebbcnn.util.Djl;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The paper's experiments. */
@Command(name = "experiment", mixinStandardHelpOptions = true, description = "Run one of the paper's experiments.",
        subcommands = {ExperimentCommand.Layerwise.class})
public final class ExperimentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "layerwise", mixinStandardHelpOptions = true,
            description = {"Tables 1, 5, 9: train the try-out network by each method, then a linear (SGD) probe "
                    + "and an SHC probe on every layer; test accuracy over seeds beside the paper's.",
                "Re-running the same command resumes: finished runs are kept, unfinished ones continue after "
                    + "their last complete epoch."})
    static final class Layerwise implements Callable<Integer> {
        @Option(names = "--dataset", required = true, description = "mnist, cifar10 or cifar100.")
        String dataset;

        @Option(names = "--data-dir", description = "Folder with the dataset's files (default: the fetched copy).")
        Path dataDir;

        @Option(names = "--methods", split = ",", defaultValue = "bp,hpca,hwta",
                description = "Comma-separated: bp, hpca, hwta (default: ${DEFAULT-VALUE}).")
        List<String> methods;

        @Option(names = "--seeds", defaultValue = "5", description = "Runs i = 0..seeds-1 (model seed i, data seed 200+i; "
                + "default: ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--quick", description = "Quick profile (labelled in every output): "
                + LayerwiseSettings.QUICK_TRAIN_IMAGES + " training and " + LayerwiseSettings.QUICK_VALIDATION_IMAGES
                + " validation images, " + LayerwiseSettings.QUICK_EPOCHS + " network and "
                + LayerwiseSettings.QUICK_PROBE_EPOCHS + " probe epochs.")
        boolean quick;

        @Option(names = "--epochs", description = "Network training epochs (cap; paper 20).")
        Integer epochs;

        @Option(names = "--probe-epochs", description = "Probe training epochs (cap; paper 20).")
        Integer probeEpochs;

        @Option(names = "--train-images", description = "Use only the first N training images (0 = all).")
        Integer trainImages;

        @Option(names = "--validation-images", description = "Use only the first N validation images (0 = all).")
        Integer validationImages;

        @Option(names = "--out", required = true, description = "Output folder: table.md, table.csv, results.json, runs/.")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            LayerwiseSettings s = quick ? LayerwiseSettings.quick(dataset, methods, seeds)
                    : LayerwiseSettings.paper(dataset, methods, seeds);
            s = s.withEpochs(epochs == null ? s.epochs() : epochs, probeEpochs == null ? s.probeEpochs() : probeEpochs)
                    .withSubset(trainImages == null ? s.trainImages() : trainImages,
                            validationImages == null ? s.validationImages() : validationImages);
            Djl.init();
            ResultsTable table = new LayerwiseExperiment(s, dataDir, out, line -> {
                w.println(line);
                w.flush();
            }).run();
            w.println();
            w.println(table.toMarkdown());
            w.println("written: " + out.resolve(ResultsTable.TABLE_MD) + ", " + out.resolve(ResultsTable.TABLE_CSV) + ", "
                    + out.resolve(ResultsTable.RESULTS_JSON));
            w.flush();
            return 0;
        }
    }
}
