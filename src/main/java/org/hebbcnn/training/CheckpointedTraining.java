package org.hebbcnn.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.hebbcnn.util.InputError;

/**
 * An epoch loop that survives being killed. After every epoch the model and the loop's state are
 * written to a fresh directory that is then renamed into place ({@code ckpt-<epoch>}, an atomic
 * step), so a run killed at any moment loses at most the epoch in progress, and running it again
 * resumes after the last complete epoch. The checkpoint of the best validation epoch is kept as
 * the selected model (the paper's model selection).
 *
 * <p>A newest checkpoint that cannot be read (a file truncated by a full disk, a {@code state.json}
 * edited by hand) stops the run with one line naming the file and the previous complete epoch;
 * with {@link #setResumeFrom} (the CLI's {@code --from-epoch N}) such a training resumes from
 * {@code ckpt-N} instead, after checking that it can be read, and only then discards the later ones.
 *
 * <p>A {@link StepResumable} model (one long epoch: SoftHebb's single epoch at batch 10) is also saved
 * inside an epoch, at most every {@link #partialEverySeconds} seconds, into {@code partial/}
 * (renamed into place as well, with {@code progress.json}: the epoch and the batches done); a run
 * killed mid-epoch resumes after the last saved batch, bit-identically, since an epoch's batches
 * come in the same order whatever batch it starts from.
 */
public final class CheckpointedTraining {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Checkpoint folders are named {@code ckpt-<epoch>}. */
    public static final String CHECKPOINT_PREFIX = "ckpt-";

    /** What the loop trains. */
    public interface Model {
        /** One epoch of training, 0-based. */
        void trainEpoch(int epoch);

        /** Validation accuracy (the selection criterion; higher is better). */
        double validate();

        /**
         * How the log shows a {@link #validate()} figure: a percentage by default; a model whose
         * figure is not an accuracy (e.g. a negated loss) overrides this.
         */
        default String formatValidation(double validation) {
            return String.format("%.2f%%", 100 * validation);
        }

        /**
         * Whether epoch {@code epoch} (0-based) may be selected as the model: all by default; a
         * greedy schedule only after its last layer has started to learn.
         */
        default boolean selectable(int epoch) {
            return true;
        }

        /** Writes everything needed to continue training bit-identically into an empty directory. */
        void save(Path dir);

        void load(Path dir);

        /**
         * Why the model has diverged, naming the layer (e.g. "layer 5 (hpca) is no longer finite (NaN
         * or infinity)"), or empty while it is healthy.
         */
        Optional<String> nonFinite();
    }

    /** A model that can stop and resume inside an epoch. */
    public interface StepResumable extends Model {
        /**
         * Trains batches {@code fromBatch..} of epoch {@code epoch} (0-based), in the epoch's usual
         * order, calling {@code afterBatch} with the number of the epoch's batches done after each one.
         */
        void trainEpoch(int epoch, int fromBatch, IntConsumer afterBatch);

        @Override
        default void trainEpoch(int epoch) {
            trainEpoch(epoch, 0, done -> {});
        }
    }

    /** Where a {@link StepResumable} model is saved inside an epoch. */
    public static final String PARTIAL = "partial";
    /** What {@code partial/progress.json} holds: the epoch in progress (0-based), batches done, seconds spent. */
    public record Progress(int epoch, int batches, double seconds) {}

    /**
     * Seconds between saves inside an epoch (system property {@code hebbcnn.partialCheckpointSeconds},
     * default 600): a save of the try-out network takes well under a second.
     */
    public static volatile double partialEverySeconds = Double.parseDouble(
            System.getProperty("hebbcnn.partialCheckpointSeconds", "600"));
    /** Tests: stop (throw) after this many batches of a step-resumable epoch, as a kill would; 0: never. */
    static volatile int stopAfterBatches;

    public record EpochRecord(int epoch, double validationAccuracy, double seconds) {}

    /** The loop's state, saved beside the model in every checkpoint. */
    public record State(int epochsDone, int bestEpoch, double bestValidation, List<EpochRecord> history) {
        static State initial() {
            return new State(0, 0, Double.NEGATIVE_INFINITY, List.of());
        }
    }

