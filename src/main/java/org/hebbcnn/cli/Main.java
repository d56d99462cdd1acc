package org.hebbcnn.cli;

import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
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
        CommandLine cli = new CommandLine(new Main());
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
        System.err.println("hebbcnn: internal error: " + ex + (debug ? "" : " (run with --debug for the stack trace)"));
        return 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"hebbcnn " + (v == null ? "dev" : v), Djl.describeEngine()};
        }
    }
}
