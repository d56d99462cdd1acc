package org.hebbcnn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.config.RunRecord;
import org.hebbcnn.data.DataLocator;
import org.hebbcnn.data.PaperDatasets;
import org.hebbcnn.experiments.AllExperiments;
import org.hebbcnn.experiments.BeyondExperiment;
import org.hebbcnn.experiments.ClassifiersExperiment;
import org.hebbcnn.experiments.HybridExperiment;
import org.hebbcnn.config.Protocol;
import org.hebbcnn.experiments.LayerwiseExperiment;
import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.experiments.OutputFolder;
import org.hebbcnn.experiments.RetrainExperiment;
import org.hebbcnn.experiments.TrainingCost;
import org.hebbcnn.experiments.Workspace;
import org.hebbcnn.reports.ResultsTable;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.UserPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The paper's experiments. */
@Command(name = "experiment", mixinStandardHelpOptions = true, description = "Run one of the paper's experiments.",
        subcommands = {ExperimentCommand.Layerwise.class, ExperimentCommand.Hybrid.class, ExperimentCommand.Retrain.class,
            ExperimentCommand.Classifiers.class, ExperimentCommand.All.class, ExperimentCommand.Beyond.class})
public final class ExperimentCommand implements Runnable {
    static final String RESUMES = "Re-running the same command resumes: finished runs are kept, unfinished ones "
            + "continue after their last complete epoch.";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options every experiment shares: configuration, dataset, seeds, profile, output. */
    static final class Profile {
        @Option(names = "--config", description = "YAML configuration (e.g. the config.yaml of an earlier run); "
                + "flags given here override it.")
        Path config;

        @Option(names = "--protocol", description = "A published method's whole protocol as the base configuration "
                + "(network, rules, schedule, readout; flags override it): softhebb, miconi. See src/main/resources/protocols/.")
        String protocol;

        @Option(names = "--set", description = "Override one setting, key=value (e.g. backprop.lr=1e-4, "
                + "hebbian.lr=5e-4, epochs=5); repeatable, applied last.")
        List<String> sets = new ArrayList<>();

        @Option(names = "--dataset", description = "mnist, cifar10 or cifar100, the paper's datasets (required unless "
                + "--data-dir or --config gives the data).")
        String dataset;

        @Option(names = "--data-dir", description = "Folder with a dataset's files, IDX or CIFAR binary (default: the "
                + "fetched copy of --dataset). Enough by itself: the run is named after the folder (or --name) and "
                + "shown without the paper's figures, unless the files are one of the paper's datasets.")
        Path dataDir;

        @Option(names = "--name", description = "Label of the --data-dir dataset in tables and folders (default: the "
                + "folder's name).")
        String name;

        @Option(names = "--seeds", description = "Runs i = 0..seeds-1 (model seed i, data seed 200+i; default 5).")
        Integer seeds;

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

        @Option(names = "--keep-features", description = "Keep each base network's feature store (bases/<method>/"
                + "seed-<i>/features/: its layers' outputs for every image, float32, GBs on the full splits) after its "
                + "probes finish, written to files even when it would fit in memory; by default it is deleted then.")
        boolean keepFeatures;

        @Option(names = "--out", required = true, description = "Output folder (tables: table.md, table.csv, results.json; "
                + "config.yaml and run.json record how they were made).")
        Path out;

        @Option(names = "--from-epoch", paramLabel = "N", description = "Where a training's newest checkpoint is "
                + "damaged (truncated, edited), resume it from its checkpoint of epoch N instead (the error names N).")
        Integer fromEpoch;

        /**
         * The resolved configuration: the paper's defaults, then --config, then these flags (and the
         * subcommand's lists, when given), then every --set.
         */
        ExperimentConfig resolve(List<String> methods, List<String> rules, List<String> configs, Consumer<String> warn) {
            if (config != null && protocol != null) {
                throw new InputError("--config and --protocol both give a base configuration; give one");
            }
            return resolveOver(config != null ? ExperimentConfig.load(config)
                    : protocol != null ? Protocol.named(protocol).configuration(paperDataset()) : new ExperimentConfig(),
                    methods, rules, configs, warn);
        }

