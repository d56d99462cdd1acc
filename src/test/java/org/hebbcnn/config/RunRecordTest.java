package org.hebbcnn.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit a run records comes from the build's properties, so a jar run from any folder names it;
 * a folder's earlier invocations stay in its run.json.
 */
class RunRecordTest {
    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void theBuildsPropertiesGiveCommitAndDirtiness() {
        assertArrayEquals(new String[] {"0123abc", "true"}, RunRecord.builtFrom(text("git.commit.id=0123abc\ngit.dirty=true\n")));
        assertArrayEquals(new String[] {"0123abc", "false"}, RunRecord.builtFrom(text("git.commit.id=0123abc\n")));
        assertNull(RunRecord.builtFrom(text("git.dirty=true\n")), "no commit: fall back to the working directory");
        assertNull(RunRecord.builtFrom(null));
    }

    @Test
    void theCurrentCommitIsTheBuildsWhenItRecordedOne() throws Exception {
        try (InputStream in = RunRecord.class.getResourceAsStream("/" + RunRecord.BUILD_GIT)) {
            String[] built = RunRecord.builtFrom(in);
            if (built != null) { // a build from a git checkout (always here; not from a source archive)
                assertEquals(built[0] + (Boolean.parseBoolean(built[1]) ? "+dirty" : ""), RunRecord.currentCommit());
            }
        }
    }

    private static RunRecord record(String command, String started, Double wall) {
        return new RunRecord(command, "abc", false, 1, "17", "0.35.1", "PyTorch", "Linux", 2, 0, 1024, started,
                wall == null ? null : "later", wall, List.of());
    }

    @Test
    void aResumedFolderKeepsItsEarlierInvocations(@TempDir Path dir) throws Exception {
        ExperimentConfig c = new ExperimentConfig();
        c.dataset = "mnist";
        assertEquals(0, record("first", "2026-12-01T10:00:00Z", 100.0).after(dir).earlier().size(), "nothing before");
        record("first", "2026-12-01T10:00:00Z", 100.0).write(dir, c.resolved());
        RunRecord second = record("second", "2026-12-01T11:00:00Z", 30.0).after(dir);
        assertEquals(List.of("first"), second.earlier().stream().map(RunRecord::command).toList());
        second.write(dir, c.resolved());
        RunRecord crashed = record("third", "2026-12-01T12:00:00Z", null).after(dir);
        crashed.write(dir, c.resolved()); // a run that never finished still names itself
        RunRecord fourth = record("fourth", "2026-12-01T13:00:00Z", 5.0).after(dir);
        assertEquals(List.of("first", "second", "third"), fourth.earlier().stream().map(RunRecord::command).toList(),
                "oldest first");
        assertTrue(fourth.earlier().stream().allMatch(r -> r.earlier().isEmpty()), "no nesting");
        assertEquals(java.util.Arrays.asList(100.0, 30.0, null), fourth.earlier().stream().map(RunRecord::wallSeconds)
                .toList(), "each invocation's wall time kept; the crashed one has none");

        Files.writeString(dir.resolve(RunRecord.FILE), "{\"command\": \"old format\", \"seeds\": 1, \"cores\": 2, "
                + "\"wallSeconds\": 7.5, \"future\": true}");
        RunRecord afterOld = record("new", "2026-12-01T14:00:00Z", 1.0).after(dir);
        assertEquals(List.of("old format"), afterOld.earlier().stream().map(RunRecord::command).toList(),
                "a run.json without earlier (or with fields this version does not know) is read");
        Files.writeString(dir.resolve(RunRecord.FILE), "not json");
        assertTrue(record("x", "2026-12-01T15:00:00Z", 1.0).after(dir).earlier().isEmpty(), "an unreadable one is skipped");
    }
}
