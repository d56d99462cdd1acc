package org.hebbcnn.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.hebbcnn.config.Hyperparameters;
import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.config.ProbeOptions;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.BatchIterator;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ChannelNormalization;
import org.hebbcnn.data.Datasets;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.data.Splits;
import org.hebbcnn.data.ZcaWhitening;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.config.RunRecord;
import org.hebbcnn.network.LayerRules;
import org.hebbcnn.training.Provenance;
import org.hebbcnn.features.FeatureStore;
import org.hebbcnn.network.BackpropNetwork;
import org.hebbcnn.network.HebbianNetwork;
import org.hebbcnn.network.HybridConfig;
import org.hebbcnn.network.HybridConfig.Stage;
import org.hebbcnn.network.Vae;
import org.hebbcnn.reports.ReconstructionGrid;
import org.hebbcnn.rules.Hwta;
import org.hebbcnn.rules.PlasticityRule;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.training.BackpropNetworkTraining;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.training.CheckpointedTraining.EpochRecord;
import org.hebbcnn.training.CheckpointedTraining.Outcome;
import org.hebbcnn.training.Evaluation;
import org.hebbcnn.training.ProbeTraining;
import org.hebbcnn.training.VaeTraining;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.NodeLock;

/**
 * Where the experiments' trained networks live, and how each is trained the first time it is needed
 * and loaded every time after: so that a base network is trained once per seed and shared by every
 * table (layer-wise probes, hybrids, retrained tops, classifiers), and a hybrid's stage is trained
 * once and shared by every configuration that starts the same way.
 *
 * <pre>
 *   BASES/&lt;method&gt;/seed-&lt;i&gt;/network/ckpt-&lt;epoch&gt;   the base network (bp, hpca, hwta, vae)
 *   BASES/&lt;method&gt;/seed-&lt;i&gt;/probes/, result.json   its probes (layer-wise and classifiers tables)
 *   BASES/&lt;method&gt;/seed-&lt;i&gt;/features/          its layers' outputs while the probes train (FeatureStore)
 *   BASES/&lt;method&gt;/seed-&lt;i&gt;/ridge.json         its ridge readout, when asked for ({@link RidgeExperiment})
 *   STAGES/seed-&lt;i&gt;/[&lt;rule&gt;-]&lt;stage name&gt;/ckpt-*    fresh hybrid stages (see HybridConfig#stageName)
 * </pre>
 *
 * A stage is a whole network object of which only the layers from the stage's first up are trained
 * and saved usefully: its layers below stay at their initial weights, unused. Whatever reads a
 * stage's checkpoint (the report's layer-1 kernels) must know that, hence the folder name
 * {@link #STAGES}, which the experiments' commands give the stages folder.
 *
 * Every training is checkpointed after each epoch ({@link CheckpointedTraining}), so a killed run
 * resumes where it stopped. Run i uses model seed i and data seed 200 + i.
 *
 * <p>Each network, probe set and hybrid result is trained and written under the {@link NodeLock} of its
 * folder, so any number of processes may share one results folder: a second process asking for a
 * folder being trained waits, then loads what the first trained.
 */
public final class Workspace {
    public static final long DATA_SEED_BASE = 200;
    /** The folder name of the experiments' base networks. */
    public static final String BASES = "bases";
    /** The folder name of hybrid and retrained stages (layers below a stage's first are untrained). */
    public static final String STAGES = org.hebbcnn.reports.ResultFolders.STAGES;
    /** The picture of a VAE's reconstructions, written beside its network folder. */
    public static final String RECONSTRUCTIONS_PNG = org.hebbcnn.reports.ResultFolders.RECONSTRUCTIONS_PNG;
    /** The feature store of a base network's probes, beside its network and probes folders. */
    public static final String FEATURES = "features";
    /** The seconds its probes' feature store took to compute, written into the probes folder. */
    public static final String FEATURE_EXTRACTION_JSON = "feature-extraction.json";

    private final LayerwiseSettings settings;
    private final Hyperparameters hyper;
    private final NetworkSpec spec;
    private final String identity;
    private final Path dataDir;
    private final Path basesDir;
    private final Path stagesDir;
    private final Consumer<String> log;
    private final int validationSize;
    private final boolean greedy;
    private Splits splits;
    private boolean keepFeatures;
    private boolean lastEpoch;
    private long featureMemoryBytes = FeatureStore.DEFAULT_MEMORY_BUDGET_BYTES;

