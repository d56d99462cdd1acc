package org.hebbcnn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.hebbcnn.experiments.LinearReadoutExperiment;
import org.hebbcnn.experiments.RidgeExperiment;
import org.hebbcnn.training.RidgeReadout;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Readouts fitted on a finished run's frozen network, beside the probes its experiment trained. */
@Command(name = "readout", mixinStandardHelpOptions = true,
        description = "Readouts of a finished run's frozen network, beside the probes its experiment trained.",
        subcommands = {ReadoutCommand.Ridge.class, ReadoutCommand.Linear.class})
public final class ReadoutCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static void checkEpochAndSeed(String epoch, int seed) {
        if (!epoch.equals("last") && !epoch.equals("selected")) {
            throw new InputError("--epoch must be last or selected, got '" + epoch + "'");
        }
        if (seed < 0) {
            throw new InputError("--seed must be >= 0, got " + seed);
        }
    }

    /** Progress lines, printed as they come. */
    static Consumer<String> lines(PrintWriter w) {
        return line -> {
            w.println(line);
            w.flush();
        };
    }

    /** Which finished run, network and layers a readout reads. */
    static final class RunOptions {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "The --out folder of an experiment "
                + "layerwise or all, or one protocol's folder of experiment beyond (e.g. OUT/miconi, OUT/softhebb).")
        Path out;

        @Option(names = "--method", description = "The run's method (bp, hpca, hwta, ...; default: the run's only one).")
        String method;

        @Option(names = "--seed", defaultValue = "0", description = "The run's seed (default: ${DEFAULT-VALUE}).")
        int seed;

        @Option(names = "--layers", split = ",", paramLabel = "L", description = "Layers to read, e.g. 3 or 2,3 "
                + "(default: the top layer the run's probes read).")
        List<Integer> layers = new ArrayList<>();

        @Option(names = "--data-dir", paramLabel = "DIR", description = "The dataset's folder, when it is not where the "
                + "run found it.")
        Path dataDir;

        int[] layerArray() {
            return layers.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    @Command(name = "ridge", mixinStandardHelpOptions = true,
            description = {"Miconi's readout: a closed-form ridge regression (scikit-learn's Ridge: one-hot targets, "
                    + "intercept, argmax) on the frozen features of a run's network, rebuilt from its checkpoint; the "
                    + "alpha chosen on validation top-1. Prints a table and writes " + RidgeExperiment.FILE
                    + " beside the run's result.json.",
                "The features are computed once (a feature store in the run's folder, deleted afterwards)."})
    static final class Ridge implements Callable<Integer> {
        @CommandLine.Mixin
        RunOptions run;

        @Option(names = "--alpha", split = ",", paramLabel = "A", description = "Ridge strength, or a grid to choose from "
                + "on validation top-1, e.g. 1,10,100 (default: 1, scikit-learn's).")
        List<Double> alphas = new ArrayList<>(List.of(RidgeReadout.DEFAULT_ALPHA));

        @Option(names = "--flips", description = "Add a horizontally flipped copy of every training image to the fit "
                + "(Miconi's training-time flips).")
        boolean flips;

        @Option(names = "--epoch", defaultValue = "last", paramLabel = "last|selected", description = "The network at its "
                + "last epoch (Miconi's) or at its selected one (what the run's probes read; default: ${DEFAULT-VALUE}).")
        String epoch;

        @Option(names = "--memory-limit", defaultValue = "2", paramLabel = "GIB", description = "Refuse a layer whose "
                + "F x F float64 matrix needs more GiB (the fit holds a few such at once; default: ${DEFAULT-VALUE}).")
        double memoryLimitGib;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Djl.init();
            checkEpochAndSeed(epoch, run.seed);
            if (!(memoryLimitGib > 0)) {
                throw new InputError("--memory-limit must be > 0 GiB, got " + memoryLimitGib);
            }
            double[] grid = alphas.stream().mapToDouble(Double::doubleValue).toArray();
            RidgeReadout.checkAlphas(grid); // before anything is loaded
            PrintWriter w = spec.commandLine().getOut();
            Consumer<String> log = lines(w);
            RidgeExperiment.Settings settings = new RidgeExperiment.Settings(run.method, run.seed, run.layerArray(), grid,
                    flips, epoch.equals("last"),
                    (long) (memoryLimitGib * (1L << 30)));
            RidgeExperiment experiment = new RidgeExperiment(run.out, run.dataDir, log);
            RidgeExperiment.Report report = experiment.run(settings);
            w.println();
            w.print(report.toMarkdown());
            w.println("written: " + experiment.written());
            w.flush();
            return 0;
        }
    }

    @Command(name = "linear", mixinStandardHelpOptions = true,
            description = {"The run's own linear readout (its probes' optimiser, schedule, batch, L2 and dropout; SHC and "
                    + "CHL beside it) trained again on its frozen network, with what the experiment did not do: "
                    + "--flips adds the training images' horizontal mirror images to the readout's training set; "
                    + "--no-holdout trains on the validation images too; --epochs, --epoch last. Prints a table and "
                    + "writes readout-linear[-flips][-noholdout][-last].json beside the "
                    + "run's result.json.",
                "The features are computed once (a feature store in the readout's folder, deleted afterwards); the "
                    + "readout checkpoints every epoch and the same command resumes it."})
    static final class Linear implements Callable<Integer> {
        @CommandLine.Mixin
        RunOptions run;

        @Option(names = "--flips", description = "Train on the training images and their horizontal mirror images "
                + "(twice the images per epoch).")
        boolean flips;

        @Option(names = "--no-holdout", description = "Train on the validation images too and report the last epoch "
                + "(nothing is left to select on): SoftHebb's authors train their readout on all 50,000 CIFAR-10 "
                + "training images and report its last epoch.")
        boolean noHoldout;

        @Option(names = "--epochs", defaultValue = "0", description = "Readout epochs (default: the run's probe epochs).")
        int epochs;

        @Option(names = "--epoch", defaultValue = "selected", paramLabel = "last|selected", description = "The network "
                + "at its selected epoch (what the run's probes read; default) or at its last one.")
        String epoch;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Djl.init();
            checkEpochAndSeed(epoch, run.seed);
            PrintWriter w = spec.commandLine().getOut();
            Consumer<String> log = lines(w);
            LinearReadoutExperiment experiment = new LinearReadoutExperiment(run.out, run.dataDir, log);
            LinearReadoutExperiment.Report report = experiment.run(new LinearReadoutExperiment.Settings(run.method,
                    run.seed, run.layerArray(), epochs, flips, noHoldout, epoch.equals("last")));
            w.println();
            w.print(report.toMarkdown());
            w.println("written: " + experiment.written());
            w.flush();
            return 0;
        }
    }
}
