package org.hebbcnn.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.hebbcnn.reports.ComparisonTable.Cell;
import org.hebbcnn.reports.ComparisonTable.Group;
import org.hebbcnn.reports.ComparisonTable.Line;
import org.hebbcnn.reports.ReportDocument.TableSection;

/**
 * Renders a {@link ReportDocument} as Markdown, the twin of the HTML page for places that show
 * Markdown (a repository, a pull request). Images are linked as files under {@value #IMG}, which
 * {@link Report} writes beside the Markdown. Markdown has no cell colours, so a diff carries its
 * verdict as a mark: {@value #MATCH_MARK} or {@value #BELOW_MARK}.
 */
final class ReportMarkdown {
    static final String IMG = "img/";
    static final String MATCH_MARK = "✓";
    static final String BELOW_MARK = "✗";

    private ReportMarkdown() {}

    static String render(ReportDocument doc) {
        StringBuilder m = new StringBuilder(1 << 14);
        m.append("# ").append(ReportDocument.TITLE).append("\n\n");
        m.append("Result folders: ").append(esc(String.join(", ", doc.inputs()))).append("\n\n");
        m.append(esc(ComparisonTable.RULE)).append(" In Markdown: ").append(MATCH_MARK).append(" green, ")
                .append(BELOW_MARK).append(" red.\n\n");
        for (TableSection s : doc.tables()) {
            section(m, s);
        }
        for (BeyondSection s : doc.beyond()) {
            m.append("## ").append(esc(s.title())).append("\n\n");
            m.append("Source: `").append(s.source()).append("`\n\n");
            m.append(row(BeyondSection.HEADER));
            m.append(row(BeyondSection.HEADER.stream().map(c -> "---").toList()));
            s.rows().forEach(r -> m.append(row(r)));
            m.append('\n');
            notes(m, s.notes());
        }
        if (!doc.curves().isEmpty()) {
            m.append("## Training curves\n\n");
            doc.curves().forEach(f -> figure(m, f));
        }
        if (!doc.kernels().isEmpty()) {
            m.append("## Layer-1 kernels\n\n");
            doc.kernels().forEach(f -> figure(m, f));
        }
        if (!doc.reconstructions().isEmpty()) {
            m.append("## ").append(ReportDocument.RECONSTRUCTIONS).append("\n\n");
            doc.reconstructions().forEach(f -> figure(m, f));
        }
        if (!doc.warnings().isEmpty()) {
            m.append("## Warnings\n\n");
            doc.warnings().forEach(w -> m.append("- ").append(esc(w)).append('\n'));
            m.append('\n');
        }
        return m.toString();
    }

    private static void section(StringBuilder m, TableSection s) {
        ResultsTable t = s.table();
        m.append("## ").append(esc(t.title())).append("\n\n");
        m.append("Source: `").append(s.source()).append("`\n\n");
        if (t.quick()) {
            m.append("**").append(ResultsTable.QUICK_BANNER)
                    .append("**: shortened runs, not comparable with the paper's figures as a reproduction.\n\n");
        }
        table(m, s.view());
        m.append(esc(ReportDocument.TABLE_LEGEND + " " + ReportDocument.paperSource(t)).strip()).append("\n\n");
        notes(m, t.notes());
        s.figures().forEach(f -> figure(m, f));
    }

    private static void notes(StringBuilder m, List<String> notes) {
        if (!notes.isEmpty()) {
            m.append("Notes:\n\n");
            notes.forEach(n -> m.append("- ").append(esc(n)).append('\n'));
            m.append('\n');
        }
    }

    private static void table(StringBuilder m, ComparisonTable v) {
        if (v.lines().isEmpty()) {
            m.append("(no results)\n\n");
            return;
        }
        List<String> header = new ArrayList<>(List.of(v.keyHeader()));
        for (Group g : v.groups()) {
            g.columns().forEach(c -> header.add(g.method() + " " + c));
        }
        m.append(row(header));
        List<String> rule = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            rule.add(i == 0 ? "---" : "---:");
        }
        m.append(row(rule));
        for (Line line : v.lines()) {
            List<String> cells = new ArrayList<>(List.of(line.key()));
            for (Cell c : line.cells()) {
                cells.add(switch (c.verdict()) {
                    case MATCH -> c.text() + " " + MATCH_MARK;
                    case BELOW -> c.text() + " " + BELOW_MARK;
                    case NONE -> c.text();
                });
            }
            m.append(row(cells));
        }
        m.append('\n');
    }

    private static void figure(StringBuilder m, ReportFigure f) {
        m.append("![").append(esc(f.title())).append("](").append(IMG).append(f.pngFile()).append(")\n\n");
        m.append("*").append(esc(f.title())).append(".* ").append(esc(f.caption()));
        if (f.svg() != null) {
            m.append(" ([SVG](").append(IMG).append(f.svgFile()).append("))");
        }
        m.append("\n\n");
    }

    private static String row(List<String> cells) {
        StringJoiner j = new StringJoiner(" | ", "| ", " |\n");
        cells.forEach(c -> j.add(esc(c)));
        return j.toString();
    }

    /** Backslash-escapes the characters Markdown would take for markup (including table pipes). */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\\`*_[]<>|#".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c == '\n' ? ' ' : c);
        }
        return b.toString();
    }
}
