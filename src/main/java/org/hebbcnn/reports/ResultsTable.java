package org.hebbcnn.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hebbcnn.util.AtomicFiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.hebbcnn.util.Statistics;
import org.hebbcnn.util.Statistics.Summary;
import org.hebbcnn.util.InputError;

/**
 * One experiment's results beside the paper's figures, written to a directory as three files:
 *
 * <ul>
 *   <li>{@code results.json} - the data, read back by {@link #read(Path)};
 *   <li>{@code table.md} - a Markdown table, one line per layer or config, per method the columns
 *       "ours" (mean ± ci95), "paper" and "diff" (ours - paper, signed, 2 decimals);
 *   <li>{@code table.csv} - long format, one line per (method, key, metric), header
 *       {@code experiment,dataset,method,key,metric,mean,ci95,paper,paper_ci95,diff,runs} followed
 *       by {@code epochs,paper_epochs,quick}.
 * </ul>
 *
 * Each file is written atomically ({@link AtomicFiles}). Accuracies are in percent. A missing value
 * (no paper figure, the ci95 of a single run) is {@code null} in JSON, "—" (paper) or "n/a" (ci95) in
 * Markdown and empty in CSV.
 *
 * <p>Paper figures are filled in by the {@link Builder} from {@link PaperTables}, only where the
 * row's metric is the paper's metric for the dataset (CIFAR-100: top5), so that a top-1 figure is
 * never compared with a top-5 one.
 *
 * @param experiment layerwise, hybrid, retrain or classifiers (see {@link #EXPERIMENTS}); other names
 *     are allowed but get no paper figures
 * @param dataset the dataset name as the user gave it (mnist, cifar10, cifar100, or their own)
 * @param quick whether the run used the quick profile rather than the paper's schedule
 * @param seeds number of seeds (runs) per row that the experiment was asked for
 * @param notes free-text remarks listed under the table, e.g. "epochs capped at 5 (paper: 20)"
 * @param rows the results, in display order
 */
