package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ImageSet#flippedHorizontally}: every image's W axis reversed, nothing else moved. */
class HorizontalFlipTest {
    @Test
    void theFlippedCopyOfAnImageIsItsWidthAxisReversed() {
        int n = 4;
        int c = 2;
        int h = 3;
        int w = 5;
        byte[] pixels = new byte[n * c * h * w];
        new Random(1).nextBytes(pixels);
        byte[] before = pixels.clone();
        int[] labels = {0, 1, 2, 1};
        int[] coarse = {0, 1, 1, 0};
        ImageSet set = new ImageSet("train", c, h, w, pixels, labels, 3, coarse, 2);
        ImageSet flipped = set.flippedHorizontally("train-flipped");
        assertEquals("train-flipped", flipped.name());
        assertEquals(set.shapeString(), flipped.shapeString());
        assertArrayEquals(labels, flipped.labels());
        assertArrayEquals(coarse, flipped.coarseLabels());
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        assertEquals(set.pixel(i, ch, y, w - 1 - x), flipped.pixel(i, ch, y, x),
                                "image " + i + " channel " + ch + " row " + y + " column " + x);
                    }
                }
            }
        }
        assertTrue(set.sameContents(flipped.flippedHorizontally("twice")), "flipping twice gives the images back");
        assertArrayEquals(before, set.pixels(), "the original is untouched");
    }
}