    /**
     * @param settings the profile (dataset, epochs, subsets, batch)
     * @param dataDir  a folder with the dataset's files, or null for the default location
     */
    public Workspace(LayerwiseSettings settings, Path dataDir, Path basesDir, Path stagesDir, Consumer<String> log) {
        this(settings, Hyperparameters.paper(), dataDir, basesDir, stagesDir, log);
    }

    public Workspace(LayerwiseSettings settings, Hyperparameters hyper, Path dataDir, Path basesDir, Path stagesDir,
            Consumer<String> log) {
        this(ExperimentConfig.of(settings, hyper, NetworkSpec.tryout()), dataDir, basesDir, stagesDir, log);
    }

    /** The workspace of a configuration: its profile, hyperparameters, network and identity. */
    public Workspace(ExperimentConfig config, Path basesDir, Path stagesDir, Consumer<String> log) {
        this(config, config.dataDirectory(), basesDir, stagesDir, log);
    }

    private Workspace(ExperimentConfig config, Path dataDir, Path basesDir, Path stagesDir, Consumer<String> log) {
        this.settings = config.settings();
        this.hyper = config.hyperparameters();
        this.spec = config.networkSpec();
        this.identity = config.identity();
        this.validationSize = config.validationSize == null ? 0 : config.validationSize;
        this.greedy = Boolean.TRUE.equals(config.hebbian.greedy);
        this.dataDir = dataDir;
        this.basesDir = basesDir;
        this.stagesDir = stagesDir;
        this.log = log;
    }

    public LayerwiseSettings settings() {
        return settings;
    }

    public Hyperparameters hyperparameters() {
        return hyper;
    }

    /** Whether Hebbian networks learn greedily, one layer at a time ({@code hebbian.greedy}). */
    public boolean greedy() {
        return greedy;
    }

    /** Epochs the base network of {@code method} trains ({@link NetworkKind#epochs}). */
    public int networkEpochs(String method) {
        return Method.of(method).kind().epochs(this, spec.depth(), 1);
    }

    /** What makes runs interchangeable: the hash of the resolved configuration ({@link ExperimentConfig#identity}). */
    public String identity() {
        return identity;
    }

    /**
     * Whether the network is the paper's try-out network, the only one the paper's figures and its
     * 20 + 20 epoch schedule are a yardstick for (a protocol's or a user's network has its own).
     */
    public boolean paperNetwork() {
        return spec().equals(NetworkSpec.tryout());
    }

    /** The network every base and stage of this workspace is built from. */
    public NetworkSpec spec() {
        return spec;
    }

    /** The spec resolved for the images and classes of {@code s}. */
    public NetworkPlan plan(Splits s) {
        ImageSet t = s.train();
        return spec.plan(new long[] {t.channels(), t.height(), t.width()}, s.numClasses());
    }

    public Consumer<String> log() {
        return log;
    }

    /**
     * Keep each base network's feature store ({@value #FEATURES}/ beside its probes) after the probes
     * finish, instead of deleting it. Returns this.
     */
    public Workspace keepFeatures(boolean keep) {
        this.keepFeatures = keep;
        return this;
    }

    /**
     * Load networks at their last epoch instead of their selected one (Miconi reads his network as
     * training left it). Returns this.
     */
    public Workspace loadLastEpoch(boolean last) {
        this.lastEpoch = last;
        return this;
    }

    /** The checkpoint a training's network is loaded from: its selected epoch's, or its last's ({@link #loadLastEpoch}). */
    Path checkpointToLoad(Outcome o) {
        return lastEpoch ? o.lastCheckpoint() : o.bestCheckpoint();
    }

    /** Feature stores up to this size stay in memory, larger ones go to files (default 2 GiB). Returns this. */
    public Workspace featureMemoryBytes(long bytes) {
        this.featureMemoryBytes = bytes;
        return this;
    }

    /** The splits of run {@code seed} (data seed 200 + seed); the last ones are kept in memory. */
    public Splits splits(int seed) {
        if (splits == null || splits.dataSeed() != DATA_SEED_BASE + seed) {
            splits = null; // let the previous seed's images go before loading the next
            splits = Datasets.prepare(settings.dataset(), dataDir, DATA_SEED_BASE + seed, validationSize);
        }
        return splits;
    }

