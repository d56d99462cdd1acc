package org.hebbcnn.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.InputError;

/**
 * An experiment's output folder, marked with the settings that made its runs ({@code settings.txt}),
 * so that a later command with other settings cannot mix its runs with these.
 */
public final class OutputFolder {
    public static final String SETTINGS = "settings.txt";

    private OutputFolder() {}

    /** Creates {@code out} and records {@code identity}, or refuses a folder made with another. */
    public static void claim(Path out, String identity) throws IOException {
        Files.createDirectories(out);
        Path f = out.resolve(SETTINGS);
        if (Files.isRegularFile(f)) {
            String before = Files.readString(f).trim();
            if (!before.equals(identity)) {
                throw new InputError(out + " holds runs made with other settings (" + before + "; now " + identity
                        + "): choose another --out or delete it");
            }
        } else {
            AtomicFiles.writeString(f, identity + "\n");
        }
    }
}
