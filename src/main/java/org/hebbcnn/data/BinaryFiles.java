package org.hebbcnn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.hebbcnn.util.InputError;

/** Reading whole data files, gunzipping them when their first bytes say so (never trusting the name). */
final class BinaryFiles {
    private BinaryFiles() {}

    /** True when the file starts with the gzip magic bytes 1f 8b. */
    static boolean isGzip(Path file) {
        requireFile(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            return isGzipMagic(head);
        } catch (IOException e) {
            throw new InputError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    static boolean isGzipMagic(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** The file's bytes, decompressed when gzipped. Corrupt or truncated gzip data is an InputError. */
    static byte[] readAll(Path file) {
        boolean gzip = isGzip(file);
        try (InputStream raw = Files.newInputStream(file)) {
            if (!gzip) {
                return raw.readAllBytes();
            }
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16)) {
                return in.readAllBytes();
            }
        } catch (EOFException e) {
            throw new InputError(file + ": truncated gzip data (the download or copy is incomplete)", e);
        } catch (ZipException e) {
            throw new InputError(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new InputError(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (OutOfMemoryError e) {
            throw new InputError(file + ": too large to load into memory (raise -Xmx via HEBBCNN_JAVA_OPTS)", e);
        }
    }

    static void requireFile(Path file) {
        if (!Files.exists(file)) {
            throw new InputError(file + ": file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputError(file + ": not a regular file");
        }
    }

    /** Translates an exception of java.nio.file into a one-line InputError naming the file. */
    static InputError ioError(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new InputError(file + ": file not found", e);
        }
        return new InputError(file + ": " + e.getClass().getSimpleName() + " (" + e.getMessage() + ")", e);
    }
}
