package org.hebbcnn.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.features.FeatureBatch;
import org.hebbcnn.features.FeatureBatches;
import org.hebbcnn.features.FeatureSource;
import org.hebbcnn.nn.Accuracy;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Progress;

/**
 * Miconi's (2021) readout: a closed-form ridge regression of one-hot targets on each probed layer's
 * frozen features ({@link RidgeSums}: scikit-learn's {@code Ridge}, intercept fitted and not
 * penalised), predicting the class of the largest score. Beside the probes trained by epochs
 * ({@link ProbeTraining}), it reads its features from the same {@link FeatureSource}: one pass over
 * the training images (and, for Miconi's flips, their mirrored copies: {@link #trainingSets}) sums
 * what every layer needs, one pass over the validation images scores every alpha of the grid, and
 * one pass over the test images scores each layer's chosen alpha.
 *
 * <p>Model selection: the alpha with the best validation top-1, the earliest in the grid on ties. The
 * test scores choose nothing.
 */
public final class RidgeReadout {
    /** scikit-learn's default. */
    public static final double DEFAULT_ALPHA = 1.0;
    /** The most one layer's F x F float64 matrix may take unless {@link #memoryLimitBytes} says otherwise. */
    public static final long DEFAULT_MEMORY_LIMIT_BYTES = 2L << 30;

    /** One alpha's validation top-1 (NaN without validation images). */
    public record AlphaScore(double alpha, double validationTop1) {}

    /**
     * One layer's readout at its chosen alpha. Accuracies in [0,1] (top-5 NaN under 5 classes);
     * {@code seconds}: the layer's own arithmetic (sums, solves, scoring), not the reading of features.
     */
    public record Result(int layer, long features, long trainImages, double alpha, double validationTop1, double testTop1,
            double testTop5, double seconds, List<AlphaScore> alphas) {}

    private final NDManager manager;
    private final int classes;
    private double[] alphas = {DEFAULT_ALPHA};
    private long memoryLimitBytes = DEFAULT_MEMORY_LIMIT_BYTES;
    /** The network's numbers of the source's layers; null: 1..n. */
    private int[] numbers;
    private String label = "ridge";

    public RidgeReadout(NDManager manager, int classes) {
        this.manager = manager;
        this.classes = classes;
    }

    /** The grid of alphas (default {@value #DEFAULT_ALPHA} alone); each finite and > 0. Returns this. */
    public RidgeReadout alphas(double... grid) {
        alphas = checkAlphas(grid).clone();
        return this;
    }

    /** Refuses an empty grid or an alpha that is not a finite number > 0; returns the grid. */
    public static double[] checkAlphas(double... grid) {
        if (grid.length == 0) {
            throw new InputError("ridge readout: give at least one alpha");
        }
        for (double a : grid) {
            if (!(a > 0 && Double.isFinite(a))) {
                throw new InputError("ridge readout: alpha must be a finite number > 0, got " + a);
            }
        }
        return grid;
    }

    /** Refuse layers whose F x F float64 matrix would take more (default 2 GiB). Returns this. */
    public RidgeReadout memoryLimitBytes(long bytes) {
        memoryLimitBytes = bytes;
        return this;
    }

    /** The network's numbers of the source's layers, when they are not 1..n (messages and results). Returns this. */
    public RidgeReadout numberLayers(int... layerNumbers) {
        numbers = layerNumbers.clone();
        return this;
    }

    /** Names the progress bars. Returns this. */
    public RidgeReadout label(String name) {
        label = name;
        return this;
    }

    /** The training sets of the sums: {@code train}, and with {@code flips} its horizontally flipped copy too. */
    public static List<ImageSet> trainingSets(ImageSet train, boolean flips) {
        return flips ? List.of(train, train.flippedHorizontally(train.name() + "-flipped")) : List.of(train);
    }

