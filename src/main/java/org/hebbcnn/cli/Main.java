package org.hebbcnn.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Progress;
import org.hebbcnn.util.UserPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of the `hebbcnn` command line. */
@Command(
        name = "hebbcnn",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Hebbian learning rules for convolutional networks, side by side with backpropagation.",
        subcommands = {
            QuickstartCommand.class,
            DataCommand.class,
            KernelsCommand.class,
            BenchCommand.class,
            HpsearchCommand.class,
            ExperimentCommand.class,
            ReadoutCommand.class,
            ReportCommand.class,
            NetworkCommand.class,
            PlanCommand.class,
            TrainNodeCommand.class,
            SlurmCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @Option(names = "--debug", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    /** Applied when parsed, wherever it stands on the line (picocli copies it to every subcommand). */
    @Option(names = "--progress", paramLabel = "MODE", scope = CommandLine.ScopeType.INHERIT,
            description = "Progress display: auto (default: bar on a terminal, else lines), bar, lines (one plain "
                    + "line per tenth of a stage, at most every 30 s, for logs), none. Default from "
                    + "HEBBCNN_PROGRESS.")
    void setProgress(Progress.Mode mode) {
        Progress.setMode(mode);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (0 ok, 1 failure, 2 bad input). Used by tests too. */
    public static int execute(String... args) {
        Djl.init();
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        Progress.setMode(null); // each run starts from HEBBCNN_PROGRESS / auto
        CheckpointedTraining.setResumeFrom(0); // and without --from-epoch
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex, debug));
        return cli.execute(args);
    }

    static int handle(Exception ex, boolean debug) {
        Throwable root = ex;
        while (!(root instanceof InputError) && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (debug) {
            ex.printStackTrace();
        }
        if (root instanceof InputError) {
            System.err.println("hebbcnn: " + root.getMessage());
            return 2;
        }
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CheckpointedTraining.DivergedException d) {
                // A rate too high for this run: the user's setting, said in one line, not a bug.
                System.err.println("hebbcnn: " + d.getMessage());
                return 3;
            }
        }
        IOException disk = fileSystemFailure(ex);
        if (disk != null) {
            // A folder or file the user pointed us at that stopped being writable during the run
            // (disk full, remounted read-only, deleted): their environment, not a bug.
            System.err.println("hebbcnn: cannot write: " + UserPaths.reason(disk));
            return 2;
        }
        System.err.println("hebbcnn: internal error: " + ex + (debug ? "" : " (run with --debug for the stack trace)"));
        return 1;
    }

    /** A file-system failure (a FileSystemException, or a full or read-only disk) in the cause chain, or null. */
    static IOException fileSystemFailure(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FileSystemException f) {
                return f;
            }
            if (t instanceof IOException io && io.getMessage() != null
                    && (io.getMessage().contains("No space left on device") || io.getMessage().contains("Read-only file system")
                            || io.getMessage().contains("Disk quota exceeded"))) {
                return io;
            }
        }
        return null;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"hebbcnn " + (v == null ? "dev" : v), Djl.describeEngine()};
        }
    }
}
