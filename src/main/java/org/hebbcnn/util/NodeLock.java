package org.hebbcnn.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A lock on one folder of a results folder (a network, a probe set, a hybrid's result), so that any
 * number of processes (one {@code experiment all}, ten Slurm jobs, or both) can work on the same
 * results folder and never train the same network twice.
 *
 * <p>The lock is the file {@value #FILE} inside the folder, holding {@code {"host", "pid", "started"}}.
 * It is created atomically: the content is written to a private file first and then hard-linked to
 * the lock's name, which fails when the name exists (atomic on local file systems and on NFS), so a
 * lock file is never seen half-written. It is released on {@link #close()} and, should the process
 * be stopped (SIGTERM, Slurm's time limit), by a shutdown hook. A lock whose process is gone (same
 * host, no process with that pid, or a younger process reusing it) or which is older than
 * {@link Options#staleAfter} is taken over, and the takeover is logged; a takeover is itself guarded
 * by a second atomically created file, so two processes cannot both take over one stale lock.
 *
 * <p>Locks are re-entrant within a process: a command that holds a node's lock may call code that
 * locks it again (a {@code train-node} holding a network's lock calls the workspace, which locks it
 * around the training).
 */
public final class NodeLock implements AutoCloseable {
    /** The lock file's name inside the locked folder. */
    public static final String FILE = ".hebbcnn-lock";
    private static final String TAKEOVER = ".hebbcnn-lock.takeover";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, Held> HELD = new HashMap<>();
    private static volatile Options defaults = Options.DEFAULT;
    private static boolean hookInstalled;
    private static String host;

    /** What to do when another process holds the lock. */
    public enum IfLocked {
        /** Wait until it is released (or becomes stale). */
        WAIT,
        /** Give up at once: {@link #acquire} returns empty. */
        SKIP,
        /** Refuse with an {@link InputError} naming the holder. */
        FAIL;

        /** {@code wait}, {@code skip} or {@code fail}; anything else is refused. */
        public static IfLocked parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InputError("--if-locked: expected wait, skip or fail, got '" + s + "'");
            }
        }
    }

    /**
     * @param ifLocked   what to do while another live process holds the lock
     * @param staleAfter a lock older than this is taken over whatever its holder (another host's
     *                   process cannot be checked)
     * @param poll       how often a waiting process looks again (the first looks are sooner)
     */
    public record Options(IfLocked ifLocked, Duration staleAfter, Duration poll) {
        public static final Options DEFAULT = new Options(IfLocked.WAIT, Duration.ofHours(24), Duration.ofSeconds(2));

        public Options withIfLocked(IfLocked i) {
            return new Options(i, staleAfter, poll);
        }
    }

    /** Who holds a lock: read back from its file. */
    public record Holder(String host, long pid, Instant started) {
        @Override
        public String toString() {
            return "pid " + pid + " on " + host + " since " + started;
        }
    }

    private static final class Held {
        final Path file;
        int count;

        Held(Path file) {
            this.file = file;
        }
    }

    private final Path key;
    private boolean closed;

    private NodeLock(Path key) {
        this.key = key;
    }

    /** The options {@link #acquire(Path, Consumer)} uses (the CLI sets the stale time and the policy). */
    public static void setDefaults(Options options) {
        defaults = options;
    }

    public static Options defaults() {
        return defaults;
    }

    /** Locks {@code dir} with the {@linkplain #defaults() default options}; never empty unless they say skip. */
    public static Optional<NodeLock> tryAcquire(Path dir, Consumer<String> log) {
        return acquire(dir, defaults, log);
    }

    /** Locks {@code dir}, waiting while another process holds it (whatever the default policy). */
    public static NodeLock acquire(Path dir, Consumer<String> log) {
        return acquire(dir, defaults.withIfLocked(IfLocked.WAIT), log).orElseThrow();
    }

    /**
     * Locks {@code dir} (creating it), or returns empty when another live process holds it and
     * {@code options} say skip. With fail, that case is an {@link InputError}.
     */
    public static Optional<NodeLock> acquire(Path dir, Options options, Consumer<String> log) {
        try {
            Files.createDirectories(dir);
            Path key = dir.toRealPath();
            synchronized (HELD) {
                Held h = HELD.get(key);
                if (h != null) {
                    h.count++;
                    return Optional.of(new NodeLock(key));
                }
            }
            Path file = key.resolve(FILE);
            boolean told = false;
            long sleep = 50;
            while (true) {
                if (create(file)) {
                    synchronized (HELD) {
                        Held h = new Held(file);
                        h.count = 1;
                        HELD.put(key, h);
                        installHook();
                    }
                    return Optional.of(new NodeLock(key));
                }
                Optional<Holder> holder = holder(dir);
                if (holder.isEmpty() && !Files.exists(file)) {
                    continue; // released in between
                }
                if (holder.isPresent() && stale(holder.get(), options.staleAfter())) {
                    if (takeOver(key, holder.get(), log)) {
                        continue; // the stale file is gone: create ours
                    }
                } else if (holder.isEmpty() && Files.exists(file) && age(file).compareTo(options.staleAfter()) > 0) {
                    takeOver(key, null, log); // unreadable and old
                    continue;
                }
                String who = holder.map(Holder::toString).orElse("another process");
                switch (options.ifLocked()) {
                    case SKIP:
                        log.accept("skipped " + dir + ": locked by " + who);
                        return Optional.empty();
                    case FAIL:
                        throw new InputError(dir + " is locked by " + who + " (" + file + "; --if-locked wait or skip)");
                    default:
                        if (!told) {
                            log.accept("waiting for " + dir + ": locked by " + who);
                            told = true;
                        }
                        Thread.sleep(sleep);
                        sleep = Math.min(options.poll().toMillis(), sleep * 2);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lock of " + dir, e);
        }
    }

    /** Who holds the lock of {@code dir}, if anyone (and its file is readable). */
    public static Optional<Holder> holder(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            JsonNode n = JSON.readTree(Files.readString(file));
            return Optional.of(new Holder(n.path("host").asText(), n.path("pid").asLong(),
                    Instant.parse(n.path("started").asText())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // being written, or not ours: treated as held (see acquire)
        }
    }

    /**
     * Whether a lock can be taken over: its process is gone (same host: no such pid, or the pid now
     * belongs to a process started after the lock), or it is older than {@code staleAfter}.
     */
    public static boolean stale(Holder h, Duration staleAfter) {
        if (Duration.between(h.started(), Instant.now()).compareTo(staleAfter) > 0) {
            return true;
        }
        if (!h.host().equals(host())) {
            return false;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(h.pid());
        if (p.isEmpty() || !p.get().isAlive()) {
            return true;
        }
        Optional<Instant> start = p.get().info().startInstant();
        return start.isPresent() && start.get().isAfter(h.started().plusSeconds(1)); // pid reused
    }

    /** This machine's short name as the lock files record it (the kernel's, as {@code hostname -s}). */
    public static synchronized String host() {
        if (host == null) {
            String h;
            try {
                h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            } catch (IOException | RuntimeException e) {
                try {
                    h = InetAddress.getLocalHost().getHostName();
                } catch (IOException e2) {
                    h = "unknown";
                }
            }
            int dot = h.indexOf('.');
            host = dot > 0 ? h.substring(0, dot) : h;
        }
        return host;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (HELD) {
            Held h = HELD.get(key);
            if (h == null || --h.count > 0) {
                return;
            }
            HELD.remove(key);
            delete(h.file);
        }
    }

    /** Creates the lock file with its whole content, failing (false) when it exists. */
    private static boolean create(Path file) throws IOException {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("host", host());
        content.put("pid", ProcessHandle.current().pid());
        content.put("started", Instant.now().toString());
        byte[] bytes = (JSON.writeValueAsString(content) + "\n").getBytes(StandardCharsets.UTF_8);
        Path tmp = file.resolveSibling(FILE + "." + ProcessHandle.current().pid() + "." + System.nanoTime());
        Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try {
                Files.createLink(file, tmp);
                return true;
            } catch (UnsupportedOperationException | SecurityException e) {
                // no hard links here: create-new, then write (a reader may briefly see it empty)
                Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            }
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Removes a stale lock file, guarded by the atomically created takeover file so that exactly one
     * of the processes that found it stale removes it: the lock is read again under that guard and
     * removed only if it still records the same holder. Returns whether it was removed.
     */
    private static boolean takeOver(Path dir, Holder stale, Consumer<String> log) throws IOException {
        Path guard = dir.resolve(TAKEOVER);
        try {
            Files.createFile(guard);
        } catch (FileAlreadyExistsException e) {
            if (age(guard).compareTo(Duration.ofMinutes(1)) > 0) {
                delete(guard); // a taker-over died in the middle: its guard is a minute old
            }
            return false;
        }
        try {
            Optional<Holder> now = holder(dir);
            if (stale != null && (now.isEmpty() || !now.get().equals(stale))) {
                return false; // released or taken over meanwhile
            }
            delete(dir.resolve(FILE));
            log.accept("took over the stale lock of " + dir + " (" + (stale == null ? "unreadable lock file" : stale
                    + (stale.host().equals(host()) ? ", process gone" : ", older than the stale time")) + ")");
            return true;
        } finally {
            delete(guard);
        }
    }

    private static Duration age(Path file) {
        try {
            return Duration.between(Files.getLastModifiedTime(file).toInstant(), Instant.now());
        } catch (IOException e) {
            return Duration.ZERO;
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the next process will find it and check its holder
        }
    }

    private static void installHook() {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (HELD) {
                HELD.values().forEach(h -> delete(h.file));
                HELD.clear();
            }
        }, "hebbcnn-lock-release"));
    }
}
