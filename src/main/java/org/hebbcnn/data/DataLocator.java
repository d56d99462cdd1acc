package org.hebbcnn.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hebbcnn.util.InputError;

/**
 * Where datasets live: {@code <root>/<name>/}, the root being $HEBBCNN_DATA or else ./data (relative
 * to the working directory). A dataset name is just a directory under the root; its format is read
 * from the files inside ({@link DataFormat#detect}).
 */
public final class DataLocator {
    public static final String ENV_VAR = "HEBBCNN_DATA";
    public static final Path DEFAULT_ROOT = Path.of("data");
    /** Names that `hebbcnn data fetch` knows how to obtain. */
    public static final List<String> FETCHABLE = List.of("mnist", "cifar10", "cifar100");

    private final Path root;
    /** How the root was chosen, for messages. */
    private final String origin;

    public DataLocator(Path root) {
        this(root, "");
    }

    private DataLocator(Path root, String origin) {
        this.root = root;
        this.origin = origin;
    }

    /** The root from $HEBBCNN_DATA, or ./data when it is unset or empty. */
    public static DataLocator fromEnvironment() {
        String env = System.getenv(ENV_VAR);
        return env == null || env.isBlank()
                ? new DataLocator(DEFAULT_ROOT, "the default; set $" + ENV_VAR + " to use another")
                : new DataLocator(Path.of(env), "from $" + ENV_VAR);
    }

    public Path root() {
        return root;
    }

    /** {@code <root>/<name>}, whether or not it exists. */
    public Path datasetDir(String name) {
        checkName(name);
        return root.resolve(name);
    }

    /**
     * The directory of a dataset: {@code dataDir} when given (it then names one dataset directory
     * directly), else {@code <root>/<name>}. Throws an InputError that says how to get the data when
     * the directory is missing.
     */
    public Path resolve(String name, Path dataDir) {
        if (dataDir != null) {
            if (!Files.isDirectory(dataDir)) {
                throw new InputError("--data-dir " + dataDir + ": no such directory");
            }
            return dataDir;
        }
        if (name == null || name.isBlank()) {
            throw new InputError("no dataset given: name one (" + String.join(", ", FETCHABLE)
                    + ", or a directory under " + root + ") or pass --data-dir DIR");
        }
        Path dir = datasetDir(name);
        if (!Files.isDirectory(dir)) {
            throw new InputError("dataset '" + name + "' not found: no directory " + dir.toAbsolutePath().normalize()
                    + " (data root " + rootOrigin() + "). " + fetchHint(name));
        }
        return dir;
    }

    /** How to obtain a dataset, as one sentence. */
    public static String fetchHint(String name) {
        if (FETCHABLE.contains(name)) {
            return "Get it with `hebbcnn data fetch " + name + "`" + ("cifar100".equals(name)
                    ? " (downloads from cs.toronto.edu) or `hebbcnn data fetch cifar100 --from cifar-100-binary.tar.gz`."
                    : ".");
        }
        return "Known datasets: " + String.join(", ", FETCHABLE) + " (`hebbcnn data fetch NAME`); any other "
                + "MNIST-like IDX or CIFAR-format set can be installed with `hebbcnn data fetch " + name
                + " --from PATH` or read in place with --data-dir DIR.";
    }

    private String rootOrigin() {
        return root + (origin.isEmpty() ? "" : ", " + origin);
    }

    /** A dataset name must be a plain folder name (no separators, not . or ..). */
    public static void checkName(String name) {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.equals(".")
                || name.equals("..")) {
            throw new InputError("bad dataset name '" + name + "': use a plain directory name such as mnist");
        }
    }
}
