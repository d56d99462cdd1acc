package org.hebbcnn.reports;

import java.util.Base64;
import org.hebbcnn.reports.ComparisonTable.Cell;
import org.hebbcnn.reports.ComparisonTable.Group;
import org.hebbcnn.reports.ComparisonTable.Line;
import org.hebbcnn.reports.ReportDocument.TableSection;

/**
 * Renders a {@link ReportDocument} as one self-contained HTML page: the CSS is inline and every
 * image is a base64 {@code data:} URI, so the single file can be mailed, archived or opened from a
 * CI artifact with nothing beside it. Charts are shown as PNG (what was checked to render); their
 * SVG is embedded as a download link.
 */
final class ReportHtml {
    /** Background colours of diff cells, by verdict (also used by the render test). */
    static final String MATCH_BG = "#c8ecc9";
    static final String BELOW_BG = "#f6c6c6";

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;\
            background:#fafafa;color:#1d1d1f;line-height:1.45}
            main{max-width:1180px;margin:0 auto;padding:24px}
            h1{font-size:28px;margin:0 0 8px}h2{font-size:21px;margin:36px 0 6px;border-bottom:1px solid #ddd;\
            padding-bottom:4px}h3{font-size:17px;margin:20px 0 6px}
            .meta,.src,.legend{color:#555;font-size:14px}
            .banner{background:#fff3cd;border:1px solid #e0b800;color:#664d03;padding:8px 12px;font-weight:600;\
            border-radius:4px;display:inline-block}
            .rule{background:#fff;border-left:4px solid #888;padding:6px 12px;font-size:14px}
            .scroll{overflow-x:auto}
            table{border-collapse:collapse;background:#fff;font-size:14px;margin:8px 0;\
            font-variant-numeric:tabular-nums}
            th,td{border:1px solid #ccc;padding:4px 8px;white-space:nowrap}
            th{background:#eef1f5}td{text-align:right}td.key{text-align:left;font-weight:600}
            td.match{background:%s}td.below{background:%s}
            th.method{text-align:center;border-bottom:2px solid #999}
            figure{margin:16px 0;background:#fff;border:1px solid #ddd;padding:8px;display:inline-block;\
            max-width:100%%;box-sizing:border-box}
            figure img{max-width:100%%;height:auto;display:block}
            figcaption{font-size:13px;color:#444;margin-top:4px;max-width:960px}
            .kernels figure{max-width:48%%;vertical-align:top;margin-right:1%%}
            .kernels figure img{width:100%%;image-rendering:pixelated}
            .warn{color:#8a1c1c}
            nav ul{columns:2;font-size:14px}
            """.formatted(MATCH_BG, BELOW_BG);

    private ReportHtml() {}

    static String render(ReportDocument doc) {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(ReportDocument.TITLE)).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>").append(esc(ReportDocument.TITLE)).append("</h1>\n");
        h.append("<p class=\"meta\">Result folders: ").append(esc(String.join(", ", doc.inputs()))).append("</p>\n");
        contents(h, doc);
        h.append("<p class=\"rule\">").append(esc(ComparisonTable.RULE)).append("</p>\n");
        for (TableSection s : doc.tables()) {
            section(h, s);
        }
        for (int i = 0; i < doc.beyond().size(); i++) {
            beyond(h, doc.beyond().get(i), beyondId(i));
        }
        if (!doc.curves().isEmpty()) {
            h.append("<section id=\"training\">\n<h2>Training curves</h2>\n");
            doc.curves().forEach(f -> figure(h, f));
            h.append("</section>\n");
        }
        if (!doc.kernels().isEmpty()) {
            h.append("<section id=\"kernels\" class=\"kernels\">\n<h2>Layer-1 kernels</h2>\n");
            doc.kernels().forEach(f -> figure(h, f));
            h.append("</section>\n");
        }
        if (!doc.reconstructions().isEmpty()) {
            h.append("<section id=\"reconstructions\" class=\"kernels\">\n<h2>")
                    .append(esc(ReportDocument.RECONSTRUCTIONS)).append("</h2>\n");
            doc.reconstructions().forEach(f -> figure(h, f));
            h.append("</section>\n");
        }
        if (!doc.warnings().isEmpty()) {
            h.append("<section id=\"warnings\">\n<h2>Warnings</h2>\n<ul class=\"warn\">\n");
            doc.warnings().forEach(w -> h.append("<li>").append(esc(w)).append("</li>\n"));
            h.append("</ul>\n</section>\n");
        }
        return h.append("</main>\n</body>\n</html>\n").toString();
    }

    private static void beyond(StringBuilder h, BeyondSection s, String id) {
        h.append("<section id=\"").append(id).append("\">\n<h2>").append(esc(s.title())).append("</h2>\n");
        h.append("<p class=\"src\">").append(esc(s.source())).append("</p>\n<table>\n<thead><tr>");
        BeyondSection.HEADER.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr></thead>\n<tbody>\n");
        for (java.util.List<String> r : s.rows()) {
            h.append("<tr>");
            r.forEach(c -> h.append("<td>").append(esc(c)).append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        notes(h, s.notes());
        h.append("</section>\n");
    }

    /** The anchor of the document's i-th beyond table (0-based), for the section and the contents. */
    private static String beyondId(int i) {
        return "beyond-" + (i + 1);
    }

    private static void notes(StringBuilder h, java.util.List<String> notes) {
        if (!notes.isEmpty()) {
            h.append("<h3>Notes</h3>\n<ul>\n");
            notes.forEach(n -> h.append("<li>").append(esc(n)).append("</li>\n"));
            h.append("</ul>\n");
        }
    }

    private static void contents(StringBuilder h, ReportDocument doc) {
        h.append("<nav><ul>\n");
        for (TableSection s : doc.tables()) {
            h.append("<li><a href=\"#").append(s.id()).append("\">").append(esc(s.table().title())).append("</a></li>\n");
        }
        for (int i = 0; i < doc.beyond().size(); i++) {
            h.append("<li><a href=\"#").append(beyondId(i)).append("\">").append(esc(doc.beyond().get(i).title()))
                    .append("</a></li>\n");
        }
        if (!doc.curves().isEmpty()) {
            h.append("<li><a href=\"#training\">Training curves</a></li>\n");
        }
        if (!doc.kernels().isEmpty()) {
            h.append("<li><a href=\"#kernels\">Layer-1 kernels</a></li>\n");
        }
        if (!doc.reconstructions().isEmpty()) {
            h.append("<li><a href=\"#reconstructions\">").append(esc(ReportDocument.RECONSTRUCTIONS))
                    .append("</a></li>\n");
        }
        h.append("</ul></nav>\n");
    }

    private static void section(StringBuilder h, TableSection s) {
        ResultsTable t = s.table();
        h.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(esc(t.title())).append("</h2>\n");
        h.append("<p class=\"src\">").append(esc(s.source())).append("</p>\n");
        if (t.quick()) {
            h.append("<p class=\"banner\">").append(esc(ResultsTable.QUICK_BANNER))
                    .append(": shortened runs, not comparable with the paper's figures as a reproduction.</p>\n");
        }
        table(h, s.view());
        h.append("<p class=\"legend\">").append(esc(ReportDocument.TABLE_LEGEND + " " + ReportDocument.paperSource(t)))
                .append("</p>\n");
        notes(h, t.notes());
        s.figures().forEach(f -> figure(h, f));
        h.append("</section>\n");
    }

    private static void table(StringBuilder h, ComparisonTable v) {
        if (v.lines().isEmpty()) {
            h.append("<p>(no results)</p>\n");
            return;
        }
        h.append("<div class=\"scroll\"><table>\n<thead>\n<tr><th rowspan=\"2\">").append(esc(v.keyHeader()))
                .append("</th>");
        for (Group g : v.groups()) {
            h.append("<th class=\"method\" colspan=\"").append(g.columns().size()).append("\">").append(esc(g.method()))
                    .append("</th>");
        }
        h.append("</tr>\n<tr>");
        for (Group g : v.groups()) {
            g.columns().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        }
        h.append("</tr>\n</thead>\n<tbody>\n");
        for (Line line : v.lines()) {
            h.append("<tr><td class=\"key\">").append(esc(line.key())).append("</td>");
            for (Cell c : line.cells()) {
                h.append(switch (c.verdict()) {
                    case MATCH -> "<td class=\"match\">";
                    case BELOW -> "<td class=\"below\">";
                    case NONE -> "<td>";
                }).append(esc(c.text())).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table></div>\n");
    }

    private static void figure(StringBuilder h, ReportFigure f) {
        h.append("<figure id=\"fig-").append(esc(f.name())).append("\">\n<img src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(f.png())).append("\" alt=\"").append(esc(f.title()))
                .append("\" width=\"").append(f.width()).append("\" height=\"").append(f.height()).append("\">\n");
        h.append("<figcaption><strong>").append(esc(f.title())).append(".</strong> ").append(esc(f.caption()));
        if (f.svg() != null) {
            // SVGs (XChart writes text as outlines: ~10x the PNG) stay beside the page, not inside it.
            h.append(" <a href=\"").append(esc(ReportMarkdown.IMG + f.svgFile())).append("\">SVG</a>");
        }
        h.append("</figcaption>\n</figure>\n");
    }

    /** Escapes text for HTML element content and double-quoted attributes (the only kind written here). */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