    /**
     * The input preprocessing of a network of {@code method}: ZCA whitening where its kind wants it
     * (a winner-take-all first layer, as the reference whitens HWTA's input), else per-channel
     * standardisation; both fitted on the whole training split.
     */
    public Normalization normalization(String method, Splits splits) {
        String input = spec.input();
        if (input.equals("auto")) {
            Method m = Method.of(method);
            input = m.kind().wantsWhitenedInput(plan(splits), m, this) ? "zca" : "channel";
        }
        return switch (input) {
            case "zca" -> ZcaWhitening.fitOrLoad(splits, hyper.zcaEpsilon());
            case "none" -> Normalization.none();
            default -> ChannelNormalization.fit(splits.train());
        };
    }

    public ImageSet train(Splits s) {
        return first(s.train(), settings.trainImages());
    }

    public ImageSet validation(Splits s) {
        return first(s.validation(), settings.validationImages());
    }

    static ImageSet first(ImageSet set, int n) {
        if (n == 0 || n >= set.size()) {
            return set;
        }
        return set.select(IntStream.range(0, n).toArray(), set.name());
    }

    /** The L2 of the backprop baseline: 5e-2, 1e-2 for CIFAR-100 (reference notes), unless set. */
    public float baselineWeightDecay() {
        return hyper.weightDecay(settings.dataset());
    }

    public Path baseDir(String method, int seed) {
        return basesDir.resolve(method).resolve("seed-" + seed);
    }

    /**
     * The base network of {@code method} for run {@code seed}, trained now unless an earlier run did,
     * loaded at its selected epoch, in {@code m}. {@code norm} must be {@link #normalization(String,
     * Splits)} of that method.
     */
    public TrainedNetwork base(String method, int seed, NDManager m, Normalization norm) {
        Splits s = splits(seed);
        Method kind = Method.of(method);
        Path dir = baseDir(method, seed).resolve("network");
        try (NodeLock lock = NodeLock.acquire(dir, log)) {
            provenance(dir, kind.kind(), method, kind.rule(), 1, null, seed, s, norm);
            return kind.kind().base(this, kind, plan(s), s, seed, m, norm, dir);
        }
    }

