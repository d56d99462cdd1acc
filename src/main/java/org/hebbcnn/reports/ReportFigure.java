package org.hebbcnn.reports;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * One picture of the report, already encoded: the HTML page embeds the bytes, the Markdown twin
 * links the same bytes written under {@code img/}. Encoding once keeps both documents showing the
 * very same image.
 *
 * @param name file name without extension, unique within a report (e.g. "mnist-layerwise")
 * @param title a short heading
 * @param caption what the reader sees under it
 * @param png the PNG encoding
 * @param svg an SVG encoding, or null where there is none (kernel grids are pixels by nature)
 * @param width width in pixels of the PNG
 * @param height height in pixels of the PNG
 */
record ReportFigure(String name, String title, String caption, byte[] png, byte[] svg, int width, int height) {

    /** Encodes an XChart chart as PNG (XChart's bitmap encoder) and SVG (its VectorGraphics2D encoder). */
    static ReportFigure ofChart(Chart<?, ?> chart, String name, String title, String caption) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            return new ReportFigure(name, title, caption, png, svg(chart), chart.getWidth(), chart.getHeight());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encodes a picture drawn elsewhere (a kernel grid) as PNG through javax.imageio. */
    static ReportFigure ofImage(BufferedImage image, String name, String title, String caption) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in javax.imageio");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ReportFigure(name, title, caption, out.toByteArray(), null, image.getWidth(), image.getHeight());
    }

    /**
     * The SVG, or null when the vector encoder is unavailable (its library left off the class path)
     * or fails: the PNG alone still makes a complete report.
     */
    private static byte[] svg(Chart<?, ?> chart) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return out.toByteArray();
        } catch (IOException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    String pngFile() {
        return name + ".png";
    }

    String svgFile() {
        return name + ".svg";
    }
}
