package org.hebbcnn.experiments;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.data.Splits;
import org.hebbcnn.features.FeatureStore;
import org.hebbcnn.training.Evaluation;
import org.hebbcnn.training.RidgeReadout;
import org.hebbcnn.training.RidgeSums;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.Djl;

/**
 * Miconi's ridge readout of a finished run ({@code readout ridge}): the run's base network of one
 * method and seed, rebuilt from its checkpoint as the experiments load it ({@link Workspace#base}, once
 * {@link Workspace#checkFinished} has refused an unfinished one);
 * the chosen layers' outputs computed once for the training images (with {@code flips}, their mirrored
 * copies too), the validation and the test images, in a feature store under the run's folder
 * ({@value #FEATURES}/, deleted afterwards); a {@link RidgeReadout} fitted on them; and
 * {@value #FILE} written beside the run's {@code result.json}.
 * The folder is an experiment's {@code --out} ({@link FinishedRun}).
 */
public final class RidgeExperiment {
    public static final String FILE = "ridge.json";
    public static final String FEATURES = "ridge-features";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What to fit.
     *
     * @param method          the run's method (null: its only one)
     * @param layers          the network's layers to read (empty: the top layer the run's probes read)
     * @param lastEpoch       the network at its last epoch (Miconi's), else at its selected one (the probes')
     * @param memoryLimitBytes the most one layer's F x F float64 matrix may take
     */
    public record Settings(String method, int seed, int[] layers, double[] alphas, boolean flips, boolean lastEpoch,
            long memoryLimitBytes) {}

    /**
     * What {@value #FILE} holds.
     *
     * @param networkEpoch    the epoch whose checkpoint was read ({@code epochChoice}: last or selected)
     * @param trainImages     training images, before flips
     * @param featureSeconds  computing the features (the network's forward passes)
     */
    public record Report(String method, int seed, long dataSeed, int networkEpoch, String epochChoice, int epochsDone,
            boolean flips, double[] alphas, int trainImages, int validationImages, int testImages, double featureSeconds,
            List<RidgeReadout.Result> layers) {
        /** The readout's table: one row per layer, accuracies in percent. */
        public String toMarkdown() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "Ridge readout of %s seed %d (%s epoch %d; %d training images%s; features %.0f s)%n%n", method, seed,
                    epochChoice, networkEpoch, trainImages, flips ? " and their horizontal flips" : "", featureSeconds));
            b.append("| layer | alpha | validation top-1 | test top-1 | test top-5 | seconds |\n");
            b.append("|---|---|---|---|---|---|\n");
            for (RidgeReadout.Result r : layers) {
                b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %.1f |%n", r.layer(), alpha(r.alpha()),
                        percent(r.validationTop1()), percent(r.testTop1()), percent(r.testTop5()), r.seconds()));
            }
            return b.toString();
        }

        private static String alpha(double a) {
            return a == Math.rint(a) && Math.abs(a) < 1e15 ? Long.toString((long) a) : Double.toString(a);
        }

        private static String percent(double p) {
            return Double.isNaN(p) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * p);
        }
    }

    private final FinishedRun finished;
    private final Consumer<String> log;
    private Path written;

    /**
     * @param out     the experiment's output folder
     * @param dataDir the dataset's folder when not where the run found it, or null
     */
    public RidgeExperiment(Path out, Path dataDir, Consumer<String> log) {
        this.finished = new FinishedRun(out, dataDir, log);
        this.log = log;
    }

    /** Fits the readout, writes {@value #FILE} into the run's folder and returns what it holds. */
    public Report run(Settings settings) throws IOException {
        Workspace ws = finished.workspace().loadLastEpoch(settings.lastEpoch());
        String method = FinishedRun.method(settings.method(), ws);
        int seed = settings.seed();
        ws.checkFinished(method, seed); // before the dataset is read
        Path runDir = ws.baseDir(method, seed);
        Splits s = ws.splits(seed);
        Report report;
        try (Normalization norm = ws.normalization(method, s); NDManager m = Djl.newManager()) {
            TrainedNetwork net = ws.base(method, seed, m, norm); // finished: checked above, so nothing trains
            int[] layers = FinishedRun.layers(settings.layers(), net, ws);
            for (int l : layers) { // before any image is run
                RidgeSums.checkMemory(l, ws.plan(s).features(l), settings.memoryLimitBytes());
            }
            int epoch = settings.lastEpoch() ? net.outcome().state().epochsDone() : net.outcome().state().bestEpoch();
            ImageSet train = ws.train(s);
            ImageSet validation = ws.validation(s);
            List<ImageSet> training = RidgeReadout.trainingSets(train, settings.flips());
            Map<String, ImageSet> sets = new LinkedHashMap<>();
            for (ImageSet t : training) {
                sets.put(t == train ? "train" : "train-flipped", t);
            }
            sets.put("validation", validation);
            sets.put("test", s.test());
            String key = ws.identity() + " | " + method + "/seed-" + seed + " network epoch " + epoch + " layers "
                    + Arrays.toString(layers);
            log.accept(String.format(Locale.ROOT, "ridge readout of %s seed %d: network at its %s epoch %d, layers %s, "
                    + "alphas %s%s", method, seed, settings.lastEpoch() ? "last" : "selected", epoch,
                    Arrays.toString(layers), Arrays.toString(settings.alphas()), settings.flips() ? ", with flips" : ""));
            Path featuresDir = runDir.resolve(FEATURES);
            FeatureStore store = new FeatureStore(featuresDir, FeatureStore.DEFAULT_MEMORY_BUDGET_BYTES, sets, norm,
                    x -> Workspace.pick(net.features(x), layers), Evaluation.BATCH, key, m, log);
            List<RidgeReadout.Result> results;
            try {
                store.build();
                results = new RidgeReadout(m, s.numClasses()).alphas(settings.alphas())
                        .memoryLimitBytes(settings.memoryLimitBytes()).numberLayers(layers).label(method + " ridge")
                        .fit(store, training, validation, s.test());
            } finally {
                store.delete(); // a killed run leaves its files, which the next one resumes and then deletes
            }
            report = new Report(method, seed, s.dataSeed(), epoch, settings.lastEpoch() ? "last" : "selected",
                    net.outcome().state().epochsDone(), settings.flips(), settings.alphas(), train.size(),
                    validation.size(), s.test().size(), store.extractionSeconds(), results);
        }
        written = runDir.resolve(FILE);
        AtomicFiles.writeString(written, JSON.writeValueAsString(report));
        return report;
    }

    /** The {@value #FILE} the last {@link #run} wrote. */
    public Path written() {
        return written;
    }
}
