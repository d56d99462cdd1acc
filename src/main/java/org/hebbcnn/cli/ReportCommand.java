package org.hebbcnn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.hebbcnn.reports.Report;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.UserPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hebbcnn report DIR... --out REPORT_DIR}: one HTML page (and its Markdown twin) over the
 * experiments' results, so that a run can be judged against the paper without opening files by hand.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write report.html (self-contained) and report.md (+ img/) from experiment results.",
            "Every results.json under the folders becomes a table beside the paper's figures, with a plot; "
                    + "trained networks found there add training curves and layer-1 kernel grids."
        })
public final class ReportCommand implements Runnable {

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Result folders (searched recursively).")
    List<Path> dirs;

    @Option(names = "--out", required = true, paramLabel = "REPORT_DIR", description = "Folder to write the report to.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Report.Written w;
        UserPaths.outputFolder(out, "--out");
        try {
            w = Report.build(dirs, out);
        } catch (IOException e) {
            throw new InputError("report: " + e.getMessage(), e);
        }
        PrintWriter pw = spec.commandLine().getOut();
        pw.println("wrote " + w.html() + " (" + w.tables() + " table" + (w.tables() == 1 ? "" : "s") + ", "
                + w.figures() + " figure" + (w.figures() == 1 ? "" : "s") + ")");
        pw.println("wrote " + w.markdown() + " (images in " + w.markdown().resolveSibling(Report.IMG_DIR) + ")");
        pw.flush();
        PrintWriter err = spec.commandLine().getErr();
        w.warnings().forEach(m -> err.println("hebbcnn: warning: " + m));
        err.flush();
    }
}