        /** --dataset in its canonical spelling when it names one of the paper's datasets, else null. */
        String paperDataset() {
            return dataset == null ? null : PaperDatasets.paperName(dataset).orElse(null);
        }

        /** As {@link #resolve}, over {@code c} as the base configuration (a protocol's). */
        ExperimentConfig resolveOver(ExperimentConfig c, List<String> methods, List<String> rules, List<String> configs,
                Consumer<String> warn) {
            if (dataset == null && dataDir == null && config == null) {
                throw new InputError("--dataset is required (or --data-dir DIR with your own files, or --config FILE)");
            }
            if (dataset != null && PaperDatasets.paperName(dataset).isEmpty()) {
                throw new InputError("--dataset: unknown dataset '" + dataset + "' (known: "
                        + String.join(", ", LayerwiseSettings.DATASETS) + "; for other files give --data-dir DIR)");
            }
            if (name != null && dataDir == null && (config == null || c.dataDir == null)) {
                throw new InputError("--name labels a --data-dir dataset; give --data-dir DIR too");
            }
            if (dataset != null) {
                c.dataset = dataset;
            } else if (dataDir != null) {
                c.dataset = null; // named after the folder, not the default's mnist
            }
            if (dataDir != null) {
                c.dataDir = dataDir.toString();
            }
            if (seeds != null) {
                c.seeds = seeds;
            }
            c.quick |= quick;
            c.epochs = epochs != null ? epochs : c.epochs;
            c.probeEpochs = probeEpochs != null ? probeEpochs : c.probeEpochs;
            c.trainImages = trainImages != null ? trainImages : c.trainImages;
            c.validationImages = validationImages != null ? validationImages : c.validationImages;
            if (methods != null) {
                c.methods = new ArrayList<>(methods);
            }
            if (rules != null) {
                c.rules = new ArrayList<>(rules);
            }
            if (configs != null) {
                c.configs = new ArrayList<>(configs);
            }
            c = c.with(sets);
            if (c.dataDir != null) {
                Path dir = DataLocator.fromEnvironment().resolve(null, Path.of(c.dataDir));
                c.dataset = PaperDatasets.name(c.dataset, name, dir, warn).label();
            }
            return c.resolved();
        }
    }

    /** Base of the subcommands: configuration, the run record, and printing tables when done. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        Profile profile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        ExperimentConfig config;

        /** One-line warnings, on standard error. */
        Consumer<String> warn() {
            PrintWriter w = spec.commandLine().getErr();
            return line -> {
                w.println("hebbcnn: warning: " + line);
                w.flush();
            };
        }

        Consumer<String> log() {
            PrintWriter w = spec.commandLine().getOut();
            return line -> {
                w.println(line);
                w.flush();
            };
        }

        /** A workspace of its own under the output folder: bases/ and stages/. */
        Workspace workspace() {
            return new Workspace(config, profile.out.resolve(Workspace.BASES), profile.out.resolve(Workspace.STAGES), log())
                    .keepFeatures(profile.keepFeatures);
        }

