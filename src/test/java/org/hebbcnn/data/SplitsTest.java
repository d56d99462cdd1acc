package org.hebbcnn.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;

/** Train / validation / test splits: reproducible from the data seed, disjoint, complete. */
class SplitsTest {
    private static final ImageSet TRAIN = TestFiles.indexedSet("t/train", 500, 3, 4, 10, 1);
    private static final ImageSet TEST = TestFiles.indexedSet("t/test", 60, 3, 4, 10, 2);
    private static final RawDataset DATA = TestFiles.raw("t", TRAIN, TEST, Path.of("t"));

    private static int[] ids(ImageSet set) {
        return IntStream.range(0, set.size()).map(i -> TestFiles.indexOf(set, i)).toArray();
    }

    @Test
    void sameSeedGivesTheSameSplit() {
        Splits a = Splits.create(DATA, 200, 100);
        Splits b = Splits.create(DATA, 200, 100);
        assertTrue(a.train().sameContents(b.train()));
        assertTrue(a.validation().sameContents(b.validation()));
        assertArrayEquals(ids(a.validation()), ids(b.validation()));
    }

    @Test
    void differentSeedsGiveDifferentSplits() {
        Splits a = Splits.create(DATA, 200, 100);
        Splits b = Splits.create(DATA, 201, 100);
        assertFalse(Arrays.equals(ids(a.train()), ids(b.train())));
        int[] va = ids(a.validation());
        int[] vb = ids(b.validation());
        Arrays.sort(va);
        Arrays.sort(vb);
        assertFalse(Arrays.equals(va, vb), "a different set of images is held out, not just another order");
    }

    @Test
    void trainAndValidationAreDisjointAndMakeUpTheOfficialTrainingSet() {
        for (long seed : new long[] {0, 1, 200, -7}) {
            Splits s = Splits.create(DATA, seed, 120);
            assertEquals(380, s.train().size());
            assertEquals(120, s.validation().size());
            int[] all = IntStream.concat(Arrays.stream(ids(s.train())), Arrays.stream(ids(s.validation()))).sorted()
                    .toArray();
            assertArrayEquals(IntStream.range(0, 500).toArray(), all, "seed " + seed + ": every image exactly once");
            // Each image keeps its own label and pixels.
            for (ImageSet part : new ImageSet[] {s.train(), s.validation()}) {
                for (int i = 0; i < part.size(); i++) {
                    int id = TestFiles.indexOf(part, i);
                    assertEquals(TRAIN.label(id), part.label(i));
                    assertArrayEquals(Arrays.copyOfRange(TRAIN.pixels(), id * 48, id * 48 + 48),
                            Arrays.copyOfRange(part.pixels(), i * 48, i * 48 + 48));
                }
            }
        }
    }

    @Test
    void splitsAreShuffledNotCut() {
        Splits s = Splits.create(DATA, 200, 100);
        int[] validation = ids(s.validation());
        assertFalse(Arrays.equals(IntStream.range(400, 500).toArray(), validation), "not simply the last 100");
        int[] sorted = validation.clone();
        Arrays.sort(sorted);
        assertTrue(sorted[0] < 100 && sorted[99] >= 400, "drawn from the whole set: " + Arrays.toString(sorted));
    }

    @Test
    void testSetIsTheOfficialOneUntouched() {
        Splits s = Splits.create(DATA, 200, 100);
        assertTrue(s.test().sameContents(TEST));
        assertSame(TEST.pixels(), s.test().pixels(), "not even copied");
        assertArrayEquals(IntStream.range(0, 60).toArray(), ids(s.test()), "in its own order");
        assertEquals("t/test", s.test().name());
    }

    @Test
    void validationIsTheTailOfTheSeededShuffle() {
        int[] order = Splits.shuffledIndices(500, 200);
        Splits s = Splits.create(DATA, 200, 100);
        assertArrayEquals(Arrays.copyOfRange(order, 400, 500), ids(s.validation()));
        assertArrayEquals(Arrays.copyOfRange(order, 0, 400), ids(s.train()));
    }

    @Test
    void shuffledIndicesArePermutationsFixedBySeed() {
        int[] a = Splits.shuffledIndices(1000, 42);
        assertArrayEquals(a, Splits.shuffledIndices(1000, 42));
        assertFalse(Arrays.equals(a, Splits.shuffledIndices(1000, 43)));
        assertArrayEquals(IntStream.range(0, 1000).toArray(), Arrays.stream(a).sorted().toArray());
        assertArrayEquals(new int[0], Splits.shuffledIndices(0, 1));
        assertArrayEquals(new int[] {0}, Splits.shuffledIndices(1, 1));
    }

    @Test
    void defaultValidationSizeIsThePapersOrAFifth() {
        assertEquals(10_000, Splits.defaultValidationSize(60_000));
        assertEquals(10_000, Splits.defaultValidationSize(50_000));
        assertEquals(100, Splits.defaultValidationSize(500));
        assertEquals(1, Splits.defaultValidationSize(2));
        Splits s = Splits.create(DATA, 200);
        assertEquals("train 400  validation 100  test 60", s.sizes());
    }

    @Test
    void validationFraction() {
        Splits s = Splits.createWithFraction(DATA, 3, 0.1);
        assertEquals(50, s.validation().size());
        assertThrows(InputError.class, () -> Splits.createWithFraction(DATA, 3, 1.0));
        assertThrows(InputError.class, () -> Splits.createWithFraction(DATA, 3, 0));
    }

    @Test
    void impossibleValidationSizes() {
        for (int size : new int[] {0, -1, 500, 501}) {
            InputError e = assertThrows(InputError.class, () -> Splits.create(DATA, 1, size));
            assertTrue(e.getMessage().contains("validation size " + size), e.getMessage());
        }
    }

    @Test
    void accessorsAndNames() {
        Splits s = Splits.create(DATA, 9, 100);
        assertSame(s.train(), s.get("train"));
        assertSame(s.validation(), s.get("validation"));
        assertSame(s.validation(), s.get("val"));
        assertSame(s.test(), s.get("test"));
        assertThrows(InputError.class, () -> s.get("dev"));
        assertEquals("t/train", s.train().name());
        assertEquals("t/validation", s.validation().name());
        assertEquals(9, s.dataSeed());
        assertEquals(10, s.numClasses());
        assertEquals(Path.of("t"), s.directory());
    }

    @Test
    void coarseLabelsAreSplitAlongside() {
        int n = 50;
        int[] fine = IntStream.range(0, n).map(i -> i % 100).toArray();
        int[] coarse = IntStream.range(0, n).map(i -> i % 20).toArray();
        ImageSet indexed = TestFiles.indexedSet("c", n, 1, 2, 100, 5);
        ImageSet train = new ImageSet("c/train", 1, 2, 2, indexed.pixels(), fine, 100, coarse, 20);
        Splits s = Splits.create(TestFiles.raw("c", train, train, Path.of("c")), 4, 10);
        for (ImageSet part : new ImageSet[] {s.train(), s.validation()}) {
            for (int i = 0; i < part.size(); i++) {
                int id = TestFiles.indexOf(part, i);
                assertEquals(id % 100, part.label(i));
                assertEquals(id % 20, part.coarseLabels()[i]);
            }
        }
    }
}
