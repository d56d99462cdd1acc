package org.hebbcnn.reports;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.training.Provenance;
import org.hebbcnn.training.CheckpointedTraining.State;
import org.hebbcnn.util.InputError;

/**
 * What a report is made of, found by walking result folders: the experiments' {@code results.json}
 * tables, the "beyond the paper" tables ({@code beyond.json}) and the trained networks (folders of {@code ckpt-<epoch>} checkpoints, as {@link
 * CheckpointedTraining} leaves them).
 *
 * <p>The walk never enters a {@code ckpt-*} folder: checkpoints hold models, not results, and there
 * can be thousands of files in them. A {@code probes} folder is not taken for a network: it holds
 * the linear probes' checkpoints, whose validation figures are the probes', not the network's.
 * Anything unreadable (a table half-written by a running job, a damaged state file) becomes a
 * warning in the report instead of stopping it, so a report can be drawn while experiments run.
 */
final class ReportSources {
    static final String PROBES = "probes";

    private ReportSources() {}

    /**
     * One {@code results.json}.
     *
     * @param file the file
     * @param label where it came from, for the reader: the result folder's name and the path under it
     */
    record FoundTable(Path file, String label, ResultsTable table) {}

    /**
     * A trained network's checkpoint folder.
     *
     * @param dir the folder holding {@code ckpt-<epoch>} folders
     * @param group what its training curve is drawn with: the result folder's name and the first
     *     folder under it (e.g. "mnist-all/bases"), so that one chart shows comparable runs
     * @param label the run within the group (e.g. "hpca/seed-0"; a trailing "network" is dropped)
     * @param state the loop state of the newest checkpoint (its history has every epoch)
     * @param bestCheckpoint the checkpoint of the selected (best validation) epoch, else the newest
     * @param stage whether it lies in a {@link ResultFolders#STAGES} folder: a hybrid or retrained stage,
     *     whose layers below its first trained one (layer 1 always) keep their initial weights
     */
    record NetworkRun(Path dir, String group, String label, State state, Path bestCheckpoint, boolean stage) {
        String name() {
            return group + "/" + label;
        }
    }

    /** Everything found under the folders, each list in path order, with what could not be read. */
    record Found(List<FoundTable> tables, List<NetworkRun> networks, List<BeyondSection> beyond, List<String> warnings) {}

    /**
     * Walks each folder. A folder that does not exist, or holds no {@code results.json} outside
     * checkpoint folders, is an {@link InputError} naming it. A folder given twice, or inside
     * another one given, is read once.
     */
    static Found scan(List<Path> roots) throws IOException {
        if (roots.isEmpty()) {
            throw new InputError("no result folders given");
        }
        List<FoundTable> tables = new ArrayList<>();
        List<NetworkRun> networks = new ArrayList<>();
        List<BeyondSection> beyond = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<Path> seenTables = new HashSet<>();
        Set<Path> seenNetworks = new HashSet<>();
        for (Path given : roots) {
            if (!Files.isDirectory(given)) {
                throw new InputError(given + ": no such folder");
            }
            Path root = given.toAbsolutePath().normalize();
            Walk walk = new Walk(root);
            Files.walkFileTree(root, walk);
            if (walk.tables.isEmpty() && walk.beyond.isEmpty()) {
                throw new InputError(given + ": no " + ResultsTable.RESULTS_JSON
                        + " found in this folder or below it (checkpoint folders are not searched)");
            }
            for (Path file : walk.tables) {
                if (seenTables.add(file.toRealPath())) {
                    readTable(root, file, tables, warnings);
                }
            }
            for (Path file : walk.beyond) {
                if (seenTables.add(file.toRealPath())) {
                    try {
                        beyond.add(BeyondSection.read(file, label(root, file)));
                    } catch (IOException e) {
                        warnings.add(file + ": skipped, cannot be read (" + e.getMessage() + ")");
                    }
                }
            }
            for (Path dir : walk.networks) {
                if (seenNetworks.add(dir.toRealPath())) {
                    readNetwork(root, dir, networks, warnings);
                }
            }
        }
        return new Found(List.copyOf(tables), List.copyOf(networks), List.copyOf(beyond), List.copyOf(warnings));
    }

