package org.hebbcnn.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The commit a run records comes from the build's properties, so a jar run from any folder names it. */
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
}
