package org.hebbcnn.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A "beyond the paper" table ({@code beyond.json}, written by {@code experiment beyond}) as the
 * report and {@code beyond.md} show it: each network's test top-1 here beside its published figure,
 * and the wall time of its unsupervised phase, feature extraction and readout. The cells are
 * formatted here only, from the JSON, so the report and {@code beyond.md} cannot disagree.
 *
 * @param source where it came from (result folder name and path below it)
 * @param dataset the dataset's name
 * @param reduced whether the runs were a quick profile
 * @param rows one row of {@link #HEADER} cells per network
 * @param notes the table's notes
 */
public record BeyondSection(String source, String dataset, boolean reduced, List<List<String>> rows,
        List<String> notes) {
    public static final String RESULTS_JSON = "beyond.json";
    public static final List<String> HEADER = List.of("network", "what", "ours (test top-1 %)", "published",
            "unsupervised", "features", "readout");
    private static final ObjectMapper JSON = new ObjectMapper();

    public String title() {
        return "Beyond the paper: " + dataset + (reduced ? " (" + ResultsTable.QUICK_BANNER + ")" : "");
    }

    /** Reads a {@code beyond.json}; {@code source} labels it in the report. */
    public static BeyondSection read(Path file, String source) throws IOException {
        return of(JSON.readTree(file.toFile()), source);
    }

    /** The section of a beyond table's JSON form. */
    public static BeyondSection of(JsonNode root, String source) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : root.path("rows")) {
            JsonNode ours = r.path("ours");
            String oursText = ours.isMissingNode() || ours.isNull() ? ResultsTable.NO_PAPER
                    : ours.path("n").asInt() > 1
                            ? String.format(Locale.ROOT, "%.2f ± %.2f (%d seeds)", ours.path("mean").asDouble(),
                                    ours.path("ci95").asDouble(), ours.path("n").asInt())
                            : String.format(Locale.ROOT, "%.2f", ours.path("mean").asDouble());
            JsonNode published = r.path("published");
            rows.add(List.of(r.path("name").asText(), r.path("what").asText(), oursText,
                    published.isNumber() ? String.format(Locale.ROOT, "%.2f", published.asDouble()) : ResultsTable.NO_PAPER,
                    time(r.path("unsupervised")), time(r.path("features")), time(r.path("readout"))));
        }
        List<String> notes = new ArrayList<>();
        root.path("notes").forEach(n -> notes.add(n.asText()));
        return new BeyondSection(source, root.path("dataset").asText(), root.path("reduced").asBoolean(), rows, notes);
    }

    /** Seconds as "42 s" or "3.5 min"; unknown (NaN, written by Jackson as the string "NaN") as the no-figure mark. */
    private static String time(JsonNode seconds) {
        double s = seconds.isNumber() ? seconds.asDouble() : Double.NaN;
        if (Double.isNaN(s)) {
            return ResultsTable.NO_PAPER;
        }
        return s < 120 ? String.format(Locale.ROOT, "%.0f s", s) : String.format(Locale.ROOT, "%.1f min", s / 60);
    }

    /** The table as {@code beyond.md} holds it: heading, table, notes. */
    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(title()).append("\n\n");
        b.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (List<String> r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        b.append('\n');
        for (String n : notes) {
            b.append("- ").append(n).append('\n');
        }
        return b.toString();
    }
}