    private static void readTable(Path root, Path file, List<FoundTable> out, List<String> warnings) {
        try {
            out.add(new FoundTable(file, label(root, file), ResultsTable.read(file)));
        } catch (IOException | InputError e) {
            warnings.add(file + ": skipped, cannot be read (" + e.getMessage() + ")");
        }
    }

    private static void readNetwork(Path root, Path dir, List<NetworkRun> out, List<String> warnings) {
        State state;
        try {
            state = CheckpointedTraining.readState(dir);
        } catch (IOException | RuntimeException e) {
            warnings.add(dir + ": training history skipped, cannot be read (" + e.getMessage() + ")");
            return;
        }
        Path best = dir.resolve(CheckpointedTraining.CHECKPOINT_PREFIX + state.bestEpoch());
        if (!Files.isDirectory(best)) {
            try {
                best = CheckpointedTraining.latest(dir).orElse(best);
            } catch (IOException e) {
                // keep the named one; the kernels are then simply not found
            }
        }
        List<String> parts = new ArrayList<>();
        root.relativize(dir).forEach(p -> parts.add(p.toString()));
        boolean stage = stage(dir, parts);
        String rootName = name(root);
        String group = parts.size() >= 3 ? rootName + "/" + parts.remove(0) : rootName;
        if (parts.size() > 1 && parts.get(parts.size() - 1).equals("network")) {
            parts.remove(parts.size() - 1);
        }
        String label = parts.isEmpty() ? "network" : String.join("/", parts);
        out.add(new NetworkRun(dir, group, label, state, best, stage));
    }

    /**
     * Whether the network is a hybrid stage (its layer 1 untrained): from its {@link Provenance};
     * folders written before provenance existed are known by their {@code stages} folder.
     */
    private static boolean stage(Path dir, List<String> parts) {
        try {
            Optional<Provenance> p = Provenance.read(dir);
            if (p.isPresent()) {
                return !p.get().trainedLayerOne();
            }
        } catch (IOException e) {
            // an unreadable provenance: fall back to the folder's place
        }
        return parts.contains(ResultFolders.STAGES);
    }

    private static String label(Path root, Path file) {
        return name(root) + "/" + root.relativize(file).toString().replace('\\', '/');
    }

    private static String name(Path root) {
        return root.getFileName() == null ? root.toString() : root.getFileName().toString();
    }

    /** Collects result files and network folders, in path order, without entering checkpoints. */
    private static final class Walk extends SimpleFileVisitor<Path> {
        private final Path root;
        final List<Path> tables = new ArrayList<>();
        final List<Path> networks = new ArrayList<>();
        final List<Path> beyond = new ArrayList<>();

        Walk(Path root) {
            this.root = root;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
            if (!dir.equals(root) && name.startsWith(CheckpointedTraining.CHECKPOINT_PREFIX)) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            Path results = dir.resolve(ResultsTable.RESULTS_JSON);
            if (Files.isRegularFile(results)) {
                tables.add(results);
            }
            if (Files.isRegularFile(dir.resolve(BeyondSection.RESULTS_JSON))) {
                beyond.add(dir.resolve(BeyondSection.RESULTS_JSON));
            }
            if (!name.equals(PROBES) && CheckpointedTraining.hasCheckpoint(dir)) {
                networks.add(dir);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
            return FileVisitResult.CONTINUE; // an unreadable corner does not spoil the rest
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
            if (dir.equals(root)) {
                tables.sort(Comparator.naturalOrder());
                beyond.sort(Comparator.naturalOrder());
                networks.sort(Comparator.naturalOrder());
            }
            return FileVisitResult.CONTINUE;
        }
    }

    /** The best checkpoint's model folder, if it has one. */
    static Optional<Path> modelDir(NetworkRun run) {
        Path m = run.bestCheckpoint().resolve("model");
        return Files.isDirectory(m) ? Optional.of(m) : Optional.empty();
    }
}
