package org.hebbcnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.config.RunRecord;
import org.hebbcnn.grid.SlurmScripts;
import org.hebbcnn.util.InputError;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the grid commands ({@code plan}, {@code slurm submit}): those of {@code experiment
 * all}. Without {@code --config} and {@code --dataset}, the configuration recorded in the results
 * folder is used ({@code DIR/config.yaml}, else {@code DIR/slurm/config.yaml}).
 */
final class GridOptions {
    @Mixin
    ExperimentCommand.Profile profile;

    @Option(names = "--methods", split = ",", description = "Layer-wise methods: bp, vae or any Hebbian rule (default: bp,hpca,hwta).")
    List<String> methods;

    @Option(names = "--rules", split = ",", description = "Hebbian rules of the hybrids (default: hpca,hwta).")
    List<String> rules;

    @Option(names = "--configs", split = ",", description = "Hybrid configurations (default: the network's; the paper's 16 for tryout).")
    List<String> configs;

    /** The resolved configuration of the grid. */
    ExperimentConfig resolve() {
        if (profile.config == null && profile.dataset == null) {
            profile.config = recorded(profile.out).orElseThrow(() -> new InputError(profile.out + " records no "
                    + "configuration (config.yaml): give --config FILE or experiment all's flags (--dataset ...)"));
        }
        return profile.resolve(methods, rules, configs, line -> System.err.println("hebbcnn: warning: " + line));
    }

    /** The configuration a results folder records, if any. */
    static java.util.Optional<Path> recorded(Path out) {
        for (Path p : List.of(out.resolve(RunRecord.CONFIG), out.resolve(SlurmScripts.DIR).resolve(SlurmScripts.CONFIG))) {
            if (Files.isRegularFile(p)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    /** "24h", "30m", "90s", "2d" (a bare number is hours). */
    static Duration duration(String flag, String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            char unit = t.isEmpty() ? 'h' : t.charAt(t.length() - 1);
            String num = Character.isDigit(unit) ? t : t.substring(0, t.length() - 1);
            double v = Double.parseDouble(num);
            if (!(v > 0)) {
                throw new NumberFormatException();
            }
            long seconds = Math.round(v * switch (Character.isDigit(unit) ? 'h' : unit) {
                case 's' -> 1;
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> 86400;
                default -> throw new NumberFormatException();
            });
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw new InputError(flag + ": expected a positive duration such as 90s, 30m, 24h or 2d, got '" + s + "'");
        }
    }
}
