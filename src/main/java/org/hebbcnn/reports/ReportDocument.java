package org.hebbcnn.reports;

import java.util.List;

/**
 * The content of a report, independent of its format: {@link ReportHtml} and {@link ReportMarkdown}
 * render the same document, so the page and its Markdown twin cannot drift apart.
 *
 * @param inputs the result folders, as given
 * @param tables one section per {@code results.json}
 * @param beyond one section per {@code beyond.json}: published networks beside ours
 * @param curves training-curve figures
 * @param kernels layer-1 kernel figures
 * @param reconstructions the VAEs' reconstructions of test images
 * @param warnings what was found but could not be read
 */
record ReportDocument(List<String> inputs, List<TableSection> tables, List<BeyondSection> beyond, List<ReportFigure> curves,
        List<ReportFigure> kernels, List<ReportFigure> reconstructions, List<String> warnings) {

    /** The heading (and HTML anchor text) of the reconstructions section. */
    static final String RECONSTRUCTIONS = "VAE reconstructions";

    static final String TITLE = "hebbcnn report";

    /** What every accuracy table means, under each table (as in {@code table.md}). */
    static final String TABLE_LEGEND = "Accuracy in percent, mean ± 95% confidence half-width (Student's t) over the "
            + "seeds; diff = ours − paper (means, percentage points); " + ResultsTable.NO_PAPER
            + " = the paper has no figure.";

    /**
     * One experiment's table.
     *
     * @param id an anchor, unique in the document
     * @param source where the table came from (result folder name and path below it)
     * @param table the table as read
     * @param view its cells and verdicts
     * @param figures its plots
     */
    record TableSection(String id, String source, ResultsTable table, ComparisonTable view,
            List<ReportFigure> figures) {}

    /** Every figure, in document order. */
    List<ReportFigure> figures() {
        List<ReportFigure> all = new java.util.ArrayList<>();
        tables.forEach(t -> all.addAll(t.figures()));
        all.addAll(curves);
        all.addAll(kernels);
        all.addAll(reconstructions);
        return all;
    }

    /** The paper's citation, for tables of datasets the paper covers. */
    static String paperSource(ResultsTable t) {
        return PaperTables.metric(t.dataset()).isPresent() ? "Paper: " + PaperTables.source() + "." : "";
    }
}
