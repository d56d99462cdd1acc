package org.hebbcnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Top-k correct counts from class scores [B, C] and labels [B], with a deterministic rule for
 * ties (the engine's {@code topK} leaves their order unspecified): the classes are ranked by score,
 * highest first, and equal scores by class index, lowest first, as {@code argmax} does. A label is
 * within the top k when fewer than k classes rank before it. NaN scores rank after every number; a
 * row whose label scores NaN is never correct. With k >= C every row with a number is correct.
 *
 * <p>Counting is done in Java on a copy of the scores (B x C floats per batch, negligible beside
 * the network that made them).
 */
public final class Accuracy {
    private Accuracy() {}

    /** How many rows have their label among the k highest scores. */
    public static long correct(NDArray scores, NDArray labels, int k) {
        return count(ranks(scores, labels), k);
    }

    public static long top1(NDArray scores, NDArray labels) {
        return correct(scores, labels, 1);
    }

    public static long top5(NDArray scores, NDArray labels) {
        return correct(scores, labels, 5);
    }

    /** Correct counts for several k at once (one copy of the scores), in the order of {@code ks}. */
    public static long[] correct(NDArray scores, NDArray labels, int... ks) {
        int[] ranks = ranks(scores, labels);
        long[] out = new long[ks.length];
        for (int i = 0; i < ks.length; i++) {
            out[i] = count(ranks, ks[i]);
        }
        return out;
    }

    /**
     * The rank of each row's label (0 = first) under the rule above; Integer.MAX_VALUE where the
     * label's score is NaN.
     */
    public static int[] ranks(NDArray scores, NDArray labels) {
        if (scores.getShape().dimension() != 2) {
            throw new IllegalArgumentException("scores must be [B, C], got " + scores.getShape());
        }
        int rows = Math.toIntExact(scores.getShape().get(0));
        int classes = Math.toIntExact(scores.getShape().get(1));
        if (labels.getShape().size() != rows) {
            throw new IllegalArgumentException(labels.getShape().size() + " labels for " + rows + " rows of scores");
        }
        float[] s = scores.toType(DataType.FLOAT32, false).toFloatArray();
        long[] l = labels.toType(DataType.INT64, false).toLongArray();
        return ranks(s, classes, l);
    }

    /** {@link #ranks(NDArray, NDArray)} on row-major scores [labels.length, classes]. */
    public static int[] ranks(float[] scores, int classes, long[] labels) {
        if (scores.length != (long) labels.length * classes) {
            throw new IllegalArgumentException(scores.length + " scores for " + labels.length + " rows of " + classes);
        }
        int[] ranks = new int[labels.length];
        for (int r = 0; r < labels.length; r++) {
            long label = labels[r];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " out of range for " + classes + " classes");
            }
            int off = r * classes;
            float target = scores[off + (int) label];
            if (Float.isNaN(target)) {
                ranks[r] = Integer.MAX_VALUE;
                continue;
            }
            int before = 0;
            for (int c = 0; c < classes; c++) {
                float v = scores[off + c];
                if (v > target || (v == target && c < label)) {
                    before++;
                }
            }
            ranks[r] = before;
        }
        return ranks;
    }

    private static long count(int[] ranks, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        long n = 0;
        for (int rank : ranks) {
            if (rank < k) {
                n++;
            }
        }
        return n;
    }
}
