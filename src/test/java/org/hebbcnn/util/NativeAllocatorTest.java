package org.hebbcnn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The launcher, the test JVMs and the class agree on the malloc settings. */
class NativeAllocatorTest {

    @Test
    void theTestJvmStartsWithTheSettings() {
        // surefire's environmentVariables in the pom: a value changed in one place only fails here
        assertTrue(NativeAllocator.active(), "pom.xml's surefire environment differs from " + NativeAllocator.SETTINGS);
    }

    @Test
    void theLauncherExportsTheSameSettings() throws Exception {
        String launcher = Files.readString(Path.of("hebbcnn"));
        for (Map.Entry<String, String> e : NativeAllocator.SETTINGS.entrySet()) {
            Matcher m = Pattern.compile("export " + e.getKey() + "=\"\\$\\{" + e.getKey() + ":-([^}]+)}\"").matcher(launcher);
            assertTrue(m.find(), "the launcher does not export " + e.getKey());
            assertEquals(e.getValue(), m.group(1), e.getKey());
        }
    }

    @Test
    void shellAssignmentsListEverySetting() {
        String s = NativeAllocator.shellAssignments();
        assertEquals(NativeAllocator.SETTINGS.size(), s.split(" ").length);
        NativeAllocator.SETTINGS.forEach((k, v) -> assertTrue(s.contains(k + "=" + v), s));
    }
}
