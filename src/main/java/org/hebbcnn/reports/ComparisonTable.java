package org.hebbcnn.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hebbcnn.util.Statistics;
import org.hebbcnn.reports.ResultsTable.Row;

/**
 * A {@link ResultsTable} laid out for reading, once, so that the HTML page and its Markdown twin show
 * the same cells and the same verdicts: one line per layer or config, per method the columns ours
 * (mean ± ci95), paper and diff, plus epochs (ours / paper) and a secondary top-1 where the table
 * has them - the layout of {@code table.md}.
 *
 * <p>Each diff gets a {@link Verdict} by {@link #RULE}: "as good as the paper" when our mean is at
 * least the paper's mean minus both 95% half-widths, else "below". The half-widths are added
 * because both figures are estimates; a missing one (a single seed, or no paper half-width) counts
 * as zero, which makes the rule strict for single-seed runs.
 *
 * @param keyHeader "layer", "config", or "key" when a table mixes both
 * @param groups one per method, in the table's order, with its column names
 * @param lines one per layer or config, in the table's order
 */
record ComparisonTable(String keyHeader, List<Group> groups, List<Line> lines) {

    /** The colour rule, in words, for the page. */
    static final String RULE = "Diff colours: green when ours ≥ paper − (our ci95 + paper ci95), i.e. at or above "
            + "the paper within the combined 95% half-widths; red when below that; no colour when the paper has no "
            + "figure. A missing half-width (a single seed) counts as 0.";

    static final String OURS = "ours";
    static final String PAPER = "paper";
    static final String DIFF = "diff";
    static final String EPOCHS = "epochs (ours / paper)";
    static final String TOP1 = "ours top1";

    /** How our figure compares with the paper's. */
    enum Verdict {
        /** ours >= paper - (ci95 ours + ci95 paper). */
        MATCH,
        /** Clearly below the paper (or our figure is not finite: a diverged run). */
        BELOW,
        /** Not a compared figure, or the paper has none. */
        NONE
    }

    /** A method's columns. */
    record Group(String method, List<String> columns) {}

    /** A shown value; {@code verdict} is NONE except on diff cells. */
    record Cell(String text, Verdict verdict) {
        static Cell plain(String text) {
            return new Cell(text, Verdict.NONE);
        }
    }

    /** One layer or config: its key and, per group, one cell per column. */
    record Line(String key, List<Cell> cells) {}

    static ComparisonTable of(ResultsTable t) {
        Map<String, Row> byCell = new LinkedHashMap<>();
        Set<String> methods = new LinkedHashSet<>();
        Set<String> keys = new LinkedHashSet<>();
        Set<String> keyNames = new LinkedHashSet<>();
        for (Row r : t.rows()) {
            byCell.put(r.method() + "\u0000" + r.key(), r);
            methods.add(r.method());
            keys.add(r.key());
            keyNames.add(r.keyName());
        }
        List<Group> groups = new ArrayList<>();
        for (String m : methods) {
            List<String> cols = new ArrayList<>(List.of(OURS, PAPER, DIFF));
            List<Row> rows = t.rows().stream().filter(r -> r.method().equals(m)).toList();
            if (rows.stream().anyMatch(r -> r.epochs() != null || r.paperEpochs() != null)) {
                cols.add(EPOCHS);
            }
            if (rows.stream().anyMatch(r -> r.top1() != null)) {
                cols.add(TOP1);
            }
            groups.add(new Group(m, List.copyOf(cols)));
        }
        List<Line> lines = new ArrayList<>();
        for (String k : keys) {
            List<Cell> cells = new ArrayList<>();
            for (Group g : groups) {
                Row r = byCell.get(g.method() + "\u0000" + k);
                for (String col : g.columns()) {
                    cells.add(r == null ? Cell.plain("") : cell(r, col));
                }
            }
            lines.add(new Line(k, List.copyOf(cells)));
        }
        String keyHeader = keyNames.size() == 1 ? keyNames.iterator().next() : "key";
        return new ComparisonTable(keyHeader, List.copyOf(groups), List.copyOf(lines));
    }

    private static Cell cell(Row r, String column) {
        return switch (column) {
            case OURS -> Cell.plain(r.ours().format());
            case PAPER -> Cell.plain(r.paper() == null ? ResultsTable.NO_PAPER
                    : Statistics.format(r.paper(), r.paperCi95() == null ? Double.NaN : r.paperCi95()));
            case DIFF -> new Cell(r.paper() == null ? ResultsTable.NO_PAPER
                    : r.diff().map(ResultsTable::signed2).orElse("n/a"), verdict(r));
            case EPOCHS -> Cell.plain((r.epochs() == null ? "n/a" : trim1(r.epochs())) + " / "
                    + (r.paperEpochs() == null ? ResultsTable.NO_PAPER : r.paperEpochs().toString()));
            case TOP1 -> Cell.plain(r.top1() == null ? "" : r.top1().format());
            default -> throw new IllegalArgumentException(column);
        };
    }

    /** The verdict of {@link #RULE} for a row. */
    static Verdict verdict(Row r) {
        if (r.paper() == null) {
            return Verdict.NONE;
        }
        double ours = r.ours().mean();
        if (!Double.isFinite(ours)) {
            return Verdict.BELOW;
        }
        double margin = (r.ours().hasCi() ? r.ours().ci95() : 0) + (r.paperCi95() == null ? 0 : r.paperCi95());
        return ours >= r.paper() - margin ? Verdict.MATCH : Verdict.BELOW;
    }

    private static String trim1(double x) {
        String s = String.format(java.util.Locale.ROOT, "%.1f", x);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
