package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ImageSet#flippedHorizontally}: every image's W axis reversed, nothing else moved; and
 * {@link ImageSet#concat}, which joins a training set and its flips.
 */
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

    @Test
    void joinedSetsHoldTheFirstsImagesThenTheSeconds() {
        byte[] a = new byte[2 * 3 * 2 * 2];
        byte[] b = new byte[3 * 3 * 2 * 2];
        new Random(2).nextBytes(a);
        new Random(3).nextBytes(b);
        ImageSet first = new ImageSet("a", 3, 2, 2, a, new int[] {0, 1}, 4, new int[] {0, 1}, 2);
        ImageSet second = new ImageSet("b", 3, 2, 2, b, new int[] {3, 2, 1}, 4, new int[] {1, 1, 0}, 2);
        ImageSet both = first.concat(second, "a+b");
        assertEquals("a+b", both.name());
        assertEquals(5, both.size());
        assertArrayEquals(new int[] {0, 1, 3, 2, 1}, both.labels());
        assertArrayEquals(new int[] {0, 1, 1, 1, 0}, both.coarseLabels());
        for (int i = 0; i < 5; i++) {
            ImageSet from = i < 2 ? first : second;
            int j = i < 2 ? i : i - 2;
            for (int ch = 0; ch < 3; ch++) {
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 2; x++) {
                        assertEquals(from.pixel(j, ch, y, x), both.pixel(i, ch, y, x), "image " + i);
                    }
                }
            }
        }
        ImageSet gray = new ImageSet("g", 1, 2, 2, new byte[4], new int[] {0}, 4);
        assertThrows(IllegalArgumentException.class, () -> first.concat(gray, "no"), "another shape is refused");
    }
}
