package org.hebbcnn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.hebbcnn.experiments.AllExperiments;
import org.hebbcnn.experiments.ClassifiersExperiment;
import org.hebbcnn.experiments.HybridExperiment;
import org.hebbcnn.experiments.LayerwiseExperiment;
import org.hebbcnn.experiments.LayerwiseSettings;
import org.hebbcnn.experiments.RetrainExperiment;
import org.hebbcnn.experiments.Workspace;
import org.hebbcnn.reports.ResultsTable;
import org.hebbcnn.util.Djl;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The paper's experiments. */
@Command(name = "experiment", mixinStandardHelpOptions = true, description = "Run one of the paper's experiments.",
        subcommands = {ExperimentCommand.Layerwise.class, ExperimentCommand.Hybrid.class, ExperimentCommand.Retrain.class,
            ExperimentCommand.Classifiers.class, ExperimentCommand.All.class})
public final class ExperimentCommand implements Runnable {
    static final String RESUMES = "Re-running the same command resumes: finished runs are kept, unfinished ones "
            + "continue after their last complete epoch.";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options every experiment shares: dataset, seeds, profile, output. */
    static final class Profile {
        @Option(names = "--dataset", required = true, description = "mnist, cifar10 or cifar100.")
        String dataset;

        @Option(names = "--data-dir", description = "Folder with the dataset's files (default: the fetched copy).")
        Path dataDir;

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

        @Option(names = "--out", required = true, description = "Output folder (tables: table.md, table.csv, results.json).")
        Path out;

        LayerwiseSettings settings(List<String> methods) {
            LayerwiseSettings s = quick ? LayerwiseSettings.quick(dataset, methods, seeds)
                    : LayerwiseSettings.paper(dataset, methods, seeds);
            return s.withEpochs(epochs == null ? s.epochs() : epochs, probeEpochs == null ? s.probeEpochs() : probeEpochs)
                    .withSubset(trainImages == null ? s.trainImages() : trainImages,
                            validationImages == null ? s.validationImages() : validationImages);
        }

        /** A workspace of its own under {@code out}: bases/ and stages/. */
        Workspace workspace(List<String> methods, Consumer<String> log) {
            return new Workspace(settings(methods), dataDir, out.resolve("bases"), out.resolve("stages"), log);
        }
    }

    /** Base of the subcommands: output, and printing a table when done. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        Profile profile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Consumer<String> log() {
            PrintWriter w = spec.commandLine().getOut();
            return line -> {
                w.println(line);
                w.flush();
            };
        }

        void print(ResultsTable table, Path dir) {
            PrintWriter w = spec.commandLine().getOut();
            w.println();
            w.println(table.toMarkdown());
            w.println("written: " + dir.resolve(ResultsTable.TABLE_MD) + ", " + dir.resolve(ResultsTable.TABLE_CSV) + ", "
                    + dir.resolve(ResultsTable.RESULTS_JSON));
            w.flush();
        }
    }

    @Command(name = "layerwise", mixinStandardHelpOptions = true,
            description = {"Tables 1, 5, 9: train the try-out network by each method, then a linear (SGD) probe "
                    + "and an SHC probe on every layer; test accuracy over seeds beside the paper's.", RESUMES})
    static final class Layerwise extends Base {
        @Option(names = "--methods", split = ",", defaultValue = "bp,hpca,hwta",
                description = "Comma-separated: bp, hpca, hwta, vae (default: ${DEFAULT-VALUE}).")
        List<String> methods;

        @Override
        public Integer call() throws Exception {
            LayerwiseSettings s = profile.settings(methods);
            Djl.init();
            print(new LayerwiseExperiment(s, profile.dataDir, profile.out, log()).run(), profile.out);
            return 0;
        }
    }

    @Command(name = "hybrid", mixinStandardHelpOptions = true,
            description = {"Tables 2, 6, 10: hybrid networks, one letter per layer 1..6 (B backprop, H Hebbian; "
                    + "last G gradient classifier or H SHC), built bottom-up from the base networks.", RESUMES})
    static final class Hybrid extends Base {
        @Option(names = "--rules", split = ",", defaultValue = "hpca,hwta",
                description = "Hebbian rules of the H layers: hpca, hwta (default: ${DEFAULT-VALUE}).")
        List<String> rules;

        @Option(names = "--configs", split = ",", description = "Configurations (default: the paper's 16); a '|' "
                + "forces a split, e.g. BBBB|BG retrains layers 5-6 of the backprop base.")
        List<String> configs;

        @Override
        public Integer call() throws Exception {
            HybridExperiment e = new HybridExperiment(profile.workspace(List.of("bp"), log()), rules,
                    configs == null ? HybridExperiment.PAPER_CONFIGS : configs, profile.out);
            Djl.init();
            print(e.run(), profile.out);
            return 0;
        }
    }

    @Command(name = "retrain", mixinStandardHelpOptions = true,
            description = {"Tables 3, 7, 11: retrain layer 6 (SHC), layers 5-6 (HPCA+SHC, HWTA+SHC, backprop) on the "
                    + "frozen layers of a backprop-trained network; accuracy and epochs to convergence.", RESUMES})
    static final class Retrain extends Base {
        @Override
        public Integer call() throws Exception {
            Djl.init();
            print(new RetrainExperiment(profile.workspace(List.of("bp"), log()), profile.out).run(), profile.out);
            return 0;
        }
    }

    @Command(name = "classifiers", mixinStandardHelpOptions = true,
            description = {"Tables 4, 8, 12: SGD and SHC classifiers on each layer of a backprop-trained network; "
                    + "accuracy and epochs to convergence.", RESUMES})
    static final class Classifiers extends Base {
        @Override
        public Integer call() throws Exception {
            Djl.init();
            print(new ClassifiersExperiment(profile.workspace(List.of("bp"), log()), profile.out).run(), profile.out);
            return 0;
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true,
            description = {"All four experiments (layerwise, classifiers, retrain, hybrid) on one dataset, each base "
                    + "network trained once per seed and shared; tables in OUT/<experiment>/.", RESUMES})
    static final class All extends Base {
        @Option(names = "--methods", split = ",", defaultValue = "bp,hpca,hwta",
                description = "Layer-wise methods: bp, hpca, hwta, vae (default: ${DEFAULT-VALUE}).")
        List<String> methods;

        @Option(names = "--rules", split = ",", defaultValue = "hpca,hwta",
                description = "Hebbian rules of the hybrids (default: ${DEFAULT-VALUE}).")
        List<String> rules;

        @Option(names = "--configs", split = ",", description = "Hybrid configurations (default: the paper's 16).")
        List<String> configs;

        @Override
        public Integer call() throws Exception {
            AllExperiments all = new AllExperiments(profile.settings(methods), rules,
                    configs == null ? HybridExperiment.PAPER_CONFIGS : configs, profile.dataDir, profile.out, log());
            Djl.init();
            Map<String, ResultsTable> tables = all.run();
            for (Map.Entry<String, ResultsTable> e : tables.entrySet()) {
                print(e.getValue(), profile.out.resolve(e.getKey()));
            }
            return 0;
        }
    }
}