    /**
     * Refuses, naming the folder, a base network of run {@code seed} with no checkpoint or fewer
     * epochs done than the configuration's: for readers of a finished run, which must not train.
     */
    public void checkFinished(String method, int seed) {
        Path dir = baseDir(method, seed).resolve("network");
        try {
            if (CheckpointedTraining.latest(dir).isEmpty()) {
                throw new InputError(dir + ": no trained " + method + " network of seed " + seed + " (run its experiment first)");
            }
            int done = CheckpointedTraining.readState(dir).epochsDone();
            int needed = networkEpochs(method);
            if (done < needed) {
                throw new InputError(dir + ": the network has trained " + done + " of its " + needed
                        + " epochs; finish it by running its experiment again");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes what makes the network in {@code dir} ({@link Provenance}), before it is trained or loaded. */
    private void provenance(Path dir, NetworkKind kind, String method, String rule, int first, String hybrid, int seed,
            Splits s, Normalization norm) {
        List<String> rules = kind == NetworkKind.HEBBIAN
                ? spec.layers().stream().map(l -> LayerRules.name(l, rule)).toList() : List.of();
        String kindName = kind == NetworkKind.HEBBIAN ? "hebbian" : kind == NetworkKind.VAE ? "vae" : "backprop";
        try {
            new Provenance(identity, spec.canonical(), kindName, method, rules, first, hybrid, seed, s.dataSeed(),
                    settings.dataset(), norm.describe(), RunRecord.currentCommit())
                    .write(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Stage {@code i} (not the first) of a hybrid: a fresh network of the stage's kind trained from
     * the stage's first layer up to the classifier on {@code below} (images to the output of the
     * frozen stages under it), trained now unless an earlier run did, loaded at its selected epoch.
     * Hebbian stages learn by {@code rule}.
     */
    public TrainedNetwork stage(HybridConfig config, int i, String rule, int seed, NDManager m, Normalization norm,
            UnaryOperator<NDArray> below) {
        Splits s = splits(seed);
        Stage st = config.stages().get(i);
        Path dir = stageDir(config, i, rule, seed);
        String label = dir.getFileName() + " (layers " + st.first() + "-" + st.depth() + ")";
        NetworkKind kind = st.hebbian() ? NetworkKind.HEBBIAN : NetworkKind.BACKPROP;
        try (NodeLock lock = NodeLock.acquire(dir, log)) {
            provenance(dir, kind, st.hebbian() ? rule : "bp", rule, st.first(), config.text(), seed, s, norm);
            return kind.stage(this, st, rule, plan(s), s, seed, m, norm, below, dir, label);
        }
    }

    /** The hybrid configuration {@code text} for this workspace's network. */
    public HybridConfig hybridConfig(String text) {
        return HybridConfig.parse(text, spec.depth());
    }

    /** Where stage {@code i} of a hybrid keeps its checkpoints (shared by configs that start alike). */
    public Path stageDir(HybridConfig config, int i, String rule, int seed) {
        return stagesDir.resolve("seed-" + seed).resolve((config.stageUsesRule(i) ? rule + "-" : "") + config.stageName(i));
    }

    /**
     * A hybrid network for run {@code seed}, built bottom-up (see {@link HybridConfig}): the first
     * stage is a frozen slice of the base network, each later stage is trained on the frozen ones
     * under it (or loaded, when an earlier run trained it); then the whole is scored on the test set.
     * Its result is kept in {@code resultDir} and read back from there on later calls.
     */
    public HybridRun hybrid(HybridConfig config, String rule, int seed, Path resultDir) throws IOException {
        try (NodeLock lock = NodeLock.acquire(resultDir, log)) {
            return hybridLocked(config, rule, seed, resultDir);
        }
    }

    private HybridRun hybridLocked(HybridConfig config, String rule, int seed, Path resultDir) throws IOException {
        HybridRun done = HybridRun.read(resultDir).orElse(null);
        if (done != null) {
            log.accept("== " + config + " (" + rule + "), seed " + seed + ": done earlier (" + resultDir.resolve(HybridRun.FILE) + ")");
            return done;
        }
        log.accept(String.format(Locale.ROOT, "== hybrid %s (%s), seed %d (data seed %d): %s", config, rule, seed,
                DATA_SEED_BASE + seed, settings.describe()));
        Splits s = splits(seed);
        List<Stage> stages = config.stages();
        String baseMethod = baseMethod(config, rule);
        HybridRun run;
        try (Normalization norm = normalization(baseMethod, s); NDManager m = Djl.newManager()) {
            List<HybridRun.StageRecord> records = new ArrayList<>();
            List<TrainedNetwork> nets = stages(config, rule, seed, stages.size() - 1, m, norm);
            for (int i = 0; i < stages.size(); i++) {
                Stage st = stages.get(i);
                TrainedNetwork net = nets.get(i);
                records.add(new HybridRun.StageRecord(st.first(), st.last(), String.valueOf(st.kind()),
                        i == 0 ? "base " + baseMethod : "stage " + stageDir(config, i, rule, seed).getFileName(),
                        net.outcome().state().bestEpoch(), meanSeconds(net.outcome())));
            }
            TrainedNetwork top = nets.get(stages.size() - 1);
            int k5 = Math.min(5, s.numClasses());
            double[] acc = Evaluation.accuracies(m, s.test(), norm, top.scores()::apply, 1, k5);
            run = new HybridRun(config.text(), rule, seed, s.dataSeed(), records, top.outcome().state().bestEpoch(),
                    top.outcome().state().bestValidation(), acc[0], s.numClasses() >= 5 ? acc[1] : Double.NaN);
            log.accept(String.format(Locale.ROOT, "%s (%s) seed %d: test %.2f%% (top stage epoch %d)", config, rule,
                    seed, 100 * acc[0], run.bestEpoch()));
        }
        run.write(resultDir);
        return run;
    }

    /** The base network a hybrid's first stage slices: the backprop one, or the Hebbian one of {@code rule}. */
    public static String baseMethod(HybridConfig config, String rule) {
        return config.stages().get(0).hebbian() ? rule : "bp";
    }

    /**
     * The networks of a hybrid's stages 0..{@code last}, bottom-up: the base network, then each stage
     * trained on the frozen ones under it, each trained now unless an earlier run did, loaded in
     * {@code m}. {@code norm} is the base's {@link #normalization}.
     */
    public List<TrainedNetwork> stages(HybridConfig config, String rule, int seed, int last, NDManager m,
            Normalization norm) {
        List<Stage> stages = config.stages();
        List<TrainedNetwork> nets = new ArrayList<>();
        nets.add(base(baseMethod(config, rule), seed, m, norm));
        UnaryOperator<NDArray> below = UnaryOperator.identity();
        for (int i = 1; i <= last; i++) {
            TrainedNetwork under = nets.get(i - 1);
            Stage prev = stages.get(i - 1);
            UnaryOperator<NDArray> belowPrev = below;
            below = x -> under.output(belowPrev.apply(x), prev.first(), prev.last());
            nets.add(stage(config, i, rule, seed, m, norm, below));
        }
        return nets;
    }

    /**
     * The base network of {@code method} with an SGD, an SHC and a CHL probe on each of its layers under the classifier
     * (the layer-wise and classifiers tables), trained now unless an earlier run did.
     */
    public LayerwiseRun probeRun(String method, int seed) throws IOException {
        try (NodeLock lock = NodeLock.acquire(baseDir(method, seed).resolve("probes"), log)) {
            return probeRunLocked(method, seed);
        }
    }

    private LayerwiseRun probeRunLocked(String method, int seed) throws IOException {
        Path dir = baseDir(method, seed);
        LayerwiseRun done = LayerwiseRun.read(dir).orElse(null);
        if (done != null) {
            log.accept("== " + method + ", seed " + seed + ": done earlier (" + dir.resolve(LayerwiseRun.FILE) + ")");
            return done;
        }
        log.accept(String.format(Locale.ROOT, "== %s, seed %d (data seed %d): %s", method, seed,
                DATA_SEED_BASE + seed, settings.describe(paperNetwork())));
        Splits s = splits(seed);
        int classes = s.numClasses();
        int k5 = Math.min(5, classes);
        LayerwiseRun run;
        try (Normalization norm = normalization(method, s); NDManager m = Djl.newManager()) {
            TrainedNetwork net = base(method, seed, m, norm);
            Outcome o = net.outcome();
            double[] testAcc = net.scores() == null ? new double[] {Double.NaN, Double.NaN}
                    : Evaluation.accuracies(m, s.test(), norm, net.scores()::apply, 1, k5);
            if (net.scores() == null) {
                log.accept(String.format(Locale.ROOT, "%s seed %d: epoch %d selected (validation loss %.4f)", method, seed,
                        o.state().bestEpoch(), -o.state().bestValidation()));
            } else {
                log.accept(String.format(Locale.ROOT, "%s seed %d: network epoch %d selected (validation %.2f%%), test %.2f%%",
                        method, seed, o.state().bestEpoch(), 100 * o.state().bestValidation(), 100 * testAcc[0]));
            }
            NetworkPlan plan = plan(s);
            ProbeOptions options = hyper.probeOptions();
            options.check(net.probedLayers());
            int[] probedLayers = java.util.stream.IntStream.rangeClosed(1, net.probedLayers()).filter(options::probes).toArray();
            long[] features = java.util.Arrays.stream(probedLayers).mapToLong(plan::features).toArray();
            boolean all = probedLayers.length == net.probedLayers();
            ProbeTraining.Features layers = all ? net::features : x -> pick(net.features(x), probedLayers);
            ImageSet train = train(s);
            ImageSet validation = validation(s);
            ProbeTraining probes = probes(m, layers, features, probedLayers, classes, train, validation, s.test(), norm,
                    seed, settings.probeEpochs(), method + " probes");
            CheckpointedTraining.State network = net.outcome().state();
            String key = identity() + " | " + dir.getParent().getFileName() + "/" + dir.getFileName() + " network epoch "
                    + network.bestEpoch() + " of " + network.epochsDone()
                    + (all ? "" : " layers " + java.util.Arrays.toString(probedLayers));
            Outcome probed = probeWithStore(dir.resolve("probes"), dir.resolve(FEATURES), key, settings.probeEpochs(), probes,
                    layers, train, validation, s.test(), norm, m);
            List<ProbeTraining.Result> results = new ArrayList<>();
            for (String kind : ProbeTraining.KINDS) {
                for (int l : probes.layerNumbers()) {
                    results.add(probes.result(kind, l, 1));
                }
            }
            run = new LayerwiseRun(method, seed, s.dataSeed(), o.state().bestEpoch(), o.state().bestValidation(),
                    testAcc[0], classes >= 5 ? testAcc[1] : Double.NaN, meanSeconds(o), meanSeconds(probed), results);
        }
        run.write(dir);
        return run;
    }

    /**
     * The run's probes (its {@code probes.*} settings: optimiser, schedule, batch, L2, dropout, the
     * SHC and CHL rates) on the {@code probedLayers} of a frozen network, untrained.
     *
     * @param features each probed layer's flattened size
     */
    ProbeTraining probes(NDManager m, ProbeTraining.Features layers, long[] features, int[] probedLayers, int classes,
            ImageSet train, ImageSet validation, ImageSet test, Normalization norm, int seed, int epochs, String label) {
        ProbeOptions options = hyper.probeOptions();
        ProbeTraining probes = new ProbeTraining(m, layers, features, classes, train, validation, test, norm,
                options.batch() > 0 ? options.batch() : settings.batchSize(), hyper.probeSchedule(),
                (float) hyper.shcProbeLr(), seed, epochs, label).numberLayers(probedLayers);
        if (options.optimizer().equals(ProbeOptions.ADAM)) {
            probes.configureAdam((float) hyper.probeWeightDecay(), (float) hyper.dropout());
        } else {
            probes.configureSgd((float) hyper.probeWeightDecay(), (float) hyper.momentum(), (float) hyper.dropout());
        }
        probes.configureChl((float) hyper.chlProbeLr());
        return probes;
    }

    /**
     * Trains (or resumes) {@code probes} for {@code epochs} epochs in {@code probesDir}, reading the
     * frozen network's layers from a feature store in {@code featuresDir} made for {@code key}:
     * computed once per image before the first epoch (unless the probes are done already; its time
     * goes to {@value #FEATURE_EXTRACTION_JSON}), resumed from its completed chunks after a kill,
     * deleted when the probes finish unless {@link #keepFeatures}, and deleted too when anything here
     * fails (a killed process cannot clean up, which is why the chunks it leaves are reused).
     */
    Outcome probeWithStore(Path probesDir, Path featuresDir, String key, int epochs, ProbeTraining probes,
            ProbeTraining.Features layers, ImageSet train, ImageSet validation, ImageSet test, Normalization norm,
            NDManager m) throws IOException {
        Map<String, ImageSet> sets = new LinkedHashMap<>();
        sets.put("train", train);
        sets.put("validation", validation);
        sets.put("test", test);
        Outcome probed;
        try {
            // A store to keep goes to files even when it would fit in memory: memory is gone with the process.
            try (FeatureStore store = new FeatureStore(featuresDir, keepFeatures ? 0 : featureMemoryBytes, sets, norm, layers::apply,
                    Evaluation.BATCH, key, m, log)) {
                probes.readFeaturesFrom(store);
                if (!CheckpointedTraining.done(probesDir, epochs)) {
                    store.build(); // before the first epoch, so that the epochs' times are the probes' alone
                    AtomicFiles.writeString(probesDir.resolve(FEATURE_EXTRACTION_JSON), String.format(Locale.ROOT,
                            "{\"seconds\": %.3f, \"images\": %d, \"bytes\": %d, \"inMemory\": %b}%n",
                            store.extractionSeconds(), train.size() + validation.size() + test.size(), store.bytes(),
                            store.inMemory()));
                }
                probed = CheckpointedTraining.run(probesDir, epochs, probes, log);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                FeatureStore.deleteFolder(featuresDir);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        if (keepFeatures) {
            if (java.nio.file.Files.isDirectory(featuresDir)) {
                log.accept("feature store kept: " + featuresDir);
            }
        } else {
            FeatureStore.deleteFolder(featuresDir);
        }
        return probed;
    }

    /**
     * Seconds the feature store of the probes in {@code probesDir} took to compute, from the
     * {@value #FEATURE_EXTRACTION_JSON} they wrote; 0 where they wrote none.
     */
    public static double featureExtractionSeconds(Path probesDir) throws IOException {
        Path f = probesDir.resolve(FEATURE_EXTRACTION_JSON);
        return java.nio.file.Files.isRegularFile(f)
                ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile()).path("seconds").asDouble() : 0;
    }

    /** The outputs of layers {@code probed} (1-based) among every probed layer's {@code all}. */
    static NDList pick(NDList all, int[] probed) {
        NDList out = new NDList();
        for (int l : probed) {
            out.add(all.get(l - 1));
        }
        return out;
    }

    /** Mean wall time of an epoch (training and validation). */
    public static double meanSeconds(Outcome o) {
        return o.state().history().stream().mapToDouble(EpochRecord::seconds).average().orElse(Double.NaN);
    }
}
