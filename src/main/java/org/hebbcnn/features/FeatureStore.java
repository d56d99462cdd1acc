package org.hebbcnn.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.BatchIterator;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.Progress;

/**
 * A frozen network's output for every image of a few image sets, computed once and read back by
 * every probe epoch. The network runs over each set in evaluation order, in batches of
 * {@code batch} images (the batches the uncached path scores with), and every layer it returns is
 * kept per image, flattened, as float32: exactly the floats the network produced.
 *
 * <p>Where it lives: in native memory (one tensor per set and layer, freed by {@link #close}) when
 * the whole store fits {@code memoryBudgetBytes}, or when it has no folder; otherwise in files under
 * its folder, read back memory-mapped (the page cache keeps them in memory while there is room):
 *
 * <pre>
 *   &lt;set&gt;.json             header: key, images, batch, dtype, per-image shape of each layer,
 *                          images done so far, complete, seconds spent computing
 *   &lt;set&gt;-layer&lt;l&gt;.f32     raw little-endian float32, row i = image i's layer-l output (C order)
 * </pre>
 *
 * A file store is resumable: the data files are written in place and flushed to disk every
 * {@value #FLUSH_MIB} MiB, and only then does the header (written atomically) count the images
 * flushed, so a process killed at any moment keeps every completed set and every flushed chunk, and
 * the next {@link #build} truncates the files to what the header counts and continues from there. A
 * header made for another network ({@code key}), set size, batch or format is discarded with its
 * files. Cleaning up after a failure is the owner's job ({@link #delete}): a killed process cannot.
 *
 * <p>Reading: each file is mapped in chunks of at most {@value #MAP_MIB} MiB (a MappedByteBuffer is
 * int-indexed) and each chunk is wrapped, without copying, as a tensor [rows, F]; a batch is then one
 * native row gather per layer ({@code index_select}) into a tensor owned by the batch, two when the
 * batch's rows lie in more than one chunk. The batches themselves are {@link BatchIterator}'s, so
 * probes see the same images in the same order as from the live network.
 */
public final class FeatureStore implements FeatureSource, AutoCloseable {
    public static final int FORMAT = 1;
    /**
     * Stores up to this size (all sets and layers) stay in native memory unless told otherwise: a
     * quarter of the machine's memory, at most 8 GiB and at least 1 GiB (writing a store that fits
     * in memory to files costs more than the forward passes it saves over a few probe epochs).
     */
    public static final long DEFAULT_MEMORY_BUDGET_BYTES = defaultBudget();
    static final int FLUSH_MIB = 256;

