package org.hebbcnn.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.hebbcnn.util.InputError;

/** Hex digests of files, to check downloads against published checksums. */
public final class Checksums {
    private Checksums() {}

    public static String sha256(Path file) {
        return digest(file, "SHA-256");
    }

    public static String md5(Path file) {
        return digest(file, "MD5");
    }

    /** Throws an InputError naming the file when its digest is not {@code expected}. */
    public static void verify(Path file, String algorithm, String expected) {
        String actual = digest(file, algorithm);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new InputError(file + ": " + algorithm + " checksum " + actual + " does not match the expected "
                    + expected + " (corrupt or different download)");
        }
    }

    static String digest(Path file, String algorithm) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            byte[] buffer = new byte[1 << 16];
            for (int r; (r = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw BinaryFiles.ioError(file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