    /** The outcome: the state after the last epoch and the checkpoint holding the selected model. */
    public record Outcome(State state, Path bestCheckpoint) {
        /** The checkpoint of the last epoch done (always kept, beside the selected one). */
        public Path lastCheckpoint() {
            return bestCheckpoint.resolveSibling(CHECKPOINT_PREFIX + state.epochsDone());
        }
    }

    /** Raised when the model's parameters stop being finite. */
    public static final class DivergedException extends RuntimeException {
        public DivergedException(String message) {
            super(message);
        }
    }

    private CheckpointedTraining() {}

    /** The epoch to fall back to where the newest checkpoint is damaged (0: none given). */
    private static volatile int resumeFrom;

    /**
     * {@code --from-epoch N}: a training whose newest checkpoint cannot be read resumes from its
     * checkpoint of epoch {@code N} (which must exist and be readable); 0 turns this off. Trainings
     * whose newest checkpoint is readable are not affected.
     */
    public static void setResumeFrom(int epoch) {
        if (epoch < 0) {
            throw new InputError("--from-epoch must be >= 1, got " + epoch);
        }
        resumeFrom = epoch;
    }

    /**
     * Trains until {@code epochs} epochs are done, resuming from the newest checkpoint in {@code dir}.
     * Epochs are reported 1-based in messages.
     */
    public static Outcome run(Path dir, int epochs, Model model, Consumer<String> log) {
        try {
            Files.createDirectories(dir);
            State state = State.initial();
            Optional<Path> latest = latest(dir);
            if (latest.isPresent()) {
                state = resume(dir, latest.get(), model, log);
                log.accept(state.epochsDone() >= epochs ? "trained earlier: " + dir + " (selected epoch " + state.bestEpoch() + ")"
                        : "resuming " + dir + " after epoch " + state.epochsDone());
            }
            Progress partial = state.epochsDone() < epochs ? resumePartial(dir, state.epochsDone(), model, log) : null;
            deleteTree(dir.resolve(".tmp-" + PARTIAL)); // left by a kill during a save
            for (int epoch = state.epochsDone(); epoch < epochs; epoch++) {
                long start = System.nanoTime();
                double before = partial != null && partial.epoch() == epoch ? partial.seconds() : 0;
                int from = partial != null && partial.epoch() == epoch ? partial.batches() : 0;
                if (model instanceof StepResumable r) {
                    trainResumably(dir, r, epoch, from, start, before);
                } else {
                    model.trainEpoch(epoch);
                }
                Optional<String> bad = model.nonFinite();
                if (bad.isPresent()) {
                    throw new DivergedException("training diverged in epoch " + (epoch + 1) + ": " + bad.get()
                            + "; lower the learning rate");
                }
                // an epoch that cannot be selected (a greedy schedule's lower layers) is not scored:
                // its validation pass would run the whole network for nothing
                boolean selectable = model.selectable(epoch);
                double accuracy = selectable ? model.validate() : Double.NaN;
                double seconds = before + (System.nanoTime() - start) / 1e9;
                List<EpochRecord> history = new ArrayList<>(state.history());
                history.add(new EpochRecord(epoch + 1, accuracy, seconds));
                boolean best = selectable && accuracy > state.bestValidation();
                state = new State(epoch + 1, best ? epoch + 1 : state.bestEpoch(),
                        best ? accuracy : state.bestValidation(), history);
                write(dir, state, model);
                deleteTree(dir.resolve(PARTIAL));
                log.accept(String.format("epoch %d/%d: validation %s%s (%.0f s)", epoch + 1, epochs,
                        selectable ? model.formatValidation(accuracy) : "not scored (not selectable)",
                        best ? " (best)" : "", seconds));
            }
            return new Outcome(state, dir.resolve(CHECKPOINT_PREFIX + state.bestEpoch()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trains one epoch of {@code model} from batch {@code from}, saving it into partial/ every so often. */
    private static void trainResumably(Path dir, StepResumable model, int epoch, int from, long start, double before) {
        long[] lastSave = {System.nanoTime()};
        model.trainEpoch(epoch, from, done -> {
            long now = System.nanoTime();
            if ((now - lastSave[0]) / 1e9 >= partialEverySeconds) {
                writePartial(dir, model, new Progress(epoch, done, before + (now - start) / 1e9));
                lastSave[0] = System.nanoTime();
            }
            if (stopAfterBatches > 0 && done - from >= stopAfterBatches) {
                throw new IllegalStateException("stopped after " + done + " batches (test)");
            }
        });
    }

    private static void writePartial(Path dir, Model model, Progress progress) {
        try {
            Path tmp = dir.resolve(".tmp-" + PARTIAL);
            deleteTree(tmp);
            Files.createDirectories(tmp.resolve("model"));
            model.save(tmp.resolve("model"));
            JSON.writeValue(tmp.resolve("progress.json").toFile(), progress);
            Path target = dir.resolve(PARTIAL);
            Path old = dir.resolve(".old-" + PARTIAL);
            deleteTree(old);
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The progress saved inside epoch {@code epoch} (0-based), after loading its model; null (and a
     * stale partial/ deleted) when there is none for that epoch.
     */
    private static Progress resumePartial(Path dir, int epoch, Model model, Consumer<String> log) throws IOException {
        Path partial = dir.resolve(PARTIAL);
        if (!Files.isDirectory(partial) && Files.isDirectory(dir.resolve(".old-" + PARTIAL))) {
            Files.move(dir.resolve(".old-" + PARTIAL), partial); // killed between the two renames
        }
        Path file = partial.resolve("progress.json");
        if (!Files.isRegularFile(file) || !(model instanceof StepResumable)) {
            return null;
        }
        Progress p;
        try {
            p = JSON.readValue(file.toFile(), Progress.class);
        } catch (IOException e) {
            throw new InputError(file + ": damaged mid-epoch checkpoint (" + e.getMessage() + "); delete " + partial
                    + " to restart the epoch");
        }
        if (p.epoch() != epoch) {
            deleteTree(partial); // from an epoch that has finished since
            return null;
        }
        try {
            model.load(partial.resolve("model"));
        } catch (InputError | UncheckedIOException e) {
            throw new InputError(e.getMessage() + " (damaged mid-epoch checkpoint " + partial + "; delete it to restart "
                    + "the epoch)");
        }
        log.accept(String.format(java.util.Locale.ROOT, "resuming %s inside epoch %d after batch %d", dir, epoch + 1,
                p.batches()));
        return p;
    }

    /**
     * Loads the newest checkpoint, or, where it is damaged and {@code --from-epoch N} was given, the
     * checkpoint of epoch N, discarding the later ones once N has loaded.
     */
    private static State resume(Path dir, Path latest, Model model, Consumer<String> log) throws IOException {
        try {
            return load(latest, model);
        } catch (Damaged e) {
            int from = resumeFrom;
            int newest = epochOf(latest);
            if (from == 0 || from >= newest) {
                throw new InputError(e.getMessage() + "; " + fallbackHint(dir, newest), e.getCause());
            }
            Path previous = dir.resolve(CHECKPOINT_PREFIX + from);
            if (!isCheckpoint(previous)) {
                throw new InputError(e.getMessage() + "; --from-epoch " + from + ": " + dir + " holds no complete "
                        + "checkpoint of epoch " + from + " (" + fallbackHint(dir, newest) + ")", e.getCause());
            }
            State state;
            try {
                state = load(previous, model);
            } catch (Damaged again) {
                throw new InputError(again.getMessage() + " (--from-epoch " + from + ")", again.getCause());
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (epochOf(p) > from) {
                        deleteTree(p);
                    }
                }
            }
            log.accept("checkpoint of epoch " + newest + " damaged (" + e.getMessage() + "): discarded, back to epoch " + from);
            return state;
        }
    }

    /** "resume from the previous complete epoch with --from-epoch 2" or, with none, "delete DIR to retrain it". */
    private static String fallbackHint(Path dir, int newest) throws IOException {
        int previous = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                int e = epochOf(p);
                if (e > previous && e < newest && isCheckpoint(p)) {
                    previous = e;
                }
            }
        }
        return previous > 0 ? "to resume from the previous complete epoch, run the same command with --from-epoch " + previous
                : "no earlier checkpoint is kept: delete " + dir + " to train it again from the start";
    }

    /** A checkpoint whose files cannot be read; the message names the file. */
    private static final class Damaged extends Exception {
        Damaged(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Reads and checks {@code ckpt}'s state.json, then loads its model. */
    private static State load(Path ckpt, Model model) throws Damaged {
        Path file = ckpt.resolve("state.json");
        State state;
        try {
            state = JSON.readValue(file.toFile(), State.class);
        } catch (JsonProcessingException e) {
            throw new Damaged(file + ": damaged checkpoint (not a valid state: " + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new Damaged(file + ": damaged checkpoint (" + e.getMessage() + ")", e);
        }
        int epoch = epochOf(ckpt);
        if (state == null || state.history() == null || state.epochsDone() != epoch || state.history().size() != epoch
                || state.bestEpoch() < 0 || state.bestEpoch() > epoch) {
            throw new Damaged(file + ": damaged checkpoint (its state does not describe epoch " + epoch + ")", null);
        }
        try {
            model.load(ckpt.resolve("model"));
        } catch (InputError | UncheckedIOException e) {
            throw new Damaged(e.getMessage() + " (damaged checkpoint " + ckpt + ")", e);
        }
        return state;
    }

    /** Whether the training in {@code dir} has a checkpoint of {@code epochs} epochs or more. */
    public static boolean done(Path dir, int epochs) throws IOException {
        return latest(dir).isPresent() && readState(dir).epochsDone() >= epochs;
    }

    /** The loop state of the newest checkpoint in {@code dir} (which must hold one). */
    public static State readState(Path dir) throws IOException {
        Path latest = latest(dir).orElseThrow(() -> new IOException("no checkpoint in " + dir));
        return JSON.readValue(latest.resolve("state.json").toFile(), State.class);
    }

    /** Whether {@code dir} is a complete checkpoint: named {@code ckpt-*} and holding its {@code state.json}. */
    public static boolean isCheckpoint(Path dir) {
        Path name = dir.getFileName();
        return name != null && name.toString().startsWith(CHECKPOINT_PREFIX)
                && Files.isRegularFile(dir.resolve("state.json"));
    }

    /** Whether {@code dir} holds a complete checkpoint, i.e. is the folder of a trained (or training) network. */
    public static boolean hasCheckpoint(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(CheckpointedTraining::isCheckpoint);
        }
    }

    /** The newest complete checkpoint directory. */
    public static Optional<Path> latest(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> epochOf(p) >= 0).max(Comparator.comparingInt(CheckpointedTraining::epochOf));
        }
    }

    private static int epochOf(Path p) {
        String name = p.getFileName().toString();
        if (!name.startsWith(CHECKPOINT_PREFIX) || !Files.isDirectory(p)) {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(CHECKPOINT_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void write(Path dir, State state, Model model) throws IOException {
        Path tmp = dir.resolve(".tmp-" + state.epochsDone());
        deleteTree(tmp);
        Files.createDirectories(tmp.resolve("model"));
        model.save(tmp.resolve("model"));
        JSON.writeValue(tmp.resolve("state.json").toFile(), state);
        Path provenance = dir.resolve(Provenance.FILE);
        if (Files.isRegularFile(provenance)) { // every checkpoint carries what made it
            Files.copy(provenance, tmp.resolve(Provenance.FILE));
        }
        Files.move(tmp, dir.resolve(CHECKPOINT_PREFIX + state.epochsDone()), StandardCopyOption.ATOMIC_MOVE);
        // Keep only the newest checkpoint and the best one.
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                int e = epochOf(p);
                if (e >= 0 && e != state.epochsDone() && e != state.bestEpoch()) {
                    deleteTree(p);
                }
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