    private static long defaultBudget() {
        long physical = 0;
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            physical = os.getTotalMemorySize();
        }
        return Math.max(1L << 30, Math.min(8L << 30, physical / 4));
    }
    static final int MAP_MIB = 1024;
    private static final String DTYPE = "float32";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A set's header, rewritten atomically after every flushed chunk.
     *
     * @param shapes     the per-image shape of each layer's output
     * @param imagesDone the first images of the set (in order) whose rows are on disk
     */
    public record Header(int format, String key, int images, int batch, String dtype, List<long[]> shapes,
            int imagesDone, boolean complete, double seconds) {}

    /** One set's features: per layer, its per-image shape and its rows as chunk tensors [rows, F]. */
    private record Table(long[][] shapes, NDArray[][] chunks, int[] rowsPerChunk) {}

    private final Path dir;
    private final long memoryBudgetBytes;
    private final Map<String, ImageSet> sets;
    private final Normalization normalization;
    private final Function<NDArray, NDList> network;
    private final int batch;
    private final String key;
    private final NDManager manager;
    private final Consumer<String> log;
    private final Map<ImageSet, Table> tables = new IdentityHashMap<>();
    private long flushBytes = (long) FLUSH_MIB << 20;
    private long mapBytes = (long) MAP_MIB << 20;
    private Boolean inMemory;
    private boolean built;
    private long computedImages;
    private double seconds;

    /**
     * @param dir               the store's folder (created when needed), or null to keep it in memory
     * @param memoryBudgetBytes a store up to this size is kept in memory, never written to files
     * @param sets              the image sets by name (file names), each served by identity
     * @param network           images [B, C, H, W] to the output of every probed layer (eval mode)
     * @param batch             images per batch of the one pass over each set
     * @param key               names the network; a folder written for another key is rebuilt
     */
    public FeatureStore(Path dir, long memoryBudgetBytes, Map<String, ImageSet> sets, Normalization normalization,
            Function<NDArray, NDList> network, int batch, String key, NDManager parent, Consumer<String> log) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("the feature store writes little-endian floats; this machine is big-endian");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        for (Map.Entry<String, ImageSet> e : sets.entrySet()) {
            if (e.getValue().size() == 0) {
                throw new IllegalArgumentException("feature store: set '" + e.getKey() + "' has no images");
            }
            if (!e.getKey().matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("feature store: '" + e.getKey() + "' is not a file name");
            }
        }
        this.dir = dir;
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.sets = new LinkedHashMap<>(sets);
        this.normalization = normalization;
        this.network = network;
        this.batch = batch;
        this.key = key;
        this.manager = parent.newSubManager();
        this.log = log;
    }

    /** For tests: flush (and count in the header) after every {@code bytes} written, map files in chunks of {@code map}. */
    FeatureStore chunkSizes(long bytes, long map) {
        this.flushBytes = bytes;
        this.mapBytes = map;
        return this;
    }

    /** Computes every set's features that are not stored yet (at once; {@link #batches} does it when first asked). */
    public void build() {
        if (built) {
            return;
        }
        try {
            if (dir != null && Files.isDirectory(dir)) {
                for (String name : sets.keySet()) {
                    if (Files.exists(header(name))) {
                        inMemory = false; // an earlier run wrote files: resume them
                    }
                }
            }
            for (Map.Entry<String, ImageSet> e : sets.entrySet()) {
                tables.put(e.getValue(), build(e.getKey(), e.getValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("feature store " + dir + ": " + e.getMessage(), e);
        }
        built = true;
        log.accept(String.format(Locale.ROOT, "feature store%s: %d images, %.2f GiB, computed in %.0f s (%d images this time)",
                inMemory ? " (in memory)" : " " + dir, sets.values().stream().mapToInt(ImageSet::size).sum(),
                bytes() / (double) (1L << 30), seconds, computedImages));
    }

    private Table build(String name, ImageSet set) throws IOException {
        Header h = readHeader(name);
        if (h != null && !(h.format() == FORMAT && h.key().equals(key) && h.images() == set.size() && h.batch() == batch
                && h.dtype().equals(DTYPE) && h.imagesDone() <= set.size())) {
            log.accept("feature store: " + header(name) + " was made for another network or set; computing it again");
            deleteSetFiles(name);
            h = null;
        }
        if (h != null && h.complete()) {
            seconds += h.seconds();
            return map(name, h.shapes(), set.size());
        }
        int done = h == null ? 0 : h.imagesDone();
        double before = h == null ? 0 : h.seconds();
        if (done > 0) {
            log.accept(String.format(Locale.ROOT, "feature store: resuming %s after %d of %d images", name, done, set.size()));
        }
        long start = System.nanoTime();
        ImageSet rest = done == 0 ? set : set.select(IntStream.range(done, set.size()).toArray(), set.name());
        long[][] shapes = h == null ? null : h.shapes().toArray(new long[0][]);
        NDArray[] memory = null;
        FileChannel[] files = null;
        if (shapes != null) {
            files = openForWriting(name, shapes, done);
        }
        int position = done;
        long unflushed = 0;
        BatchIterator batches = BatchIterator.of(rest, normalization, BatchOptions.evaluation(batch), 0, manager);
        try (ProgressBar bar = dir == null ? null : Progress.bar("features of " + name, batches.batchCount())) {
            for (Batch b : batches) {
                if (bar != null) {
                    bar.step();
                }
                try (b) {
                    NDList f = network.apply(b.images());
                    if (shapes == null) {
                        shapes = shapesOf(f);
                        if (inMemory == null) {
                            inMemory = dir == null || bytes(shapes) <= memoryBudgetBytes;
                        }
                        if (inMemory) {
                            memory = new NDArray[shapes.length];
                            for (int l = 0; l < shapes.length; l++) {
                                memory[l] = manager.zeros(new Shape(set.size(), size(shapes[l])));
                            }
                        } else {
                            Files.createDirectories(dir);
                            writeHeader(name, set, shapes, 0, false, 0);
                            files = openForWriting(name, shapes, 0);
                        }
                    }
                    check(f, shapes, name);
                    for (int l = 0; l < shapes.length; l++) {
                        NDArray x = f.get(l);
                        if (memory != null) {
                            memory[l].set(new NDIndex(position + ":" + (position + b.size())),
                                    x.reshape(b.size(), size(shapes[l])));
                        } else {
                            ByteBuffer bytes = x.toByteBuffer();
                            while (bytes.hasRemaining()) {
                                files[l].write(bytes);
                            }
                        }
                    }
                    position += b.size();
                    computedImages += b.size();
                    unflushed += b.size() * rowBytes(shapes);
                    if (files != null && unflushed >= flushBytes && position < set.size()) {
                        for (FileChannel c : files) {
                            c.force(false);
                        }
                        writeHeader(name, set, shapes, position, false, before + (System.nanoTime() - start) / 1e9);
                        unflushed = 0;
                    }
                }
            }
            double total = before + (System.nanoTime() - start) / 1e9;
            seconds += total;
            if (memory != null) {
                NDArray[][] chunks = new NDArray[shapes.length][];
                int[] rows = new int[shapes.length];
                for (int l = 0; l < shapes.length; l++) {
                    chunks[l] = new NDArray[] {memory[l]};
                    rows[l] = set.size();
                }
                return new Table(shapes, chunks, rows);
            }
            for (FileChannel c : files) {
                c.force(false);
            }
            writeHeader(name, set, shapes, set.size(), true, total);
        } finally {
            if (files != null) {
                for (FileChannel c : files) {
                    c.close();
                }
            }
        }
        return map(name, Arrays.asList(shapes), set.size());
    }

    private static long[][] shapesOf(NDList f) {
        long[][] shapes = new long[f.size()][];
        for (int l = 0; l < f.size(); l++) {
            shapes[l] = f.get(l).getShape().slice(1).getShape();
        }
        return shapes;
    }

    private static void check(NDList f, long[][] shapes, String name) {
        if (f.size() != shapes.length) {
            throw new IllegalStateException("feature store " + name + ": the network returned " + f.size()
                    + " layers, earlier " + shapes.length);
        }
        for (int l = 0; l < shapes.length; l++) {
            NDArray x = f.get(l);
            if (x.getDataType() != DataType.FLOAT32 || !Arrays.equals(x.getShape().slice(1).getShape(), shapes[l])) {
                throw new IllegalStateException("feature store " + name + ": layer " + (l + 1) + " gave " + x.getDataType()
                        + " " + x.getShape() + ", expected float32 [B, " + new Shape(shapes[l]) + "]");
            }
        }
    }

    /** The layer files, truncated to {@code done} rows and positioned after them. */
    private FileChannel[] openForWriting(String name, long[][] shapes, int done) throws IOException {
        FileChannel[] files = new FileChannel[shapes.length];
        try {
            for (int l = 0; l < shapes.length; l++) {
                files[l] = FileChannel.open(data(name, l), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                long keep = done * size(shapes[l]) * Float.BYTES;
                if (files[l].size() < keep) {
                    throw new IOException(data(name, l) + " is shorter than its header says (" + files[l].size() + " < " + keep
                            + " bytes)");
                }
                files[l].truncate(keep);
                files[l].position(keep);
            }
        } catch (IOException | RuntimeException e) {
            for (FileChannel c : files) {
                if (c != null) {
                    c.close();
                }
            }
            throw e;
        }
        return files;
    }

    /** The finished files of a set, mapped read-only in chunks and wrapped (no copy) as tensors. */
    private Table map(String name, List<long[]> shapeList, int images) throws IOException {
        long[][] shapes = shapeList.toArray(new long[0][]);
        NDArray[][] chunks = new NDArray[shapes.length][];
        int[] rowsPerChunk = new int[shapes.length];
        for (int l = 0; l < shapes.length; l++) {
            long f = size(shapes[l]);
            long row = f * Float.BYTES;
            int per = (int) Math.max(1, Math.min(images, mapBytes / row));
            rowsPerChunk[l] = per;
            chunks[l] = new NDArray[(images + per - 1) / per];
            try (FileChannel c = FileChannel.open(data(name, l), StandardOpenOption.READ)) {
                if (c.size() != images * row) {
                    throw new IOException(data(name, l) + " holds " + c.size() + " bytes, expected " + images * row);
                }
                for (int k = 0; k < chunks[l].length; k++) {
                    int rows = Math.min(per, images - k * per);
                    MappedByteBuffer m = c.map(FileChannel.MapMode.READ_ONLY, k * (long) per * row, rows * row);
                    m.order(ByteOrder.LITTLE_ENDIAN);
                    chunks[l][k] = manager.create(m, new Shape(rows, f), DataType.FLOAT32);
                }
            }
        }
        return new Table(shapes, chunks, rowsPerChunk);
    }

    @Override
    public FeatureBatches batches(ImageSet set, BatchOptions options, int epoch, NDManager target) {
        build();
        Table t = tables.get(set);
        if (t == null) {
            throw new IllegalArgumentException("feature store: image set '" + set.name() + "' is not one of its sets "
                    + sets.keySet());
        }
        int[][] batches = BatchIterator.indexBatches(set.size(), options, epoch);
        return new FeatureBatches(batches.length, i -> {
            int[] rows = batches[i];
            NDManager sub = target.newSubManager();
            try {
                long[] labels = new long[rows.length];
                for (int j = 0; j < rows.length; j++) {
                    labels[j] = set.label(rows[j]);
                }
                return new FeatureBatch(sub, gather(t, rows, sub), sub.create(labels), rows);
            } catch (RuntimeException e) {
                sub.close();
                throw e;
            }
        });
    }

    /** Every layer's output for images {@code indices} of {@code set} (in that order), on {@code target}. */
    public NDList rows(ImageSet set, int[] indices, NDManager target) {
        build();
        Table t = tables.get(set);
        if (t == null) {
            throw new IllegalArgumentException("feature store: image set '" + set.name() + "' is not one of its sets "
                    + sets.keySet());
        }
        return gather(t, indices, target);
    }

    private static NDList gather(Table t, int[] rows, NDManager target) {
        NDList f = new NDList(t.shapes().length);
        for (int l = 0; l < t.shapes().length; l++) {
            f.add(gather(t, l, rows, target));
        }
        return f;
    }

    /** Rows {@code rows} of layer {@code l}, [B, shape], on {@code target}. */
    private static NDArray gather(Table t, int l, int[] rows, NDManager target) {
        NDArray[] chunks = t.chunks()[l];
        int per = t.rowsPerChunk()[l];
        try (NDManager scope = target.newSubManager()) {
            NDArray flat;
            if (chunks.length == 1) {
                flat = chunks[0].get(scope.create(longs(rows)));
            } else {
                // one gather per chunk touched, then one more to put the rows back in the batch's order
                List<NDArray> parts = new ArrayList<>();
                long[] position = new long[rows.length];
                int k = 0;
                for (int c = 0; c < chunks.length; c++) {
                    int count = 0;
                    long[] local = new long[rows.length];
                    for (int j = 0; j < rows.length; j++) {
                        if (rows[j] / per == c) {
                            local[count++] = rows[j] - (long) c * per;
                            position[j] = k++;
                        }
                    }
                    if (count > 0) {
                        NDArray part = chunks[c].get(scope.create(Arrays.copyOf(local, count)));
                        part.attach(scope);
                        parts.add(part);
                    }
                }
                NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0);
                all.attach(scope);
                flat = all.get(scope.create(position));
            }
            flat.attach(scope);
            NDArray out = flat.reshape(new Shape(rows.length).addAll(new Shape(t.shapes()[l])));
            out.attach(target);
            return out;
        }
    }

    private static long[] longs(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    /** Number of probed layers (after {@link #build}). */
    public int layers() {
        build();
        return tables.values().iterator().next().shapes().length;
    }

    /** Values per image of layer {@code layer} (0-based; after {@link #build}). */
    public long features(int layer) {
        build();
        return size(tables.values().iterator().next().shapes()[layer]);
    }

    /** Images run through the network by this object (0 when everything was on disk already). */
    public long computedImages() {
        return computedImages;
    }

    /** Seconds spent computing the stored features, earlier sessions included (after {@link #build}). */
    public double extractionSeconds() {
        return seconds;
    }

    /** Whether the features are held in native memory rather than files (after {@link #build}). */
    public boolean inMemory() {
        return Boolean.TRUE.equals(inMemory);
    }

    /** The store's size: every set's images times every layer's features times 4 bytes (after {@link #build}). */
    public long bytes() {
        if (tables.isEmpty()) {
            return 0;
        }
        return bytes(tables.values().iterator().next().shapes());
    }

    private long bytes(long[][] shapes) {
        return sets.values().stream().mapToLong(ImageSet::size).sum() * rowBytes(shapes);
    }

    private static long rowBytes(long[][] shapes) {
        long sum = 0;
        for (long[] s : shapes) {
            sum += size(s);
        }
        return sum * Float.BYTES;
    }

    private static long size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private Path header(String name) {
        return dir.resolve(name + ".json");
    }

    private Path data(String name, int layer) {
        return dir.resolve(name + "-layer" + (layer + 1) + ".f32");
    }

    private Header readHeader(String name) {
        if (dir == null || !Files.isRegularFile(header(name))) {
            return null;
        }
        try {
            return JSON.readValue(header(name).toFile(), Header.class);
        } catch (IOException e) {
            return new Header(-1, "", -1, -1, "", List.of(), 0, false, 0); // unreadable: rebuilt
        }
    }

    private void writeHeader(String name, ImageSet set, long[][] shapes, int done, boolean complete, double secs)
            throws IOException {
        Header h = new Header(FORMAT, key, set.size(), batch, DTYPE, Arrays.asList(shapes), done, complete, secs);
        AtomicFiles.writeString(header(name), JSON.writeValueAsString(h));
    }

    private void deleteSetFiles(String name) throws IOException {
        Files.deleteIfExists(header(name));
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith(name + "-layer")) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Frees the in-memory features and the tensors over the mapped files; the files stay. */
    @Override
    public void close() {
        manager.close();
        tables.clear();
        built = false;
    }

    /** Closes the store and deletes its folder with every file in it. */
    public void delete() {
        close();
        deleteFolder(dir);
    }

    /**
     * Deletes a store's folder (nothing when absent). The space of files still mapped is given back
     * when their mappings are collected (Java 17 has no explicit unmap).
     */
    public static void deleteFolder(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the feature store " + dir + ": " + e.getMessage(), e);
        }
    }
}