        /** Claims the output folder, records the configuration and the run, runs, and records the wall time. */
        int run(String identity, Callable<Map<Path, ResultsTable>> experiment) throws Exception {
            Djl.init();
            if (profile.fromEpoch != null && profile.fromEpoch < 1) {
                throw new InputError("--from-epoch must be >= 1, got " + profile.fromEpoch);
            }
            CheckpointedTraining.setResumeFrom(profile.fromEpoch == null ? 0 : profile.fromEpoch);
            UserPaths.outputFolder(profile.out, "--out");
            OutputFolder.claim(profile.out, identity);
            RunRecord record = RunRecord.start(String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                    config.seeds).after(profile.out);
            record.write(profile.out, config);
            Map<Path, ResultsTable> tables = experiment.call();
            record.finish().write(profile.out, config);
            TrainingCost cost = TrainingCost.scan(profile.out);
            cost.write(profile.out);
            PrintWriter w = spec.commandLine().getOut();
            for (Map.Entry<Path, ResultsTable> e : tables.entrySet()) {
                Path dir = e.getKey();
                w.println();
                w.println(e.getValue().toMarkdown());
                w.println("written: " + dir.resolve(ResultsTable.TABLE_MD) + ", " + dir.resolve(ResultsTable.TABLE_CSV)
                        + ", " + dir.resolve(ResultsTable.RESULTS_JSON));
            }
            w.println("training cost: " + TrainingCost.hours(cost.totalSeconds()) + " over " + cost.entries().size()
                    + " networks and probe sets (" + profile.out.resolve(TrainingCost.COST_MD) + ")");
            w.println("configuration: " + profile.out.resolve(RunRecord.CONFIG) + " (rerun with --config)");
            w.flush();
            return 0;
        }
    }

    @Command(name = "layerwise", mixinStandardHelpOptions = true,
            description = {"Tables 1, 5, 9: train the try-out network by each method, then a linear (SGD) probe "
                    + "and an SHC probe on every layer; test accuracy over seeds beside the paper's.", RESUMES})
    static final class Layerwise extends Base {
        @Option(names = "--methods", split = ",", description = "Comma-separated: bp, vae or any Hebbian rule (hpca, sanger, hwta, som, hebb, instar, oja; default: bp,hpca,hwta).")
        List<String> methods;

        @Override
        public Integer call() throws Exception {
            config = profile.resolve(methods, null, null, warn());
            Path out = profile.out;
            Workspace ws = new Workspace(config, out.resolve("runs"), out.resolve(Workspace.STAGES), log())
                    .keepFeatures(profile.keepFeatures);
            return run(ws.identity(), () -> Map.of(out, new LayerwiseExperiment(ws, out).run()));
        }
    }

    @Command(name = "hybrid", mixinStandardHelpOptions = true,
            description = {"Tables 2, 6, 10: hybrid networks, one letter per layer 1..6 (B backprop, H Hebbian; "
                    + "last G gradient classifier or H SHC), built bottom-up from the base networks.", RESUMES})
    static final class Hybrid extends Base {
        @Option(names = "--rules", split = ",", description = "Hebbian rules of the H layers, any of hpca, sanger, hwta, som, hebb, instar, oja (default: hpca,hwta).")
        List<String> rules;

        @Option(names = "--configs", split = ",", description = "Configurations (default: the paper's 16); a '|' "
                + "forces a split, e.g. BBBB|BG retrains layers 5-6 of the backprop base.")
        List<String> configs;

        @Override
        public Integer call() throws Exception {
            config = profile.resolve(null, rules, configs, warn());
            Workspace ws = workspace();
            HybridExperiment e = new HybridExperiment(ws, config.rules, config.configs, profile.out);
            return run(ws.identity(), () -> Map.of(profile.out, e.run()));
        }
    }

    @Command(name = "retrain", mixinStandardHelpOptions = true,
            description = {"Tables 3, 7, 11: retrain the classifier (SHC), the top two layers (HPCA+SHC, HWTA+SHC, backprop) on the "
                    + "frozen layers of a backprop-trained network; accuracy and epochs to convergence.", RESUMES})
    static final class Retrain extends Base {
        @Override
        public Integer call() throws Exception {
            config = profile.resolve(null, null, null, warn());
            Workspace ws = workspace();
            return run(ws.identity(), () -> Map.of(profile.out, new RetrainExperiment(ws, profile.out).run()));
        }
    }

    @Command(name = "classifiers", mixinStandardHelpOptions = true,
            description = {"Tables 4, 8, 12: SGD and SHC classifiers on each layer of a backprop-trained network, and a CHL "
                    + "classifier (contrastive Hebbian learning; not in the paper); accuracy and epochs to convergence.", RESUMES})
    static final class Classifiers extends Base {
        @Override
        public Integer call() throws Exception {
            config = profile.resolve(null, null, null, warn());
            Workspace ws = workspace();
            return run(ws.identity(), () -> Map.of(profile.out, new ClassifiersExperiment(ws, profile.out).run()));
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true,
            description = {"All four experiments (layerwise, classifiers, retrain, hybrid) on one dataset, each base "
                    + "network trained once per seed and shared; tables in OUT/<experiment>/.", RESUMES})
    static final class All extends Base {
        @Option(names = "--methods", split = ",", description = "Layer-wise methods: bp, vae or any Hebbian rule (hpca, sanger, hwta, som, hebb, instar, oja; default: bp,hpca,hwta).")
        List<String> methods;

        @Option(names = "--rules", split = ",", description = "Hebbian rules of the hybrids (default: hpca,hwta).")
        List<String> rules;

        @Option(names = "--configs", split = ",", description = "Hybrid configurations (default: the network's; the paper's 16 for tryout).")
        List<String> configs;

        @Override
        public Integer call() throws Exception {
            config = profile.resolve(methods, rules, configs, warn());
            AllExperiments all = new AllExperiments(config, profile.out, log());
            all.workspace().keepFeatures(profile.keepFeatures);
            return run(workspace().identity(), () -> {
                Map<Path, ResultsTable> tables = new LinkedHashMap<>();
                all.run().forEach((name, table) -> tables.put(profile.out.resolve(name), table));
                return tables;
            });
        }
    }

    @Command(name = "beyond", mixinStandardHelpOptions = true,
            description = {"Published Hebbian protocols (SoftHebb, Miconi) side by side with the paper's figures: each runs "
                    + "as a layer-wise experiment of its own configuration in OUT/<protocol>/; the table OUT/beyond.md "
                    + "puts its readout's test accuracy beside the published one, with the time of each phase.", RESUMES})
    static final class Beyond extends Base {
        @Option(names = "--protocols", split = ",", description = "Protocols to run (default: those published on the dataset, softhebb and miconi on cifar10, softhebb on mnist; all on a dataset none was published on).")
        List<String> protocols;

        @Option(names = "--layerwise", description = "An experiment layerwise folder of the paper's network on the "
                + "same dataset: its HPCA and backprop figures fill our column of the paper's rows.")
        Path layerwise;

        @Override
        public Integer call() throws Exception {
            if (profile.protocol != null || profile.config != null) {
                throw new InputError("beyond runs each protocol's own configuration; --protocol and --config do not apply "
                        + "(use --protocols, and --set to change a setting of all of them)");
            }
            List<String> names = protocols;
            if (names == null) { // every protocol shares the command's dataset: read it from the first
                String dataset = profile.resolveOver(Protocol.named(Protocol.NAMES.get(0)).configuration(), null, null, null,
                        warn()).dataset;
                names = Protocol.defaultsFor(dataset);
            }
            Map<Protocol, ExperimentConfig> configs = new LinkedHashMap<>();
            for (String name : names) {
                Protocol p = Protocol.named(name);
                configs.put(p, profile.resolveOver(p.configuration(profile.paperDataset()), null, null, null, warn()));
            }
            java.util.Optional<ResultsTable> paper = java.util.Optional.empty();
            if (layerwise != null) {
                Path json = layerwise.resolve(ResultsTable.RESULTS_JSON);
                if (!java.nio.file.Files.isRegularFile(json)) {
                    throw new InputError("--layerwise " + layerwise + ": no " + ResultsTable.RESULTS_JSON
                            + " (give the --out folder of an experiment layerwise run)");
                }
                paper = java.util.Optional.of(ResultsTable.read(json));
            }
            config = configs.values().iterator().next();
            BeyondExperiment beyond = new BeyondExperiment(configs, paper, profile.out, log());
            return run(beyond.identity(), beyond::run);
        }
    }
}
