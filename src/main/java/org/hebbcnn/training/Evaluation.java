package org.hebbcnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.BatchIterator;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.nn.Accuracy;

/** Accuracy of a scoring function over a whole image set, in batches. */
public final class Evaluation {
    public static final int BATCH = 256;

    private Evaluation() {}

    /** Top-k accuracies in [0, 1] for each k in {@code ks}, in one pass over the set. */
    public static double[] accuracies(NDManager manager, ImageSet set, Normalization normalization,
            UnaryOperator<NDArray> scores, int... ks) {
        long[] correct = new long[ks.length];
        for (Batch b : BatchIterator.of(set, normalization, BatchOptions.evaluation(BATCH), 0, manager)) {
            try (b) {
                long[] c = Accuracy.correct(scores.apply(b.images()), b.labels(), ks);
                for (int i = 0; i < ks.length; i++) {
                    correct[i] += c[i];
                }
            }
        }
        double[] out = new double[ks.length];
        for (int i = 0; i < ks.length; i++) {
            out[i] = correct[i] / (double) set.size();
        }
        return out;
    }

    /** Top-k accuracy in [0, 1] of {@code scores} (images [B,3,32,32] to class scores [B, C]). */
    public static double accuracy(NDManager manager, ImageSet set, Normalization normalization,
            UnaryOperator<NDArray> scores, int k) {
        return accuracyOfBatches(manager, set, normalization, b -> scores.apply(b.images()), k);
    }

    /** As {@link #accuracy}, with scores computed from the whole batch (its indices too, e.g. for a cache). */
    public static double accuracyOfBatches(NDManager manager, ImageSet set, Normalization normalization,
            Function<Batch, NDArray> scores, int k) {
        long correct = 0;
        for (Batch b : BatchIterator.of(set, normalization, BatchOptions.evaluation(BATCH), 0, manager)) {
            try (b) {
                correct += Accuracy.correct(scores.apply(b), b.labels(), k);
            }
        }
        return correct / (double) set.size();
    }
}
