package org.hebbcnn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock of a trained folder, between real processes: two started at once, exactly one trains and
 * the other waits (then finds it done) or skips; a lock left by a killed process is taken over, as
 * is one older than the stale time; a live one is not.
 */
class NodeLockTest {
    @TempDir
    Path tmp;

    private static Process start(Path dir, double seconds, String policy) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                dir.toString(), String.valueOf(seconds), policy).redirectErrorStream(true).start();
    }

    private static String finish(Process p) throws Exception {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void awaitLock(Path dir) throws InterruptedException {
        for (int i = 0; i < 300 && !Files.exists(dir.resolve(NodeLock.FILE)); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(dir.resolve(NodeLock.FILE)), "the first process holds the lock");
    }

    @Test
    @Tag("slow")
    void twoProcessesAtOnceTrainOnceAndTheOtherWaits() throws Exception {
        Path dir = tmp.resolve("node");
        Process a = start(dir, 2, "wait");
        Process b = start(dir, 2, "wait");
        String outA = finish(a);
        String outB = finish(b);
        assertEquals(0, a.exitValue(), outA);
        assertEquals(0, b.exitValue(), outB);
        assertEquals(1, Files.readAllLines(dir.resolve("trained.txt")).size(), outA + outB);
        String waited = outA.contains("trained") ? outB : outA;
        assertTrue(waited.contains("waiting for " + dir.toRealPath()) && waited.contains("done earlier"), waited);
        assertFalse(Files.exists(dir.resolve(NodeLock.FILE)), "released");
    }

    @Test
    @Tag("slow")
    void theSecondProcessSkipsOrFailsWhenAskedAndSigtermReleases() throws Exception {
        Path dir = tmp.resolve("node");
        Process a = start(dir, 120, "wait");
        awaitLock(dir);
        Process b = start(dir, 0, "skip");
        String outB = finish(b);
        assertEquals(3, b.exitValue(), outB);
        assertTrue(outB.contains("skipped " + dir.toRealPath() + ": locked by pid " + a.pid()), outB);
        Process c = start(dir, 0, "fail");
        String outC = finish(c);
        assertTrue(c.exitValue() != 0 && outC.contains("is locked by pid " + a.pid()), outC);
        assertTrue(a.isAlive());
        a.destroy(); // SIGTERM, as Slurm's time limit sends: the shutdown hook releases the lock
        assertTrue(a.waitFor(60, TimeUnit.SECONDS));
        assertFalse(Files.exists(dir.resolve(NodeLock.FILE)), "released by the shutdown hook");
        assertEquals(1, Files.readAllLines(dir.resolve("trained.txt")).size());
    }

    @Test
    void aStaleLockOfAKilledProcessIsTakenOver() throws Exception {
        Path dir = tmp.resolve("node");
        Process a = start(dir, 600, "wait");
        awaitLock(dir);
        assertEquals(a.pid(), NodeLock.holder(dir).orElseThrow().pid());
        a.destroyForcibly(); // SIGKILL: no shutdown hook, the lock file stays
        assertTrue(a.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(dir.resolve(NodeLock.FILE)));
        List<String> log = new ArrayList<>();
        Path real = dir.toRealPath();
        try (NodeLock l = NodeLock.acquire(dir, log::add)) {
            assertEquals(ProcessHandle.current().pid(), NodeLock.holder(dir).orElseThrow().pid());
        }
        assertTrue(log.stream().anyMatch(m -> m.startsWith("took over the stale lock of " + real)
                && m.contains("pid " + a.pid()) && m.contains("process gone")), log.toString());
        assertFalse(Files.exists(dir.resolve(NodeLock.FILE)));
    }

    private static void writeLock(Path dir, String host, long pid, Instant started) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(NodeLock.FILE),
                "{\"host\":\"" + host + "\",\"pid\":" + pid + ",\"started\":\"" + started + "\"}\n");
    }

    @Test
    void anotherHostsLockIsTakenOverOnlyAfterTheStaleTime() throws Exception {
        Path dir = tmp.resolve("node");
        writeLock(dir, "elsewhere", 1, Instant.now().minus(Duration.ofMinutes(30)));
        NodeLock.Options fail = new NodeLock.Options(NodeLock.IfLocked.FAIL, Duration.ofHours(1), Duration.ofMillis(50));
        InputError e = assertThrows(InputError.class, () -> NodeLock.acquire(dir, fail, m -> {}));
        assertTrue(e.getMessage().contains("locked by pid 1 on elsewhere"), e.getMessage());
        List<String> log = new ArrayList<>();
        NodeLock.Options stale = new NodeLock.Options(NodeLock.IfLocked.FAIL, Duration.ofMinutes(10), Duration.ofMillis(50));
        try (NodeLock l = NodeLock.acquire(dir, stale, log::add).orElseThrow()) {
            assertEquals(NodeLock.host(), NodeLock.holder(dir).orElseThrow().host());
        }
        assertTrue(log.toString().contains("older than the stale time"), log.toString());
    }

    @Test
    void aLiveLockIsKeptAndLocksAreReentrant() throws Exception {
        Path dir = tmp.resolve("node");
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            writeLock(dir, NodeLock.host(), sleeper.pid(), Instant.now());
            NodeLock.Options skip = new NodeLock.Options(NodeLock.IfLocked.SKIP, Duration.ofHours(24), Duration.ofMillis(50));
            assertEquals(Optional.empty(), NodeLock.acquire(dir, skip, m -> {}));
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor();
        }
        Path other = tmp.resolve("other");
        try (NodeLock outer = NodeLock.acquire(other, m -> {})) {
            try (NodeLock inner = NodeLock.acquire(other, m -> {})) {
                assertTrue(Files.exists(other.resolve(NodeLock.FILE)));
            }
            assertTrue(Files.exists(other.resolve(NodeLock.FILE)), "held until the outer lock is released");
        }
        assertFalse(Files.exists(other.resolve(NodeLock.FILE)));
    }
}
