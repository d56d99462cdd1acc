package org.hebbcnn.reports;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.hebbcnn.util.Statistics.Summary;
import org.hebbcnn.util.Statistics;
import org.hebbcnn.experiments.Workspace;
import org.hebbcnn.nn.NpzFile;
import org.hebbcnn.reports.ComparisonTable.Verdict;
import org.hebbcnn.reports.ResultsTable.Row;
import org.hebbcnn.training.CheckpointedTraining.EpochRecord;
import org.hebbcnn.training.CheckpointedTraining.State;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Npy;
import org.hebbcnn.util.NpyArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Slow: builds whole reports with charts through the CLI. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class ReportTest {

    @TempDir
    Path tmp;

    /** Tables, curves (one group) and kernels (Hebbian + backprop) that {@link #fixture} writes. */
    static final int FIXTURE_FIGURES = 3 + 1 + 2;

    static Summary s(double... runs) {
        return Statistics.summarize(runs);
    }

    /**
     * Writes a small results tree under {@code root}: a quick layer-wise table (one row at the paper,
     * one clearly below), a retrain and a classifiers table, two trained networks with histories and
     * layer-1 weights, a probe folder and a stray results.json inside a checkpoint (both to be ignored).
     */
    static List<ResultsTable> fixture(Path root) throws Exception {
        Path layerwise = root.resolve("mnist-layerwise");
        ResultsTable lw = ResultsTable.builder("layerwise", "mnist").quick(true).seeds(2)
                .note("epochs capped at 3 (paper: 20)")
                .layer("hpca", 1, s(98.2, 98.3)) // paper 98.23: as good
                .layer("hpca", 2, s(90.0, 90.2)) // paper 98.47: clearly below
                .layer("hwta", 1, s(97.0, 97.2))
                .layer("hwta", 2, s(96.0, 96.4))
                .layer("hwta", 6, s(80.0, 81.0))
                .build();
        lw.write(layerwise);
        ResultsTable rt = ResultsTable.builder("retrain", "mnist").seeds(1)
                .note("top layers retrained on the backprop base")
                .config("BP", "BBBBBG", s(98.5))
                .config("HPCA+SHC", "BBBBHH", s(94.2))
                .build();
        rt.write(root.resolve("retrain"));
        ResultsTable cl = ResultsTable.builder("classifiers", "mnist").seeds(1)
                .layer("SGD", 1, s(97.0))
                .layer("SHC", 1, s(85.7))
                .build();
        cl.write(root.resolve("classifiers"));

        Path hpca = layerwise.resolve("runs/hpca/seed-0/network");
        writeState(hpca.resolve("ckpt-1"), 1, 1, 0.95);
        writeState(hpca.resolve("ckpt-2"), 2, 1, 0.95, 0.94);
        Npy.write(hpca.resolve("ckpt-1/model/layer1.npy"), randomWeights(8 * 3 * 5 * 5, 1), new long[] {8, 3, 5, 5});
        Path bp = layerwise.resolve("runs/bp/seed-0/network");
        writeState(bp.resolve("ckpt-2"), 2, 2, 0.96, 0.975);
        Map<String, NpyArray> npz = new LinkedHashMap<>();
        npz.put("conv1.weight", NpyArray.of(randomWeights(6 * 3 * 5 * 5, 2), new long[] {6, 3, 5, 5}));
        npz.put("conv1.bias", NpyArray.of(new float[6], new long[] {6}));
        Files.createDirectories(bp.resolve("ckpt-2/model"));
        NpzFile.write(bp.resolve("ckpt-2/model/network.npz"), npz);
        writeState(layerwise.resolve("runs/hpca/seed-0/probes/ckpt-1"), 1, 1, 0.5);
        ResultsTable.builder("ghostexperiment", "mnist").layer("ghostmethod", 1, s(1.0)).build()
                .write(hpca.resolve("ckpt-1"));
        return List.of(lw, rt, cl);
    }

    static void writeState(Path ckpt, int epochs, int best, double... validation) throws Exception {
        List<EpochRecord> history = new ArrayList<>();
        for (int i = 0; i < validation.length; i++) {
            history.add(new EpochRecord(i + 1, validation[i], 10.0));
        }
        Files.createDirectories(ckpt);
        new ObjectMapper().writeValue(ckpt.resolve("state.json").toFile(),
                new State(epochs, best, validation[best - 1], history));
    }

    static float[] randomWeights(int n, long seed) {
        Random r = new Random(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return w;
    }

    /** The decoded images of every {@code <img>} of the page, in order; fails on an img without a PNG data URI. */
    static List<BufferedImage> embeddedPngs(String html) throws Exception {
        Matcher img = Pattern.compile("<img [^>]*>").matcher(html);
        Pattern src = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
        List<BufferedImage> out = new ArrayList<>();
        while (img.find()) {
            Matcher m = src.matcher(img.group());
            assertTrue(m.find(), "an <img> without a PNG data URI: " + img.group().substring(0, 80));
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertNotNull(decoded, "not a PNG");
            out.add(decoded);
        }
        return out;
    }

    @Test
    void aBeyondTableIsShownBesideThePublishedFiguresWithItsPhaseTimes() throws Exception {
        Path root = tmp.resolve("results");
        fixture(root);
        org.hebbcnn.experiments.BeyondTable beyond = new org.hebbcnn.experiments.BeyondTable("cifar10", false, List.of(
                new org.hebbcnn.experiments.BeyondTable.Row("softhebb", "SoftHebb (Journe et al. 2023)", s(81.25), 80.31,
                        "Journe et al.", 3600, 90, 600),
                new org.hebbcnn.experiments.BeyondTable.Row("paper-bp", "the paper's backprop network", null, 84.95,
                        "Lagani et al.", Double.NaN, Double.NaN, Double.NaN)),
                List.of("one seed"));
        beyond.write(root.resolve("beyond-cifar10"));
        Path out = tmp.resolve("report");
        Report.Written w = Report.build(List.of(root), out);
        assertEquals(List.of(), w.warnings());
        String html = Files.readString(w.html());
        assertTrue(html.contains("<h2>Beyond the paper: cifar10</h2>"), html);
        assertTrue(html.contains("<tr><td>softhebb</td><td>SoftHebb (Journe et al. 2023)</td><td>81.25</td><td>80.31</td>"
                + "<td>60.0 min</td><td>90 s</td><td>10.0 min</td></tr>"), html);
        assertTrue(html.contains("<td>paper-bp</td><td>the paper&#39;s backprop network</td><td>—</td><td>84.95</td>")
                || html.contains("<td>paper-bp</td><td>the paper's backprop network</td><td>" + ResultsTable.NO_PAPER
                        + "</td><td>84.95</td>"), html);
        assertTrue(html.contains("href=\"#beyond-1\""), "listed in the contents");
        String md = Files.readString(w.markdown());
        assertTrue(md.contains("## Beyond the paper: cifar10"), md);
        assertTrue(md.contains("| softhebb | SoftHebb (Journe et al. 2023) | 81.25 | 80.31 | 60.0 min | 90 s | 10.0 min |"), md);
        // beyond.md, written by the experiment, shows the same cells
        assertTrue(Files.readString(root.resolve("beyond-cifar10/beyond.md"))
                .contains("| softhebb | SoftHebb (Journe et al. 2023) | 81.25 | 80.31 | 60.0 min | 90 s | 10.0 min |"));
    }

    @Test
    void writesHtmlAndMarkdownWithEveryTable() throws Exception {
        Path root = tmp.resolve("results");
        List<ResultsTable> tables = fixture(root);
        Path out = tmp.resolve("report");
        Report.Written w = Report.build(List.of(root), out);

        assertTrue(Files.isRegularFile(out.resolve("report.html")));
        assertTrue(Files.isRegularFile(out.resolve("report.md")));
        assertEquals(3, w.tables());
        assertEquals(FIXTURE_FIGURES, w.figures());
        assertEquals(List.of(), w.warnings());

        String html = Files.readString(w.html());
        String md = Files.readString(w.markdown());
        for (String page : List.of(html, md)) {
            for (ResultsTable t : tables) {
                for (Row r : t.rows()) {
                    assertTrue(page.contains(r.method()) || page.contains(ReportMarkdown.esc(r.method())), r.method());
                    assertTrue(page.contains(r.key()), r.key());
                    assertTrue(page.contains(r.ours().format()), r.ours().format());
                }
            }
            assertTrue(page.contains(ResultsTable.QUICK_BANNER));
            assertTrue(page.contains("epochs capped at 3 (paper: 20)"));
            assertTrue(page.contains("top layers retrained on the backprop base"));
            assertFalse(page.contains("ghostexperiment"), "results.json inside a checkpoint must be skipped");
            assertFalse(page.contains("seed-0/probes"), "a probes folder is not a network");
        }
        int papers = 0;
        for (ResultsTable t : tables) {
            for (Row r : t.rows()) {
                if (r.paper() != null) {
                    papers++;
                    String paper = Statistics.format(r.paper(), r.paperCi95() == null ? Double.NaN : r.paperCi95());
                    assertTrue(html.contains(paper), "paper figure " + paper);
                    assertTrue(md.contains(paper), "paper figure " + paper);
                    assertTrue(html.contains(ResultsTable.signed2(r.diff().orElseThrow())));
                }
            }
        }
        assertTrue(papers >= 6, "the fixture should get paper figures for most rows, got " + papers);
        assertTrue(html.contains(ReportHtml.esc(ComparisonTable.RULE)), "the colour rule is stated");
        assertTrue(html.contains("<td class=\"match\">"), "hpca layer 1 is as good as the paper");
        assertTrue(html.contains("<td class=\"below\">"), "hpca layer 2 is clearly below");
        assertTrue(md.contains(ReportMarkdown.MATCH_MARK) && md.contains(ReportMarkdown.BELOW_MARK));
        java.util.regex.Matcher svg = java.util.regex.Pattern.compile("href=\"(img/[^\"]+\\.svg)\"").matcher(html);
        assertTrue(svg.find(), "charts also come as SVG, linked beside the page");
        assertTrue(Files.isRegularFile(out.resolve(svg.group(1))), svg.group(1));
    }

    @Test
    void everyPlotIsAnEmbeddedPngAndTheMarkdownLinksFilesThatExist() throws Exception {
        Path root = tmp.resolve("results");
        fixture(root);
        Path out = tmp.resolve("report");
        Report.Written w = Report.build(List.of(root), out);
        String html = Files.readString(w.html());

        List<BufferedImage> images = embeddedPngs(html);
        assertEquals(FIXTURE_FIGURES, images.size());
        assertEquals(ReportCharts.WIDTH, images.get(0).getWidth());
        assertEquals(ReportCharts.HEIGHT, images.get(0).getHeight());
        // Kernel grids: 8 Hebbian kernels (4 x 2) and 6 backprop ones (3 x 2), 5x5 at scale 6, 2 px lines.
        List<String> sizes = images.stream().map(i -> i.getWidth() + "x" + i.getHeight()).toList();
        assertTrue(sizes.contains("130x66"), sizes.toString());
        assertTrue(sizes.contains("98x66"), sizes.toString());

        String md = Files.readString(w.markdown());
        Matcher link = Pattern.compile("\\]\\((img/[^)]+)\\)").matcher(md);
        int pngs = 0;
        int svgs = 0;
        while (link.find()) {
            Path file = out.resolve(link.group(1));
            assertTrue(Files.isRegularFile(file), "missing " + file);
            if (file.toString().endsWith(".png")) {
                pngs++;
                assertNotNull(ImageIO.read(file.toFile()), file.toString());
            } else {
                svgs++;
                assertTrue(Files.readString(file).contains("<svg"), file.toString());
            }
        }
        assertEquals(FIXTURE_FIGURES, pngs);
        assertEquals(FIXTURE_FIGURES - 2, svgs, "every chart (not the kernel grids) has an SVG");
        assertEquals(FIXTURE_FIGURES, md.split("!\\[", -1).length - 1);
    }

    @Test
    void vaeReconstructionsAreShownAsSavedAndABrokenOneIsAWarning() throws Exception {
        Path root = tmp.resolve("results");
        fixture(root);
        Path vae = root.resolve("all/bases/vae/seed-0");
        writeState(vae.resolve("network/ckpt-1"), 1, 1, -0.5);
        BufferedImage grid = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 40; x++) {
            for (int y = 0; y < 20; y++) {
                grid.setRGB(x, y, (x * 6) << 16 | (y * 12) << 8 | 0x40);
            }
        }
        ImageIO.write(grid, "png", vae.resolve("reconstructions.png").toFile());
        Path broken = root.resolve("all/bases/vae/seed-1");
        writeState(broken.resolve("network/ckpt-1"), 1, 1, -0.6);
        Files.writeString(broken.resolve("reconstructions.png"), "not a png");

        Report.Written w = Report.build(List.of(root), tmp.resolve("report"));
        String html = Files.readString(w.html());
        String md = Files.readString(w.markdown());
        assertTrue(html.contains("<h2>" + ReportDocument.RECONSTRUCTIONS + "</h2>"), "section in the page");
        assertTrue(html.contains("href=\"#reconstructions\""), "listed in the contents");
        assertTrue(md.contains("## " + ReportDocument.RECONSTRUCTIONS), "section in the Markdown twin");
        assertTrue(html.contains("Reconstructions: results/all/bases/vae/seed-0"), html.length() + " chars");
        assertEquals(FIXTURE_FIGURES + 1 + 1, w.figures(), "the fixture's, the VAEs' training curves, one grid");
        BufferedImage shown = embeddedPngs(html).get(w.figures() - 1);
        assertEquals(grid.getWidth(), shown.getWidth());
        for (int x = 0; x < 40; x += 7) {
            for (int y = 0; y < 20; y += 3) {
                assertEquals(grid.getRGB(x, y), shown.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
        assertEquals(1, w.warnings().size(), w.warnings().toString());
        assertTrue(w.warnings().get(0).contains("seed-1") && w.warnings().get(0).contains("reconstructions not shown"),
                w.warnings().get(0));
    }

    @Test
    void aHybridStageGetsItsTrainingCurveButNoKernelsOfItsUntrainedLayerOne() throws Exception {
        Path root = tmp.resolve("results");
        fixture(root);
        Path stage = root.resolve("all").resolve(Workspace.STAGES).resolve("seed-0/hpca-B_H/ckpt-1");
        writeState(stage, 1, 1, 0.9);
        Map<String, NpyArray> npz = new LinkedHashMap<>();
        npz.put("conv1.weight", NpyArray.of(randomWeights(6 * 3 * 5 * 5, 3), new long[] {6, 3, 5, 5}));
        Files.createDirectories(stage.resolve("model"));
        NpzFile.write(stage.resolve("model/network.npz"), npz);
        Path base = root.resolve("all").resolve(Workspace.BASES).resolve("bp/seed-0/network/ckpt-1");
        writeState(base, 1, 1, 0.95);
        Files.createDirectories(base.resolve("model"));
        NpzFile.write(base.resolve("model/network.npz"), npz);

        ReportSources.Found found = ReportSources.scan(List.of(root));
        assertEquals(List.of(false, true), found.networks().stream().filter(n -> n.group().startsWith("results/all"))
                .map(ReportSources.NetworkRun::stage).toList(), "bases, then stages");
        Report.Written w = Report.build(List.of(root), tmp.resolve("report"));
        String md = Files.readString(w.markdown());
        assertTrue(md.contains("stages/seed-0/hpca-B"), "the stage's training curve is shown");
        assertTrue(md.contains("Layer 1: results/all/bases/bp/seed-0"), "the base's kernels are drawn");
        assertFalse(md.contains("Layer 1: results/all/stages"), "a stage's layer 1 was never trained");
        assertFalse(md.contains("kernels-results-all-stages"), "no file for it either");
        assertEquals(FIXTURE_FIGURES + 1 + 1, w.figures(), "the fixture's, one chart of the two training curves, the base's kernels");
    }

    @Test
    void trainingCurvesComeFromStateHistories() throws Exception {
        Path root = tmp.resolve("results");
        fixture(root);
        ReportSources.Found found = ReportSources.scan(List.of(root));
        assertEquals(List.of("runs/bp/seed-0", "runs/hpca/seed-0"), found.networks().stream().map(n -> n.label()).toList());
        assertEquals("results/mnist-layerwise", found.networks().get(0).group());
        assertEquals(2, found.networks().get(1).state().history().size(), "the newest checkpoint's history");
        assertEquals("ckpt-1", found.networks().get(1).bestCheckpoint().getFileName().toString());
        assertEquals(List.of("classifiers", "layerwise", "retrain"),
                found.tables().stream().map(t -> t.table().experiment()).toList(),
                "in path order, without the results.json inside a checkpoint");
    }

    @Test
    void chartsCopeWithGapsAndDivergedRuns() throws Exception {
        ResultsTable t = ResultsTable.builder("layerwise", "cifar10").seeds(2)
                .layer("hpca", 1, s(60.0, 61.0)).layer("hpca", 2, s(62.0, 63.0)).layer("hpca", 3, s(64.0, 65.0))
                .layer("hwta", 1, s(55.0, 56.0)).layer("hwta", 3, s(50.0, Double.NaN)) // a gap, then a diverged seed
                .build();
        for (var chart : List.of(ReportCharts.perLayer(t).orElseThrow(), ReportCharts.oursVsPaper(t).orElseThrow())) {
            ReportFigure f = ReportFigure.ofChart(chart, "x", "x", "x");
            assertNotNull(ImageIO.read(new ByteArrayInputStream(f.png())));
        }
        assertEquals(Verdict.BELOW, ComparisonTable.verdict(t.rows().get(4).withPaper(50.0, 1.0)), "diverged");
        ResultsTable empty = ResultsTable.builder("hybrid", "mnist").build();
        assertTrue(ReportCharts.oursVsPaper(empty).isEmpty());
        assertTrue(ReportCharts.perLayer(empty).isEmpty());
    }

    @Test
    void verdictRule() {
        Summary two = s(98.0, 98.2); // mean 98.1, ci95 about 1.27
        Row r = Row.forLayer("hpca", 1, "top1", two);
        assertEquals(Verdict.NONE, ComparisonTable.verdict(r));
        assertEquals(Verdict.MATCH, ComparisonTable.verdict(r.withPaper(99.0, 0.1)), "within the half-widths");
        assertEquals(Verdict.BELOW, ComparisonTable.verdict(r.withPaper(99.5, 0.1)), "clearly below");
        Row single = Row.forLayer("hpca", 1, "top1", s(98.0));
        assertEquals(Verdict.MATCH, ComparisonTable.verdict(single.withPaper(98.05, 0.1)));
        assertEquals(Verdict.BELOW, ComparisonTable.verdict(single.withPaper(98.2, 0.1)));
        assertEquals(Verdict.MATCH, ComparisonTable.verdict(single.withPaper(90.0, null)), "above the paper");
    }

    @Test
    void folderWithoutResultsIsAnInputErrorNamingIt() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty-folder"));
        InputError e = assertThrows(InputError.class, () -> Report.build(List.of(empty), tmp.resolve("out")));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("results.json"), e.getMessage());
    }

    // ---- CLI ----

    /** The command line, run as KernelGridTest runs it. */
    static KernelGridTest.Run cli(String... args) {
        return KernelGridTest.cli(args);
    }

    @Test
    void cliWritesTheReport() throws Exception {
        Path root = tmp.resolve("results");
        fixture(root);
        Path out = tmp.resolve("cli-report");
        KernelGridTest.Run run = cli("report", root.toString(), "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains(out.resolve("report.html").toString()), run.out());
        assertTrue(run.out().contains("3 tables, " + FIXTURE_FIGURES + " figures"), run.out());
        assertTrue(Files.isRegularFile(out.resolve("report.md")));
    }

    @Test
    void cliRejectsAFolderWithoutResults() throws Exception {
        Path root = tmp.resolve("results");
        fixture(root);
        Path empty = Files.createDirectories(tmp.resolve("nothing-here"));
        KernelGridTest.Run run = cli("report", root.toString(), empty.toString(), "--out", tmp.resolve("r").toString());
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains(empty.toString()), run.err());
        assertTrue(run.err().contains("no results.json"), run.err());
        assertFalse(Files.exists(tmp.resolve("r/report.html")), "nothing written on bad input");

        KernelGridTest.Run missing = cli("report", tmp.resolve("does-not-exist").toString(), "--out", tmp.resolve("r").toString());
        assertEquals(2, missing.code(), missing.toString());
        assertTrue(missing.err().contains("does-not-exist"), missing.err());
    }
}
