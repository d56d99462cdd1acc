package org.hebbcnn.reports;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page must render in a real browser, not only parse in a test: headless Chromium loads
 * {@code report.html} and takes a screenshot, which must show the page (many colours, the verdict
 * backgrounds of the CSS, the charts' colours from the embedded PNGs). Skipped when no Chromium is on
 * the PATH; CI installs one so that it runs there.
 */
// Slow: a headless browser. Skipped by `mvn -B test -Dgroups=fast`.
@Tag("slow")
class ReportRenderTest {
    static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    @TempDir
    Path tmp;

    @Test
    void reportRendersInHeadlessChromium() throws Exception {
        Optional<Path> browser = findBrowser();
        Assumptions.assumeTrue(browser.isPresent(), "no Chromium on PATH (tried " + BROWSERS + ")");

        Path root = tmp.resolve("results");
        ReportTest.fixture(root);
        Report.Written w = Report.build(List.of(root), tmp.resolve("report"));
        Path shot = tmp.resolve("screenshot.png");
        Path log = tmp.resolve("chromium.log");
        Process p = new ProcessBuilder(browser.get().toString(), "--headless", "--disable-gpu", "--no-sandbox",
                "--hide-scrollbars", "--user-data-dir=" + tmp.resolve("profile"), "--screenshot=" + shot,
                "--window-size=1200,2000", w.html().toAbsolutePath().toUri().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("Chromium did not finish in 120 s; log:\n" + Files.readString(log));
        }
        assertTrue(Files.isRegularFile(shot), "no screenshot; exit " + p.exitValue() + ", log:\n" + Files.readString(log));
        BufferedImage img = ImageIO.read(shot.toFile());
        assertNotNull(img, "screenshot is not a PNG");
        assertEquals(1200, img.getWidth());

        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                colours.add(img.getRGB(x, y) & 0xFFFFFF);
            }
        }
        assertTrue(colours.size() > 64, "blank-looking screenshot: " + colours.size() + " colours");
        assertTrue(near(colours, Integer.parseInt(ReportHtml.MATCH_BG.substring(1), 16)), "no green diff cell");
        assertTrue(near(colours, Integer.parseInt(ReportHtml.BELOW_BG.substring(1), 16)), "no red diff cell");
        assertTrue(near(colours, ReportCharts.colour(0).getRGB() & 0xFFFFFF), "no chart drawn (first series colour)");
    }

    /** Whether some colour is within 3 per channel of {@code rgb} (room for colour conversion). */
    private static boolean near(Set<Integer> colours, int rgb) {
        for (int c : colours) {
            if (Math.abs(((c >> 16) & 255) - ((rgb >> 16) & 255)) <= 3 && Math.abs(((c >> 8) & 255) - ((rgb >> 8) & 255)) <= 3
                    && Math.abs((c & 255) - (rgb & 255)) <= 3) {
                return true;
            }
        }
        return false;
    }

    static Optional<Path> findBrowser() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String name : BROWSERS) {
            Optional<Path> hit = Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty())
                    .map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
            if (hit.isPresent()) {
                return hit;
            }
        }
        return Optional.empty();
    }
}
