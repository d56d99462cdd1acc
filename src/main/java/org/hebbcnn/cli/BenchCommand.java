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
import org.hebbcnn.bench.RulesBenchmark;
import org.hebbcnn.layers.TryOutShapes.LayerShape;
import org.hebbcnn.rules.PlasticityRule;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures (speed goals are measured here, never in tests).",
        subcommands = {BenchCommand.RulesCmd.class})
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

        @Override
        public Integer call() throws Exception {
            if (batch < 1 || repeats < 1 || warmup < 0) {
                throw new InputError("--batch and --repeats must be >= 1, --warmup >= 0");
            }
            List<Supplier<PlasticityRule>> factories = rules.stream().map(Rules::byName).collect(Collectors.toList());
            List<LayerShape> shapes = RulesBenchmark.tryOutLayers().stream()
                    .filter(l -> layers == null || layers.contains(l.layer())).collect(Collectors.toList());
            if (shapes.isEmpty()) {
                throw new InputError("--layers: no layer among 1-6 selected");
            }
            System.out.printf("bench rules: batch %d, %d warm-up + %d timed runs (median), %s, %d threads%n", batch, warmup,
                    repeats, Djl.describeEngine(), Runtime.getRuntime().availableProcessors());
            List<RulesBenchmark.Result> results;
            try (NDManager m = Djl.newManager();
                    ProgressBar bar = Progress.bar("benchmark", (long) shapes.size() * factories.size())) {
                results = new RulesBenchmark(batch, warmup, repeats).run(m, shapes, factories, bar::step);
            }
            System.out.printf("%-32s %-6s %12s %18s %8s%n", "layer", "rule", "forward ms", "forward+update ms", "ratio");
            for (RulesBenchmark.Result r : results) {
                System.out.printf("%-32s %-6s %12.1f %18.1f %8.2f%n", r.layer(), r.rule(), r.forwardMs(), r.updateMs(), r.ratio());
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
}
