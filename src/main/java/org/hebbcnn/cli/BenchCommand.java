package org.hebbcnn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import ai.djl.ndarray.NDManager;
import me.tongfei.progressbar.ProgressBar;
import org.hebbcnn.bench.EpochBenchmark;
import org.hebbcnn.bench.RulesBenchmark;
import org.hebbcnn.data.ChannelNormalization;
import org.hebbcnn.data.Datasets;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.data.Splits;
import org.hebbcnn.architecture.LayerPlan;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.rules.PlasticityRule;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Progress;
import org.hebbcnn.util.UserPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures (speed goals are measured here, never in tests).",
        subcommands = {BenchCommand.RulesCmd.class, BenchCommand.EpochCmd.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "rules", mixinStandardHelpOptions = true,
            description = {"Times the forward pass alone and forward + plasticity update for every layer of the",
                "try-out network and each rule (median after warm-up); prints both and their ratio."})
    static final class RulesCmd implements Callable<Integer> {
        @Option(names = "--rules", split = ",", defaultValue = "hpca,hwta,shc", description = "Rules to time (default: ${DEFAULT-VALUE}).")
        List<String> rules;

        @Option(names = "--layers", split = ",", description = "Layers 1-6 to time (default: all).")
        List<Integer> layers;

        @Option(names = "--batch", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--repeats", defaultValue = "7", description = "Timed runs; the median is reported (default: ${DEFAULT-VALUE}).")
        int repeats;

        @Option(names = "--json", description = "Also write the results as JSON to this file.")
        Path json;

        @Option(names = "--network", defaultValue = "tryout", description = "Network preset whose layers are measured (default: tryout).")
        String network;

        @Override
        public Integer call() throws Exception {
            if (batch < 1 || repeats < 1 || warmup < 0) {
                throw new InputError("--batch and --repeats must be >= 1, --warmup >= 0");
            }
            if (json != null) {
                UserPaths.outputFile(json, "--json");
            }
            List<Supplier<PlasticityRule>> factories = rules.stream().map(Rules::byName).collect(Collectors.toList());
            List<LayerPlan> all = RulesBenchmark.layers(NetworkSpec.fromConfig(
                    com.fasterxml.jackson.databind.node.TextNode.valueOf(network)));
            List<LayerPlan> shapes = all.stream()
                    .filter(l -> layers == null || layers.contains(l.number())).collect(Collectors.toList());
            if (shapes.isEmpty()) {
                throw new InputError("--layers: no layer among 1-" + all.size() + " selected");
            }
            System.out.printf("bench rules: batch %d, %d warm-up + %d timed runs (median), %s, %d threads, %s%n", batch, warmup,
                    repeats, Djl.describeEngine(), Runtime.getRuntime().availableProcessors(),
                    org.hebbcnn.util.NativeAllocator.describe());
            List<RulesBenchmark.Result> results;
            try (NDManager m = Djl.newManager();
                    ProgressBar bar = Progress.bar("benchmark", (long) shapes.size() * factories.size())) {
                results = new RulesBenchmark(batch, warmup, repeats).run(m, shapes, factories, bar::step);
            }
            System.out.printf("%-32s %-8s %10s %18s %8s %15s%n", "layer", "rule", "forward ms", "forward+update ms", "ratio",
                    "y x^T alone ms");
            for (RulesBenchmark.Result r : results) {
                System.out.printf("%-32s %-8s %10.1f %18.1f %8.2f %15.1f%n", r.layer(), r.rule(), r.forwardMs(), r.updateMs(),
                        r.ratio(), r.correlateMs());
            }
            if (json != null) {
                Path parent = json.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), results);
                System.out.println("wrote " + json);
            }
            return 0;
        }
    }

    @Command(name = "epoch", mixinStandardHelpOptions = true,
            description = {"Wall time of one HPCA training epoch (all layers learning) over N training images",
                "against a forward-only pass over the same images, and the same for backprop; peak memory.",
                "Also the probes' cost: the frozen HPCA network's features stored once (on files), one probe epoch",
                "(SGD, SHC and CHL on layers 1-5) and its scoring from the store, scaled to the dataset's splits: 20 probe",
                "epochs against one forward pass over the three splits (goal: at most 1.5)."})
    static final class EpochCmd implements Callable<Integer> {
        @Option(names = "--dataset", defaultValue = "cifar10", description = "mnist or cifar10 (default: ${DEFAULT-VALUE}).")
        String dataset;

        @Option(names = "--data-dir", description = "Folder with the dataset's files (default: the fetched copy).")
        Path dataDir;

        @Option(names = "--images", defaultValue = "2048", description = "Training images per epoch (default: ${DEFAULT-VALUE}).")
        int images;

        @Option(names = "--batch", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--warmup", defaultValue = "0", description = "Untimed warm-up batches of each phase, run just "
                + "before it is timed; 0: a whole untimed pass (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--json", description = "Also write the results as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            if (images < 1 || batch < 1 || warmup < 0) {
                throw new InputError("--images and --batch must be >= 1, --warmup >= 0");
            }
            if (json != null) {
                UserPaths.outputFile(json, "--json");
            }
            Splits splits = Datasets.prepare(dataset, dataDir, 200);
            ImageSet train = splits.train();
            if (images > train.size()) {
                throw new InputError("--images " + images + ": the training split has only " + train.size());
            }
            ImageSet subset = train.select(java.util.stream.IntStream.range(0, images).toArray(), train.name());
            System.out.printf("bench epoch: %s, %d images, batch %d, %s, %d threads, %s%n", splits.datasetName(), images,
                    batch, Djl.describeEngine(), Runtime.getRuntime().availableProcessors(),
                    org.hebbcnn.util.NativeAllocator.describe());
            EpochBenchmark.Result r;
            try (Normalization norm = ChannelNormalization.fit(train); NDManager m = Djl.newManager()) {
                int[] sizes = {train.size(), splits.validation().size(), splits.test().size()};
                r = new EpochBenchmark(batch, warmup).run(m, splits.datasetName(), subset, norm, splits.numClasses(), sizes);
            }
            System.out.printf("%-26s %10s %12s %14s %14s%n", "phase", "seconds", "images/s", "peak RSS MiB", "peak heap MiB");
            for (EpochBenchmark.Phase p : r.phases()) {
                System.out.printf("%-26s %10.1f %12.1f %14d %14d%n", p.name(), p.seconds(), p.imagesPerSecond(), p.peakRssMiB(),
                        p.peakHeapMiB());
            }
            System.out.printf("HPCA epoch / forward-only: %.2f (goal <= 3)%n", r.hpcaRatio());
            System.out.printf("backprop epoch / forward-only: %.2f%n", r.backpropRatio());
            EpochBenchmark.ProbeCost p = r.probes();
            System.out.printf("%d probe epochs on all layers from the store, scaled to %d + %d + %d images: %.0f s "
                    + "(%.1f s per epoch); one hpca forward pass over the three splits: %.0f s; ratio %.2f (goal <= 1.5)%n",
                    EpochBenchmark.PROBE_EPOCHS, p.splitImages()[0], p.splitImages()[1], p.splitImages()[2],
                    p.twentyEpochsSeconds(), p.probeEpochSeconds(), p.forwardSeconds(), p.ratio());
            System.out.printf("with the feature extraction (%.0f s, once): %.2f%n", p.extractionSeconds(),
                    p.ratioWithExtraction());
            if (!r.perPhasePeaks()) {
                System.out.println("(peak RSS could not be reset between phases: figures are cumulative)");
            }
            if (json != null) {
                Path parent = json.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), r);
                System.out.println("wrote " + json);
            }
            return 0;
        }
    }
}
