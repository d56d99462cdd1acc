package org.hebbcnn.nn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.hebbcnn.util.AtomicFiles;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Npy;
import org.hebbcnn.util.NpyArray;

/**
 * Named arrays in one NumPy {@code .npz} file (an uncompressed zip of {@code <name>.npy} entries,
 * what {@code numpy.savez} writes; {@code numpy.load} reads it). Used for the training state of
 * networks and probes: parameters, batch-norm statistics, momentum buffers and counters.
 *
 * <p>Writing is atomic: the zip is written next to its final name and moved into place
 * ({@code ATOMIC_MOVE}), so a reader, or a run killed half-way, never sees half a file. Reading
 * accepts what this class writes (little-endian float32, float64, int32, int64 and uint8, C order);
 * anything else, a missing or corrupt file, raises {@link InputError} naming the file.
 */
public final class NpzFile {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpzFile() {}

    /** Writes the arrays (in map order) to {@code file}, replacing it atomically. */
    public static void write(Path file, Map<String, NpyArray> arrays) {
        if (Files.isDirectory(file)) {
            throw new InputError(file + ": cannot write: it is a directory");
        }
        try {
            AtomicFiles.write(file, tmp -> {
                try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE); ZipOutputStream zip = new ZipOutputStream(out)) {
                    zip.setMethod(ZipOutputStream.STORED);
                    for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                        writeEntry(zip, e.getKey(), e.getValue());
                    }
                }
            });
        } catch (IOException e) {
            throw new InputError(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static void writeEntry(ZipOutputStream zip, String name, NpyArray array) throws IOException {
        byte[] header = Npy.header(array.dtype(), array.shape());
        ByteBuffer data = array.data();
        CRC32 crc = new CRC32();
        crc.update(header);
        crc.update(data.duplicate());
        ZipEntry entry = new ZipEntry(name + ".npy");
        long size = header.length + (long) data.remaining();
        entry.setSize(size);
        entry.setCompressedSize(size);
        entry.setCrc(crc.getValue());
        entry.setTime(0L); // the same state gives the same bytes
        zip.putNextEntry(entry);
        zip.write(header);
        byte[] chunk = new byte[1 << 20];
        while (data.hasRemaining()) {
            int n = Math.min(chunk.length, data.remaining());
            data.get(chunk, 0, n);
            zip.write(chunk, 0, n);
        }
        zip.closeEntry();
    }

    /** Reads every array of the file, by name (without the {@code .npy} suffix), in file order. */
    public static Map<String, NpyArray> read(Path file) {
        if (!Files.exists(file)) {
            throw new InputError(file + ": no such file");
        }
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.endsWith(".npy")) {
                    throw new InputError(file + ": unexpected entry '" + name + "' (not a .npy array)");
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                out.put(name.substring(0, name.length() - 4), parse(file, name, bytes));
            }
        } catch (NoSuchFileException e) {
            throw new InputError(file + ": no such file", e);
        } catch (ZipException e) {
            throw new InputError(file + ": not a readable .npz (zip) file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InputError(file + ": cannot read: " + e.getMessage(), e);
        }
        return out;
    }

    private static NpyArray parse(Path file, String entry, byte[] bytes) {
        String where = file + " (" + entry + ")";
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || (bytes[0] & 0xFF) != 0x93 || bytes[1] != 'N' || bytes[2] != 'U' || bytes[3] != 'M'
                || bytes[4] != 'P' || bytes[5] != 'Y') {
            throw new InputError(where + ": not a .npy array (wrong magic string)");
        }
        int major = bytes[6] & 0xFF;
        int headerStart;
        long headerLength;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xFFFF;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new InputError(where + ": truncated .npy header");
            }
            headerLength = b.getInt(8) & 0xFFFFFFFFL;
            headerStart = 12;
        } else {
            throw new InputError(where + ": unsupported .npy format version " + major);
        }
        if (headerStart + headerLength > bytes.length) {
            throw new InputError(where + ": truncated .npy header");
        }
        String header = new String(bytes, headerStart, (int) headerLength, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeText = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeText.find()) {
            throw new InputError(where + ": malformed .npy header " + header.trim());
        }
        if (fortran.group(1).equals("True")) {
            throw new InputError(where + ": Fortran-order arrays are not supported");
        }
        Npy.Dtype dtype = null;
        for (Npy.Dtype d : Npy.Dtype.values()) {
            if (d.descr().equals(descr.group(1))) {
                dtype = d;
            }
        }
        if (dtype == null) {
            throw new InputError(where + ": unsupported dtype '" + descr.group(1) + "'");
        }
        String[] dims = shapeText.group(1).split(",");
        long[] shape = new long[0];
        int n = 0;
        for (String d : dims) {
            if (!d.isBlank()) {
                shape = java.util.Arrays.copyOf(shape, n + 1);
                try {
                    shape[n++] = Long.parseLong(d.trim().replace("L", ""));
                } catch (NumberFormatException e) {
                    throw new InputError(where + ": malformed shape (" + shapeText.group(1) + ")");
                }
            }
        }
        int dataStart = (int) (headerStart + headerLength);
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice();
        try {
            return new NpyArray(dtype, shape, data);
        } catch (IllegalArgumentException e) {
            throw new InputError(where + ": " + e.getMessage(), e);
        }
    }

    /** The int64 scalar {@code key} of a file read by {@link #read}; its absence means the file is not a {@code kind}. */
    public static long longScalar(Path file, Map<String, NpyArray> arrays, String key, String kind) {
        NpyArray a = arrays.get(key);
        if (a == null || a.dtype() != Npy.Dtype.INT64 || a.size() != 1) {
            throw new InputError(file + ": no int64 '" + key + "' (not a " + kind + " file?)");
        }
        return a.toLongArray()[0];
    }

    /** The float32 scalar {@code key}, like {@link #longScalar}. */
    public static float floatScalar(Path file, Map<String, NpyArray> arrays, String key, String kind) {
        NpyArray a = arrays.get(key);
        if (a == null || a.dtype() != Npy.Dtype.FLOAT32 || a.size() != 1) {
            throw new InputError(file + ": no float32 '" + key + "' (not a " + kind + " file?)");
        }
        return a.toFloatArray()[0];
    }
}