public record ResultsTable(String experiment, String dataset, boolean quick, int seeds, List<String> notes,
        List<ResultsTable.Row> rows) {

    /** Experiment names that have paper figures. */
    public static final Set<String> EXPERIMENTS = Set.of("layerwise", "hybrid", "retrain", "classifiers");

    public static final String RESULTS_JSON = "results.json";
    public static final String TABLE_MD = "table.md";
    public static final String TABLE_CSV = "table.csv";

    public static final String QUICK_BANNER = "QUICK PROFILE (not the paper's schedule)";

    /** The CSV header. The first eleven columns are the agreed long format. */
    public static final String CSV_HEADER =
            "experiment,dataset,method,key,metric,mean,ci95,paper,paper_ci95,diff,runs,epochs,paper_epochs,quick";

    /** Shown in Markdown where the paper has no figure. */
    public static final String NO_PAPER = "—";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ResultsTable {
        if (experiment == null || experiment.isBlank()) {
            throw new IllegalArgumentException("experiment name is empty");
        }
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("dataset name is empty");
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        }
        notes = List.copyOf(notes == null ? List.of() : notes);
        rows = List.copyOf(rows == null ? List.of() : rows);
        Set<String> seen = new HashSet<>();
        for (Row r : rows) {
            if (!seen.add(r.method() + "\u0000" + r.key())) {
                throw new IllegalArgumentException("two rows for method " + r.method() + " at " + r.keyName() + " "
                        + r.key());
            }
        }
    }

    /**
     * One method at one layer or config.
     *
     * @param method method name as the experiment names it (bp, vae, hpca, hwta; a hybrid's rule; a
     *     retrain method such as "HPCA+SHC"; SGD or SHC for classifiers)
     * @param layer the layer (1-based), or null when the row is keyed by config
     * @param config the config string (e.g. "HHBBBG"), or null when the row is keyed by layer
     * @param metric "top1" or "top5": what {@code ours} and the paper figure measure
     * @param ours our mean ± ci95 over the seeds, with the runs
     * @param paper the paper's mean, or null when it has none
     * @param paperCi95 the paper's 95% half-width, or null
     * @param epochs mean over seeds of our epochs to convergence (epoch of best validation), or null
     * @param paperEpochs the paper's epochs to convergence, or null
     * @param top1 a secondary top-1 summary when the metric is top5 (CIFAR-100), or null
     */
    public record Row(String method, Integer layer, String config, String metric, Summary ours, Double paper,
            Double paperCi95, Double epochs, Integer paperEpochs, Summary top1) {

        public Row {
            if (method == null || method.isBlank()) {
                throw new IllegalArgumentException("row without a method");
            }
            if ((layer == null) == (config == null)) {
                throw new IllegalArgumentException("a row has either a layer or a config (method " + method + ")");
            }
            if (config != null && config.isBlank()) {
                throw new IllegalArgumentException("empty config (method " + method + ")");
            }
            if (metric == null || metric.isBlank()) {
                throw new IllegalArgumentException("row without a metric (method " + method + ")");
            }
            Objects.requireNonNull(ours, "ours");
            // Non-finite optional numbers are stored as "absent" so that JSON (null) round-trips.
            paper = finiteOrNull(paper);
            paperCi95 = paper == null ? null : finiteOrNull(paperCi95);
            epochs = finiteOrNull(epochs);
        }

        private static Double finiteOrNull(Double x) {
            return x == null || !Double.isFinite(x) ? null : x;
        }

        /** A row keyed by layer, with no paper figure, epochs or secondary metric yet. */
        public static Row forLayer(String method, int layer, String metric, Summary ours) {
            return new Row(method, layer, null, metric, ours, null, null, null, null, null);
        }

        /** A row keyed by config, with no paper figure, epochs or secondary metric yet. */
        public static Row forConfig(String method, String config, String metric, Summary ours) {
            return new Row(method, null, config, metric, ours, null, null, null, null, null);
        }

        public Row withPaper(Double paper, Double paperCi95) {
            return new Row(method, layer, config, metric, ours, paper, paperCi95, epochs, paperEpochs, top1);
        }

        public Row withEpochs(Double epochs) {
            return new Row(method, layer, config, metric, ours, paper, paperCi95, epochs, paperEpochs, top1);
        }

        public Row withPaperEpochs(Integer paperEpochs) {
            return new Row(method, layer, config, metric, ours, paper, paperCi95, epochs, paperEpochs, top1);
        }

        public Row withTop1(Summary top1) {
            return new Row(method, layer, config, metric, ours, paper, paperCi95, epochs, paperEpochs, top1);
        }

        /** The layer number or the config, as text. */
        public String key() {
            return layer != null ? layer.toString() : config;
        }

        /** "layer" or "config". */
        public String keyName() {
            return layer != null ? "layer" : "config";
        }

        /** ours - paper (means), or empty when the paper has no figure or ours is not finite. */
        public Optional<Double> diff() {
            if (paper == null || !Double.isFinite(ours.mean())) {
                return Optional.empty();
            }
            return Optional.of(ours.mean() - paper);
        }
    }

    /**
     * Starts a table for {@code experiment} on {@code dataset}: not quick, and, until {@link
     * Builder#seeds} is called, as many seeds as the row with the most runs.
     */
    public static Builder builder(String experiment, String dataset) {
        return new Builder(experiment, dataset);
    }

    /** Collects rows and fills in the paper's figures. */
    public static final class Builder {
        private boolean paperNetwork = true;
        private final String experiment;
        private final String dataset;
        private boolean quick;
        private int seeds; // 0: infer from the rows
        private final List<String> notes = new ArrayList<>();
        private final List<Row> rows = new ArrayList<>();

        private Builder(String experiment, String dataset) {
            this.experiment = experiment;
            this.dataset = dataset;
        }

        public Builder quick(boolean quick) {
            this.quick = quick;
            return this;
        }

        /** Number of seeds the experiment was asked for (at least 1). */
        public Builder seeds(int seeds) {
            if (seeds < 1) {
                throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
            }
            this.seeds = seeds;
            return this;
        }

        public Builder note(String note) {
            if (note != null && !note.isBlank()) {
                notes.add(note);
            }
            return this;
        }

        /**
         * Whether the runs used the paper's network: the paper's figures are shown beside rows only
         * then (another network's layer 3 is not the paper's layer 3).
         */
        public Builder paperNetwork(boolean paper, String networkName) {
            this.paperNetwork = paper;
            if (!paper) {
                note("Network '" + networkName + "' is not the paper's try-out network: no paper figures are shown.");
            }
            return this;
        }

        /** The metric rows get by default: the paper's for this dataset, else top1. */
        public String defaultMetric() {
            return PaperTables.metric(dataset).orElse("top1");
        }

        /** Adds a row keyed by layer in the default metric, with the paper's figure if it has one. */
        public Builder layer(String method, int layer, Summary ours) {
            return add(Row.forLayer(method, layer, defaultMetric(), ours));
        }

        /** Adds a row keyed by config in the default metric, with the paper's figure if it has one. */
        public Builder config(String method, String config, Summary ours) {
            return add(Row.forConfig(method, config, defaultMetric(), ours));
        }

        /**
         * Adds a row. Where the row has no paper figure yet and its metric is the paper's metric for the
         * dataset, the paper's figure (and, for retrain and classifiers, its epochs) is filled in.
         */
        public Builder add(Row row) {
            Row r = row;
            boolean sameMetric = paperNetwork && PaperTables.metric(dataset).map(m -> m.equals(row.metric())).orElse(false);
            if (sameMetric && r.paper() == null) {
                Optional<PaperTables.Value> p = PaperTables.lookup(experiment, dataset, r.method(), r.key());
                if (p.isPresent()) {
                    r = r.withPaper(p.get().mean(), p.get().ci95());
                }
            }
            if (sameMetric && r.paperEpochs() == null) {
                Optional<Integer> e = PaperTables.lookupEpochs(experiment, dataset, r.method(), r.key());
                if (e.isPresent()) {
                    r = r.withPaperEpochs(e.get());
                }
            }
            rows.add(r);
            return this;
        }

        public ResultsTable build() {
            int n = seeds;
            if (n == 0) {
                n = Math.max(1, rows.stream().mapToInt(r -> r.ours().n()).max().orElse(1));
            }
            return new ResultsTable(experiment, dataset, quick, n, notes, rows);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    /**
     * Writes {@code table.md}, {@code table.csv} and then {@code results.json} into {@code dir}
     * (created if needed), each atomically.
     */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(TABLE_MD), toMarkdown());
        AtomicFiles.writeString(dir.resolve(TABLE_CSV), toCsv());
        AtomicFiles.writeString(dir.resolve(RESULTS_JSON), toJson());
    }

    /** The content of {@code results.json}. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("experiment", experiment);
        root.put("dataset", dataset);
        root.put("quick", quick);
        root.put("seeds", seeds);
        ArrayNode n = root.putArray("notes");
        notes.forEach(n::add);
        ArrayNode rs = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode o = rs.addObject();
            o.put("method", r.method());
            if (r.layer() != null) {
                o.put("layer", r.layer().intValue());
            } else {
                o.put("config", r.config());
            }
            o.put("metric", r.metric());
            putSummary(o, r.ours());
            putNullable(o, "paper", r.paper());
            putNullable(o, "paperCi95", r.paperCi95());
            if (r.epochs() != null) {
                putNullable(o, "epochs", r.epochs());
            }
            if (r.paperEpochs() != null) {
                o.put("paperEpochs", r.paperEpochs().intValue());
            }
            if (r.top1() != null) {
                putSummary(o.putObject("top1"), r.top1());
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putSummary(ObjectNode o, Summary s) {
        putNullable(o, "mean", s.mean());
        putNullable(o, "ci95", s.ci95());
        ArrayNode runs = o.putArray("runs");
        for (double x : s.runs()) {
            if (Double.isFinite(x)) {
                runs.add(x);
            } else {
                runs.addNull();
            }
        }
    }

    private static void putNullable(ObjectNode o, String field, Double x) {
        if (x == null || !Double.isFinite(x)) {
            o.putNull(field);
        } else {
            o.put(field, x.doubleValue());
        }
    }

    /** The content of {@code table.md}. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title()).append("\n\n");

        List<String> methods = new ArrayList<>(new LinkedHashSet<>(rows.stream().map(Row::method).toList()));
        List<String> keys = new ArrayList<>(new LinkedHashSet<>(rows.stream().map(Row::key).toList()));
        Map<String, Row> byCell = new LinkedHashMap<>();
        for (Row r : rows) {
            byCell.put(r.method() + "\u0000" + r.key(), r);
        }
        Set<String> keyNames = new LinkedHashSet<>(rows.stream().map(Row::keyName).toList());
        String keyHeader = keyNames.size() == 1 ? keyNames.iterator().next() : "key";

        List<String> header = new ArrayList<>();
        header.add(keyHeader);
        // The paper's columns only for the paper's datasets: an own dataset has nothing to compare with.
        boolean paperColumns = PaperTables.metric(dataset).isPresent();
        for (String m : methods) {
            header.add(m + " ours");
            if (paperColumns) {
                header.add(m + " paper");
                header.add(m + " diff");
            }
            if (rows.stream().anyMatch(r -> r.method().equals(m) && (r.epochs() != null || r.paperEpochs() != null))) {
                header.add(m + (paperColumns ? " epochs (ours / paper)" : " epochs"));
            }
            if (rows.stream().anyMatch(r -> r.method().equals(m) && r.top1() != null)) {
                header.add(m + " ours top1");
            }
        }
        if (rows.isEmpty()) {
            sb.append("(no results)\n");
        } else {
            sb.append(mdLine(header));
            List<String> rule = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                rule.add(i == 0 ? "---" : "---:");
            }
            sb.append(mdLine(rule));
            for (String k : keys) {
                List<String> cells = new ArrayList<>();
                cells.add(k);
                for (String m : methods) {
                    Row r = byCell.get(m + "\u0000" + k);
                    cells.add(r == null ? "" : r.ours().format());
                    if (paperColumns) {
                        cells.add(r == null ? "" : r.paper() == null ? NO_PAPER
                                : Statistics.format(r.paper(), r.paperCi95() == null ? Double.NaN : r.paperCi95()));
                        cells.add(r == null ? "" : r.paper() == null ? NO_PAPER
                                : r.diff().map(ResultsTable::signed2).orElse("n/a"));
                    }
                    if (header.contains(m + " epochs (ours / paper)")) {
                        cells.add(r == null ? "" : epochsCell(r));
                    } else if (header.contains(m + " epochs")) {
                        cells.add(r == null || r.epochs() == null ? "" : trim(r.epochs(), 1));
                    }
                    if (header.contains(m + " ours top1")) {
                        cells.add(r == null || r.top1() == null ? "" : r.top1().format());
                    }
                }
                sb.append(mdLine(cells));
            }
        }
        sb.append("\n");
        sb.append("Accuracy in percent, mean ± 95% confidence half-width (Student's t) over the seeds");
        if (paperColumns) {
            sb.append("; diff = ours − paper (means, percentage points); ").append(NO_PAPER)
                    .append(" = the paper has no figure. Paper: ").append(PaperTables.source()).append('.');
        } else {
            sb.append(". ").append(dataset).append(" is not one of the paper's datasets: no paper figures.");
        }
        sb.append("\n");
        if (quick) {
            sb.append("\n**").append(QUICK_BANNER).append("**: shortened runs, not comparable with the paper's "
                    + "figures as a reproduction.\n");
        }
        if (!notes.isEmpty()) {
            sb.append("\nNotes:\n\n");
            for (String n : notes) {
                sb.append("- ").append(n).append("\n");
            }
        }
        return sb.toString();
    }

    /** The title line (without "# "): experiment, dataset, metric, seeds and the quick banner. */
    public String title() {
        Set<String> metrics = new LinkedHashSet<>(rows.stream().map(Row::metric).toList());
        String metric = metrics.isEmpty() ? PaperTables.metric(dataset).orElse("top1") : String.join("/", metrics);
        StringBuilder t = new StringBuilder();
        t.append(experiment).append(" — ").append(dataset).append(" — ").append(metric).append(" accuracy (%) — ")
                .append(seeds).append(seeds == 1 ? " seed" : " seeds");
        if (quick) {
            t.append(" — ").append(QUICK_BANNER);
        }
        return t.toString();
    }

    private static String epochsCell(Row r) {
        String ours = r.epochs() == null ? "n/a" : trim(r.epochs(), 1);
        String paper = r.paperEpochs() == null ? NO_PAPER : r.paperEpochs().toString();
        return ours + " / " + paper;
    }

    private static String mdLine(List<String> cells) {
        StringJoiner j = new StringJoiner(" | ", "| ", " |\n");
        for (String c : cells) {
            j.add(c.replace("|", "\\|").replace("\n", " "));
        }
        return j.toString();
    }

    /** "+0.12", "-0.05", "+0.00" (never "-0.00"). */
    static String signed2(double x) {
        if (!Double.isFinite(x)) {
            return "n/a";
        }
        BigDecimal d = BigDecimal.valueOf(x).setScale(2, RoundingMode.HALF_UP);
        return (d.signum() < 0 ? "" : "+") + d.toPlainString();
    }

    /** The content of {@code table.csv}. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Row r : rows) {
            csvLine(sb, r.method(), r.key(), r.metric(), r.ours(), r.paper(), r.paperCi95(),
                    r.diff().orElse(null), r.epochs(), r.paperEpochs());
            if (r.top1() != null) {
                csvLine(sb, r.method(), r.key(), "top1", r.top1(), null, null, null, null, null);
            }
        }
        return sb.toString();
    }

    private void csvLine(StringBuilder sb, String method, String key, String metric, Summary s, Double paper,
            Double paperCi, Double diff, Double epochs, Integer paperEpochs) {
        StringJoiner runs = new StringJoiner(";");
        for (double x : s.runs()) {
            runs.add(Double.isFinite(x) ? Double.toString(x) : "NaN");
        }
        List<String> cells = List.of(experiment, dataset, method, key, metric, num(s.mean()), num(s.ci95()),
                num(paper), num(paperCi), num(diff), runs.toString(), num(epochs),
                paperEpochs == null ? "" : paperEpochs.toString(), Boolean.toString(quick));
        StringJoiner line = new StringJoiner(",");
        cells.forEach(c -> line.add(csvCell(c)));
        sb.append(line).append('\n');
    }

    /** Up to 4 decimals, trailing zeros dropped; empty for null or non-finite. */
    private static String num(Double x) {
        if (x == null || !Double.isFinite(x)) {
            return "";
        }
        return trim(x, 4);
    }

    private static String trim(double x, int decimals) {
        BigDecimal d = BigDecimal.valueOf(x).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
        if (d.signum() == 0) {
            return "0";
        }
        return d.toPlainString();
    }

    private static String csvCell(String c) {
        if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
            return '"' + c.replace("\"", "\"\"") + '"';
        }
        return c;
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    /**
     * Reads a {@code results.json} written by {@link #write(Path)}; the result equals the table
     * written. Malformed content is an {@link InputError} naming the file.
     */
    public static ResultsTable read(Path resultsJson) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(resultsJson.toFile());
        } catch (JsonProcessingException e) {
            throw new InputError(resultsJson + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InputError(resultsJson + ": not a results table (" + e.getMessage() + ")", e);
        }
    }

    /** Parses the content of a {@code results.json}. */
    public static ResultsTable fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        List<String> notes = new ArrayList<>();
        for (JsonNode n : root.path("notes")) {
            notes.add(n.asText());
        }
        List<Row> rows = new ArrayList<>();
        JsonNode rs = root.path("rows");
        if (!rs.isArray()) {
            throw new IllegalArgumentException("no \"rows\" array");
        }
        for (JsonNode o : rs) {
            Integer layer = o.hasNonNull("layer") ? requireInt(o, "layer") : null;
            String config = o.hasNonNull("config") ? o.get("config").asText() : null;
            Summary top1 = o.hasNonNull("top1") ? summary(o.get("top1")) : null;
            rows.add(new Row(text(o, "method"), layer, config, text(o, "metric"), summary(o), optDouble(o, "paper"),
                    optDouble(o, "paperCi95"), optDouble(o, "epochs"),
                    o.hasNonNull("paperEpochs") ? requireInt(o, "paperEpochs") : null, top1));
        }
        if (!root.path("quick").isBoolean()) {
            throw new IllegalArgumentException("\"quick\" must be true or false");
        }
        return new ResultsTable(text(root, "experiment"), text(root, "dataset"), root.get("quick").booleanValue(),
                requireInt(root, "seeds"), notes, rows);
    }

    private static Summary summary(JsonNode o) {
        JsonNode runsNode = o.path("runs");
        if (!runsNode.isArray()) {
            throw new IllegalArgumentException("row without a \"runs\" array");
        }
        double[] runs = new double[runsNode.size()];
        for (int i = 0; i < runs.length; i++) {
            JsonNode x = runsNode.get(i);
            runs[i] = x.isNumber() ? x.doubleValue() : Double.NaN;
        }
        if (!o.has("mean")) {
            throw new IllegalArgumentException("row without \"mean\"");
        }
        double mean = o.get("mean").isNumber() ? o.get("mean").doubleValue() : Double.NaN;
        double ci = o.path("ci95").isNumber() ? o.get("ci95").doubleValue() : Double.NaN;
        return new Summary(mean, ci, runs.length, runs);
    }

    private static String text(JsonNode o, String field) {
        JsonNode x = o.get(field);
        if (x == null || !x.isTextual()) {
            throw new IllegalArgumentException("missing text field \"" + field + "\"");
        }
        return x.textValue();
    }

    private static int requireInt(JsonNode o, String field) {
        JsonNode x = o.get(field);
        if (x == null || !x.isIntegralNumber() || !x.canConvertToInt()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an integer");
        }
        return x.intValue();
    }

    private static Double optDouble(JsonNode o, String field) {
        JsonNode x = o.get(field);
        if (x == null || x.isNull()) {
            return null;
        }
        if (!x.isNumber()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a number or null");
        }
        return x.doubleValue();
    }

    /** Human-readable form for logs: the Markdown title and row count. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ResultsTable[%s, %d rows]", title(), rows.size());
    }
}
