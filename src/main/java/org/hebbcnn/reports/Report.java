package org.hebbcnn.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.hebbcnn.reports.ReportDocument.TableSection;
import org.hebbcnn.reports.ReportSources.Found;
import org.hebbcnn.reports.ReportSources.FoundTable;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.InputError;

/**
 * One report over finished (or running) experiments: every {@code results.json} under the given
 * folders as a table beside the paper's figures, with plots, training curves and layer-1 kernels.
 *
 * <p>It writes {@code report.html}, a single self-contained page (inline CSS, images as data URIs)
 * that can be passed around as one file, and {@code report.md}, its Markdown twin, whose images are
 * the same bytes written to {@code img/} beside it. Both are rendered from one {@link
 * ReportDocument}, so they show the same tables and verdicts.
 *
 * <p>Use: {@code Report.build(List.of(Path.of("runs/mnist")), Path.of("report"))}, or
 * {@code hebbcnn report runs/mnist --out report}.
 */
public final class Report {
    public static final String HTML = "report.html";
    public static final String MARKDOWN = "report.md";
    public static final String IMG_DIR = "img";

    private Report() {}

    /**
     * What was written.
     *
     * @param html the HTML page
     * @param markdown the Markdown twin
     * @param tables number of tables in the report
     * @param figures number of figures (each a PNG, charts also an SVG, under {@code img/})
     * @param warnings things found but not readable, also listed in the report
     */
    public record Written(Path html, Path markdown, int tables, int figures, List<String> warnings) {}

    /**
     * Builds the report of {@code resultDirs} into {@code outDir} (created if needed). A folder that
     * does not exist or holds no {@code results.json} is an {@link InputError} naming it.
     */
    public static Written build(List<Path> resultDirs, Path outDir) throws IOException {
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new InputError(outDir + ": exists and is not a folder; the report needs a folder");
        }
        Found found = ReportSources.scan(resultDirs);
        ReportDocument doc = document(resultDirs, found);
        Path img = outDir.resolve(IMG_DIR);
        Files.createDirectories(img);
        for (ReportFigure f : doc.figures()) {
            writeBytes(img.resolve(f.pngFile()), f.png());
            if (f.svg() != null) {
                writeBytes(img.resolve(f.svgFile()), f.svg());
            }
        }
        Path md = outDir.resolve(MARKDOWN);
        AtomicFiles.writeString(md, ReportMarkdown.render(doc));
        Path html = outDir.resolve(HTML);
        AtomicFiles.writeString(html, ReportHtml.render(doc));
        return new Written(html, md, doc.tables().size(), doc.figures().size(), doc.warnings());
    }

    /** Lays the found material out as a document: tables first, then curves, then kernels. */
    static ReportDocument document(List<Path> resultDirs, Found found) {
        Function<String, String> names = uniqueNames();
        List<TableSection> sections = new ArrayList<>();
        int n = 0;
        for (FoundTable ft : found.tables()) {
            ResultsTable t = ft.table();
            List<ReportFigure> figures = new ArrayList<>();
            String base = t.dataset() + "-" + t.experiment();
            String caption = "Mean over " + t.seeds() + (t.seeds() == 1 ? " seed" : " seeds")
                    + (t.seeds() > 1 ? " with 95% confidence intervals" : "") + "; source " + ft.label() + ".";
            if (t.experiment().equals("layerwise")) {
                boolean classifierRows = t.rows().stream().anyMatch(r -> r.layer() != null
                        && r.layer() > ReportCharts.MAX_LAYER);
                ReportCharts.perLayer(t).ifPresent(c -> figures.add(ReportFigure.ofChart(c, names.apply(base),
                        "Accuracy per layer (" + t.dataset() + ")",
                        "Solid: ours; dashed, same colour: the paper. " + caption
                                + (classifierRows ? " Layer " + (ReportCharts.MAX_LAYER + 1)
                                        + " (the network's own classifier) is in the table only." : ""))));
            } else {
                ReportCharts.oursVsPaper(t).ifPresent(c -> figures.add(ReportFigure.ofChart(c, names.apply(base),
                        "Ours vs paper: " + t.experiment() + " (" + t.dataset() + ")",
                        "Circles: ours; diamonds: the paper; bars: 95% half-widths where known. " + caption)));
            }
            sections.add(new TableSection("table-" + (++n), ft.label(), t, ComparisonTable.of(t), figures));
        }
        List<String> warnings = new ArrayList<>(found.warnings());
        List<ReportFigure> curves = NetworkFigures.trainingCurves(found.networks(), names);
        List<ReportFigure> kernels = NetworkFigures.kernels(found.networks(), names, warnings);
        List<ReportFigure> reconstructions = NetworkFigures.reconstructions(found.networks(), names, warnings);
        return new ReportDocument(resultDirs.stream().map(Path::toString).toList(), sections, found.beyond(), curves, kernels,
                reconstructions, warnings);
    }

    /** Turns wished-for names into distinct, file-system-safe ones ("a/b c" -> "a-b-c", then "-2", "-3"). */
    static Function<String, String> uniqueNames() {
        Set<String> used = new HashSet<>();
        return wish -> {
            String base = wish.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
            base = base.isEmpty() ? "figure" : base.length() > 100 ? base.substring(0, 100) : base;
            String name = base;
            for (int i = 2; !used.add(name); i++) {
                name = base + "-" + i;
            }
            return name;
        };
    }

    private static void writeBytes(Path target, byte[] bytes) throws IOException {
        AtomicFiles.write(target, tmp -> Files.write(tmp, bytes));
    }
}
