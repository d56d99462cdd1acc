package org.hebbcnn.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.InputError;

/**
 * The search folder's memory: {@code search.json} says which search it holds (grid, seeds, start,
 * context), {@code trials.jsonl} holds one line per finished (point, seed) evaluation.
 *
 * <p>Why a line per seed, fsynced: a run is minutes to hours of training, and a search killed at any
 * moment must lose at most the run in progress. Lines are only appended; a kill during a write can
 * leave a torn last line, which is dropped (and cut off) on reopening. Anything else that does not
 * parse is refused rather than guessed at. The header guards against mixing scores of different
 * searches: a folder whose header differs from this run's is refused. The log file is locked while
 * open so that two processes never append to one search.
 */
final class TrialLog implements Closeable {
    static final String HEADER = "search.json";
    static final String LOG = "trials.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Map<List<Integer>, Map<Integer, Double>> scores = new HashMap<>();
    private int lines;
    private boolean droppedTail;

    private TrialLog(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Opens (or starts) the log in {@code dir}, refusing one written for another {@code header}. */
    static TrialLog open(Path dir, ObjectNode header, Grid grid, int seeds) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(LOG);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new InputError(file + ": another search is running in this folder");
            }
            TrialLog log = new TrialLog(file, ch, lock);
            checkHeader(dir.resolve(HEADER), header, ch.size() > 0);
            log.read(grid, seeds);
            return log;
        } catch (IOException | RuntimeException | Error e) {
            ch.close(); // also releases the lock
            throw e;
        }
    }

    private static void checkHeader(Path path, ObjectNode header, boolean logHasLines) throws IOException {
        if (!Files.exists(path)) {
            if (logHasLines) {
                throw new InputError(path.getParent().resolve(LOG) + ": a trial log without " + HEADER
                        + "; not a search folder, use another folder");
            }
            AtomicFiles.writeString(path, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(header) + "\n");
            return;
        }
        JsonNode old;
        try {
            old = JSON.readTree(path.toFile());
        } catch (JsonProcessingException e) {
            throw new InputError(path + ": not a search header (" + e.getOriginalMessage() + ")", e);
        }
        List<String> diffs = new ArrayList<>();
        for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            JsonNode was = old.path(f);
            // compared as text: key order matters for the grid (it is the search order)
            if (!header.get(f).toString().equals(was.toString())) {
                diffs.add(f + " " + (was.isMissingNode() ? "(none)" : was) + " there, " + header.get(f) + " here");
            }
        }
        if (!diffs.isEmpty()) {
            throw new InputError(path + ": this folder holds another search (" + String.join("; ", diffs)
                    + "); resume with the same settings or use another folder");
        }
    }

    private void read(Grid grid, int seeds) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = 0; // length of the good part
        int lineNo = 0;
        for (int start = 0; start < bytes.length; ) {
            int nl = start;
            while (nl < bytes.length && bytes[nl] != '\n') {
                nl++;
            }
            lineNo++;
            String text = new String(bytes, start, nl - start, StandardCharsets.UTF_8);
            boolean last = nl >= bytes.length - 1;
            if (nl == bytes.length) {
                droppedTail = true; // torn write: no newline
                break;
            }
            if (!text.isBlank()) {
                try {
                    record(JSON.readTree(text), grid, seeds);
                } catch (JsonProcessingException | InputError e) {
                    if (!last) {
                        throw new InputError(file + " line " + lineNo + ": not a trial record ("
                                + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()) + ")", e);
                    }
                    droppedTail = true; // a last line that is there but garbled: same as torn
                    break;
                }
            }
            end = nl + 1;
            start = nl + 1;
        }
        if (end < bytes.length) {
            channel.truncate(end);
            channel.force(true);
        }
        channel.position(end);
    }

    private void record(JsonNode line, Grid grid, int seeds) throws JsonProcessingException {
        JsonNode point = line.get("point");
        JsonNode seed = line.get("seed");
        JsonNode score = line.get("score");
        if (point == null || !point.isObject() || seed == null || !seed.canConvertToExactIntegral()
                || score == null || !score.isNumber() || !Double.isFinite(score.doubleValue())) {
            throw new InputError("needs point, seed and a finite score");
        }
        Map<String, String> p = new HashMap<>();
        point.fields().forEachRemaining(e -> p.put(e.getKey(), e.getValue().asText()));
        int s = seed.asInt();
        if (s < 0 || s >= seeds) {
            throw new InputError("seed " + s + " outside 0.." + (seeds - 1));
        }
        int[] idx = grid.indices(p, "point");
        scores.computeIfAbsent(key(idx), k -> new HashMap<>()).putIfAbsent(s, score.doubleValue());
        lines++;
    }

    private static List<Integer> key(int[] idx) {
        return Arrays.stream(idx).boxed().toList();
    }

    /** The logged score of (point at {@code idx}, {@code seed}), or null. */
    Double score(int[] idx, int seed) {
        Map<Integer, Double> bySeed = scores.get(key(idx));
        return bySeed == null ? null : bySeed.get(seed);
    }

    /** Finished evaluations found in the log when it was opened. */
    int logged() {
        return lines;
    }

    /** Whether an unfinished last line was cut off when opening. */
    boolean droppedTail() {
        return droppedTail;
    }

    /** Appends one evaluation and forces it to disk before returning; {@code mean} only after a trial's last seed. */
    void append(int trial, Map<String, String> point, int seed, double score, Double mean) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("trial", trial);
        line.set("point", JSON.valueToTree(point));
        line.put("seed", seed);
        line.put("score", score);
        if (mean != null) {
            line.put("mean", mean);
        }
        ByteBuffer buf = ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
