package org.hebbcnn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hebbcnn.reports.KernelGrid;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Npy;
import org.hebbcnn.util.NpyArray;
import org.hebbcnn.util.UserPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hebbcnn kernels --weights W.npy --out W.png}: a layer's kernels as a PNG grid. */
@Command(
        name = "kernels",
        mixinStandardHelpOptions = true,
        description = {
            "Draw a layer's kernels as a grid of small images (PNG).",
            "Weights: a .npy of conv kernels [O, C, kh, kw], or a fully connected [O, K] with K = h*h (grey) or "
                    + "3*h*h (RGB, channel-first). Each kernel is contrast-stretched on its own (its min..max to "
                    + "black..white); C = 3 is drawn as RGB, C = 1 as grey, other C as the grey mean over channels."
        })
public final class KernelsCommand implements Runnable {

    @Option(names = "--weights", required = true, paramLabel = "FILE.npy", description = "Weights to draw (.npy).")
    Path weights;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "PNG to write.")
    Path out;

    @Option(names = "--columns", paramLabel = "N", description = "Kernels per row (default: near sqrt(O)).")
    Integer columns;

    @Option(names = "--scale", paramLabel = "S",
            description = "Integer upscaling of each kernel (default: about 30 px per kernel, e.g. 6 for 5x5).")
    Integer scale;

    @Option(names = "--separator", paramLabel = "PX", defaultValue = "2",
            description = "Width of the white lines between kernels, in px (default: ${DEFAULT-VALUE}).")
    int separator;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (columns != null && columns < 1) {
            throw new InputError("--columns must be at least 1, got " + columns);
        }
        if (scale != null && scale < 1) {
            throw new InputError("--scale must be at least 1, got " + scale);
        }
        if (separator < 0) {
            throw new InputError("--separator must be at least 0, got " + separator);
        }
        if (Files.isDirectory(out)) {
            throw new InputError(out + ": is a directory; --out wants a .png file name");
        }
        UserPaths.outputFile(out, "--out");
        NpyArray w = Npy.read(weights);
        KernelGrid.Options options = KernelGrid.Options.DEFAULT
                .withColumns(columns == null ? 0 : columns)
                .withScale(scale == null ? 0 : scale)
                .withSeparator(separator);
        KernelGrid.Layout layout;
        try {
            layout = KernelGrid.writePng(w, out, options);
        } catch (InputError e) {
            if (e.getMessage().startsWith("weights shape") || e.getMessage().startsWith("kernel grid")) {
                throw new InputError(weights + ": " + e.getMessage(), e);
            }
            throw e;
        }
        PrintWriter pw = spec.commandLine().getOut();
        pw.println("wrote " + out + ": " + layout.describe());
        pw.flush();
    }
}
