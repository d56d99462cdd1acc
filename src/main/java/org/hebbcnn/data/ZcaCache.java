package org.hebbcnn.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * Disk cache of fitted ZCA whitenings: {@code zca-seed<S>-n<N>-eps<E>-<checksum>.bin}, a small
 * little-endian header (magic, dims, eps, seed, train size, checksum) then the float32 mean and
 * matrix. Written to a temporary file and renamed, so a crash never leaves a half file; a file
 * whose header does not match is ignored and refitted.
 */
final class ZcaCache {
    private static final long MAGIC = 0x484542425A434131L; // "HEBBZCA1" in ASCII
    private static final int HEADER = 8 + 4 + 8 + 8 + 4 + 8;

    private ZcaCache() {}

    /** What a cached fit must match: data seed, training-split size and contents, eps, dimension. */
    record Key(long dataSeed, int trainSize, int dims, double epsilon, long checksum) {
        static Key of(ImageSet train, long dataSeed, double epsilon) {
            CRC32C crc = new CRC32C();
            crc.update(train.pixels());
            long checksum = crc.getValue() ^ ((long) train.channels() << 32) ^ ((long) train.height() << 40)
                    ^ ((long) train.width() << 48);
            return new Key(dataSeed, train.size(), train.imageSize(), epsilon, checksum);
        }
    }

    static Path file(Path cacheDir, Key key) {
        return cacheDir.resolve(String.format(Locale.ROOT, "zca-seed%d-n%d-eps%s-%016x.bin", key.dataSeed(),
                key.trainSize(), Double.toString(key.epsilon()), key.checksum()));
    }

    /** The cached whitening, or null when the file is missing or does not match {@code key}. */
    static ZcaWhitening read(Path file, Key key) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            long expected = HEADER + 4L * key.dims() + 4L * key.dims() * key.dims();
            if (Files.size(file) != expected) {
                warn(file, "wrong size, refitting");
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            if (buffer.getLong() != MAGIC || buffer.getInt() != key.dims() || buffer.getDouble() != key.epsilon()
                    || buffer.getLong() != key.dataSeed() || buffer.getInt() != key.trainSize()
                    || buffer.getLong() != key.checksum()) {
                warn(file, "header does not match, refitting");
                return null;
            }
            float[] mean = new float[key.dims()];
            float[] matrix = new float[key.dims() * key.dims()];
            buffer.asFloatBuffer().get(mean);
            buffer.position(buffer.position() + 4 * mean.length);
            buffer.asFloatBuffer().get(matrix);
            return new ZcaWhitening(mean, matrix, key.epsilon(), "cached in " + file);
        } catch (IOException e) {
            warn(file, "unreadable (" + e.getMessage() + "), refitting");
            return null;
        }
    }

    static void write(Path file, Key key, ZcaWhitening zca) {
        float[] mean = zca.meanArray();
        float[] matrix = zca.matrixArray();
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + 4 * mean.length + 4 * matrix.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(MAGIC).putInt(key.dims()).putDouble(key.epsilon()).putLong(key.dataSeed())
                .putInt(key.trainSize()).putLong(key.checksum());
        buffer.asFloatBuffer().put(mean);
        buffer.position(buffer.position() + 4 * mean.length);
        buffer.asFloatBuffer().put(matrix);
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), ".zca-", ".tmp");
            Files.write(tmp, buffer.array());
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default permissions
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            warn(file, "cannot be written (" + e.getMessage() + "); the fit will not be reused");
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    private static void warn(Path file, String message) {
        System.err.println("hebbcnn: ZCA cache " + file + ": " + message);
    }
}
