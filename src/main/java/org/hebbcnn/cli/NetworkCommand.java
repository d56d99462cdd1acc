package org.hebbcnn.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.data.NetworkInput;
import org.hebbcnn.util.InputError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code network describe}: the layer table of a network spec, without data or training. */
@Command(name = "network", mixinStandardHelpOptions = true,
        description = "Networks as data: the presets (tryout, wide3, softhebb, softhebb-wide, miconi) or a spec under 'network' in a config file.",
        subcommands = {NetworkCommand.Describe.class})
public final class NetworkCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = {"Prints a network's layers: input and output shapes, weights, multiply-adds per image and "
                    + "each probe's feature size, for the dataset's images (every dataset is fed as "
                    + NetworkInput.CHANNELS + "x" + NetworkInput.SIDE + "x" + NetworkInput.SIDE + ").",
                "Without --config or --set network=..., every preset is described."})
    static final class Describe implements Callable<Integer> {
        @Option(names = "--config", description = "A configuration file whose 'network' is described.")
        Path config;

        @Option(names = "--set", description = "key=value over the configuration, e.g. network=wide3; repeatable.")
        List<String> sets = new ArrayList<>();

        @Option(names = "--dataset", description = "mnist, cifar10 or cifar100: sets the number of classes "
                + "(default: the configuration's).")
        String dataset;

        @Override
        public Integer call() {
            ExperimentConfig c = (config != null ? ExperimentConfig.load(config) : new ExperimentConfig()).with(sets);
            String d = (dataset != null ? dataset : c.dataset).toLowerCase(Locale.ROOT).replace("-", "");
            int classes = switch (d) {
                case "mnist", "cifar10" -> 10;
                case "cifar100" -> 100;
                default -> throw new InputError("--dataset: unknown dataset '" + d + "' (known: mnist, cifar10, cifar100)");
            };
            long[] input = {NetworkInput.CHANNELS, NetworkInput.SIDE, NetworkInput.SIDE};
            boolean chosen = config != null || sets.stream().anyMatch(s -> s.trim().startsWith("network"));
            List<NetworkSpec> specs = chosen ? List.of(c.networkSpec())
                    : NetworkSpec.PRESETS.stream().map(NetworkSpec::preset).toList();
            for (int i = 0; i < specs.size(); i++) {
                System.out.print((i > 0 ? System.lineSeparator() : "") + specs.get(i).plan(input, classes).describe());
            }
            return 0;
        }
    }
}