    /**
     * Sums every layer of {@code source} over the images of {@code training}; close the returned sums.
     * A layer over the memory limit is refused (InputError naming it) before anything is allocated.
     */
    public List<RidgeSums> accumulate(FeatureSource source, List<ImageSet> training) {
        List<RidgeSums> sums = new ArrayList<>();
        try {
            for (ImageSet set : training) {
                FeatureBatches batches = source.batches(set, BatchOptions.evaluation(Evaluation.BATCH), 0, manager);
                try (ProgressBar bar = Progress.bar(label + " sums (" + set.name() + ")", batches.batchCount())) {
                    for (FeatureBatch b : batches) {
                        try (b) {
                            NDList f = b.features();
                            if (sums.isEmpty()) {
                                int[] layers = layerNumbers(f.size());
                                for (int l = 0; l < f.size(); l++) { // all checked before any is allocated
                                    RidgeSums.checkMemory(layers[l], f.get(l).size() / b.size(), memoryLimitBytes);
                                }
                                for (int layer : layers) {
                                    sums.add(new RidgeSums(manager, layer, classes, memoryLimitBytes));
                                }
                            }
                            for (int l = 0; l < sums.size(); l++) {
                                sums.get(l).add(f.get(l), b.labels());
                            }
                        }
                        bar.step();
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            sums.forEach(RidgeSums::close);
            throw e;
        }
        if (sums.isEmpty()) {
            throw new IllegalArgumentException("ridge readout: no training images");
        }
        return sums;
    }

    private int[] layerNumbers(int layers) {
        if (numbers == null) {
            return IntStream.rangeClosed(1, layers).toArray();
        }
        if (numbers.length != layers) {
            throw new IllegalArgumentException(layers + " layers from the source, " + numbers.length + " numbers");
        }
        return numbers;
    }

    /**
     * Fits every layer of {@code source} on {@code training} ({@link #trainingSets}), chooses each
     * layer's alpha on {@code validation} and scores it on {@code test}.
     */
    public List<Result> fit(FeatureSource source, List<ImageSet> training, ImageSet validation, ImageSet test) {
        if (alphas.length > 1 && validation.size() == 0) {
            throw new InputError("ridge readout: choosing among " + alphas.length + " alphas needs validation images");
        }
        try (NDManager fits = manager.newSubManager()) {
            List<RidgeSums> sums = accumulate(source, training);
            List<List<RidgeSums.Solution>> solutions = solveEach(sums, fits);
            long[] scoring = new long[sums.size()];
            long[][][] v = count(source, validation, solutions, scoring, false);
            List<RidgeSums.Solution> chosen = new ArrayList<>();
            List<List<AlphaScore>> grids = new ArrayList<>();
            int[] best = new int[sums.size()];
            for (int l = 0; l < sums.size(); l++) {
                List<AlphaScore> grid = new ArrayList<>();
                for (int a = 0; a < alphas.length; a++) {
                    grid.add(new AlphaScore(alphas[a], v[l][a][0] / (double) validation.size()));
                    if (grid.get(a).validationTop1() > grid.get(best[l]).validationTop1()) { // ties: the earliest
                        best[l] = a;
                    }
                }
                grids.add(List.copyOf(grid));
                chosen.add(solutions.get(l).get(best[l]));
            }
            boolean top5 = classes >= 5;
            long[][][] t = count(source, test, chosen.stream().map(List::of).toList(), scoring, top5);
            double n = test.size();
            List<Result> results = new ArrayList<>();
            for (int l = 0; l < sums.size(); l++) {
                RidgeSums s = sums.get(l);
                results.add(new Result(s.layer(), s.features(), s.images(), alphas[best[l]],
                        grids.get(l).get(best[l]).validationTop1(), t[l][0][0] / n, top5 ? t[l][0][1] / n : Double.NaN,
                        s.seconds() + scoring[l] / 1e9, grids.get(l)));
            }
            return results;
        }
    }

    /** Every layer's solutions for the grid, on {@code target}; each layer's F x F sums are freed before the next solves. */
    private List<List<RidgeSums.Solution>> solveEach(List<RidgeSums> sums, NDManager target) {
        List<List<RidgeSums.Solution>> solutions = new ArrayList<>();
        try {
            for (RidgeSums s : sums) {
                solutions.add(s.solve(alphas, target));
                s.close();
            }
        } finally {
            sums.forEach(RidgeSums::close);
        }
        return solutions;
    }

    /**
     * Correct top-1 (and top-5) counts [layer][solution][k] of every layer's solutions on {@code set};
     * adds each layer's nanoseconds to {@code nanos}.
     */
    private long[][][] count(FeatureSource source, ImageSet set, List<List<RidgeSums.Solution>> solutions, long[] nanos,
            boolean top5) {
        long[][][] correct = new long[solutions.size()][][];
        for (int l = 0; l < correct.length; l++) {
            correct[l] = new long[solutions.get(l).size()][2];
        }
        if (set.size() == 0) {
            return correct;
        }
        FeatureBatches batches = source.batches(set, BatchOptions.evaluation(Evaluation.BATCH), 0, manager);
        try (ProgressBar bar = Progress.bar(label + " scores (" + set.name() + ")", batches.batchCount())) {
            for (FeatureBatch b : batches) {
                try (b) {
                    for (int l = 0; l < correct.length; l++) {
                        long start = System.nanoTime();
                        NDArray x = b.features().get(l);
                        NDArray x64 = x.reshape(b.size(), -1).toType(DataType.FLOAT64, false); // once for every alpha
                        for (int a = 0; a < correct[l].length; a++) {
                            NDArray scores = solutions.get(l).get(a).scores(x64);
                            long[] c = top5 ? Accuracy.correct(scores, b.labels(), 1, 5)
                                    : new long[] {Accuracy.correct(scores, b.labels(), 1), 0};
                            correct[l][a][0] += c[0];
                            correct[l][a][1] += c[1];
                        }
                        nanos[l] += System.nanoTime() - start;
                    }
                }
                bar.step();
            }
        }
        return correct;
    }

    /** The grid of alphas. */
    public double[] alphas() {
        return alphas.clone();
    }
}
