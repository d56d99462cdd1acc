package org.hebbcnn.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NumPy {@code .npy} files (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
 *
 * <p>Writes format 1.0 (2.0 only when the header would exceed 65535 bytes, as NumPy does) with a
 * header byte-for-byte identical to {@code numpy.save}: the dict
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}, NumPy's extra spaces for
 * growing the first axis in place, then spaces and a final {@code '\n'} so that magic, version,
 * length and dict together are a multiple of 64 bytes. The data follow as raw little-endian bytes in
 * C order (bit-exact: NaN payloads and -0.0 survive).
 *
 * <p>Reads format 1.0, 2.0 and 3.0 for {@code <f4 <f8 <i4 <i8 |u1} (big-endian {@code >} variants
 * are read too and converted to little-endian). Fortran order, other dtypes, a wrong magic string,
 * a malformed header, a truncated file or bytes after the array raise {@link InputError} naming the
 * file and the problem.
 *
 * <p>Arrays are limited to 2 GiB of data (one {@link ByteBuffer}).
 */
public final class Npy {

    /** The dtypes supported here. */
    public enum Dtype {
        FLOAT32("<f4", 4, DataType.FLOAT32),
        FLOAT64("<f8", 8, DataType.FLOAT64),
        INT32("<i4", 4, DataType.INT32),
        INT64("<i8", 8, DataType.INT64),
        UINT8("|u1", 1, DataType.UINT8);

        private final String descr;
        private final int itemSize;
        private final DataType djl;

        Dtype(String descr, int itemSize, DataType djl) {
            this.descr = descr;
            this.itemSize = itemSize;
            this.djl = djl;
        }

        /** The descr NumPy writes, e.g. {@code <f4}. */
        public String descr() {
            return descr;
        }

        public int itemSize() {
            return itemSize;
        }

        public DataType djl() {
            return djl;
        }

        /** The dtype for a DJL data type; IllegalArgumentException for the ones not supported here. */
        public static Dtype of(DataType type) {
            for (Dtype d : values()) {
                if (d.djl == type) {
                    return d;
                }
            }
            throw new IllegalArgumentException("cannot write DJL data type " + type + " as .npy (supported: "
                    + supportedList() + "); convert it with NDArray.toType first");
        }
    }

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    static final int ARRAY_ALIGN = 64;
    static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** Larger headers are refused when reading (NumPy's own limit is 10000 characters). */
    static final int MAX_HEADER_BYTES = 1 << 20;
    static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

    private Npy() {}

    // =====================================================================================
    // writing

    /** Writes a DJL array (any dtype in {@link Dtype}, any device; C order). */
    public static void write(Path file, NDArray array) {
        write(file, NpyArray.of(array));
    }

    public static void write(Path file, float[] data, long[] shape) {
        write(file, NpyArray.of(data, shape));
    }

    public static void write(Path file, double[] data, long[] shape) {
        write(file, NpyArray.of(data, shape));
    }

    public static void write(Path file, int[] data, long[] shape) {
        write(file, NpyArray.of(data, shape));
    }

    public static void write(Path file, long[] data, long[] shape) {
        write(file, NpyArray.of(data, shape));
    }

    /** Writes {@code data} as uint8 ({@code |u1}). */
    public static void write(Path file, byte[] data, long[] shape) {
        write(file, NpyArray.ofUint8(data, shape));
    }

    /**
     * Writes the array; parent folders are created. The file is written next to its final name and
     * moved into place, so a reader never sees half a file. I/O failures raise {@link InputError}.
     */
    public static void write(Path file, NpyArray array) {
        byte[] header = header(array.dtype(), array.shape());
        if (Files.isDirectory(file)) {
            throw new InputError(file + ": cannot write: it is a directory");
        }
        try {
            AtomicFiles.write(file, tmp -> {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                    writeFully(ch, ByteBuffer.wrap(header));
                    writeFully(ch, array.data());
                }
            });
        } catch (IOException e) {
            throw new InputError(file + ": cannot write: " + describe(e), e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * The complete header (magic, version, header length, padded dict) that {@code numpy.save} writes
     * for a C-order array of this dtype and shape. Its length is a multiple of 64.
     */
    public static byte[] header(Dtype dtype, long[] shape) {
        StringBuilder dict = new StringBuilder()
                .append("{'descr': '").append(dtype.descr())
                .append("', 'fortran_order': False, 'shape': ").append(shapeRepr(shape)).append(", }");
        if (shape.length > 0) {
            // NumPy leaves room to grow the first axis in place (GROWTH_AXIS_MAX_DIGITS).
            dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length())));
        }
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int hlen = text.length + 1; // + '\n'
        int major = 1;
        int lengthBytes = 2;
        int padlen = ARRAY_ALIGN - ((MAGIC.length + 2 + lengthBytes + hlen) % ARRAY_ALIGN);
        if (hlen + padlen > 0xFFFF) {
            major = 2;
            lengthBytes = 4;
            padlen = ARRAY_ALIGN - ((MAGIC.length + 2 + lengthBytes + hlen) % ARRAY_ALIGN);
        }
        int total = MAGIC.length + 2 + lengthBytes + hlen + padlen;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (lengthBytes == 2) {
            b.putShort((short) (hlen + padlen));
        } else {
            b.putInt(hlen + padlen);
        }
        b.put(text);
        for (int i = 0; i < padlen; i++) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    /** Python's repr of a shape tuple: {@code ()}, {@code (5,)}, {@code (3, 4)}. */
    public static String shapeRepr(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(')').toString();
    }

    /** Bytes of data for a shape; IllegalArgumentException for negative axes or more than 2 GiB. */
    static long byteCount(Dtype dtype, long[] shape) {
        String problem = checkShape(dtype, shape);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        long n = dtype.itemSize();
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** null when the shape is fine, else the problem. */
    private static String checkShape(Dtype dtype, long[] shape) {
        for (long d : shape) {
            if (d < 0) {
                return "negative axis length in shape " + shapeRepr(shape);
            }
            if (d == 0) {
                return null;
            }
        }
        long n = dtype.itemSize();
        for (long d : shape) {
            if (d > MAX_DATA_BYTES / n) {
                return "shape " + shapeRepr(shape) + " of " + dtype.descr() + " is larger than 2 GiB, not supported";
            }
            n *= d;
        }
        return null;
    }

    // =====================================================================================
    // reading

    /** Reads a file into a new DJL array owned by {@code manager} (same dtype and shape). */
    public static NDArray read(Path file, NDManager manager) {
        return read(file).toNDArray(manager);
    }

    /** Reads a file without DJL. */
    public static NpyArray read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre);
            pre.flip();
            if (pre.remaining() < MAGIC.length || !startsWithMagic(pre)) {
                if (fileSize == 0) {
                    throw bad(file, "empty file, not a .npy file");
                }
                throw bad(file, "not a .npy file (wrong magic string; expected \\x93NUMPY)");
            }
            if (pre.remaining() < 10) {
                throw bad(file, "truncated .npy header (" + fileSize + " bytes)");
            }
            int major = pre.get(6) & 0xFF;
            int minor = pre.get(7) & 0xFF;
            long headerLength;
            int prefix;
            if (major == 1) {
                headerLength = pre.getShort(8) & 0xFFFF;
                prefix = 10;
            } else if (major == 2 || major == 3) {
                if (pre.remaining() < 12) {
                    throw bad(file, "truncated .npy header (" + fileSize + " bytes)");
                }
                headerLength = pre.getInt(8) & 0xFFFFFFFFL;
                prefix = 12;
            } else {
                throw bad(file, "unsupported .npy format version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw bad(file, "malformed .npy header: header length " + headerLength + " is implausibly large");
            }
            if (prefix + headerLength > fileSize) {
                throw bad(file, "truncated .npy header: header length says " + headerLength + " bytes but the file has only "
                        + (fileSize - prefix) + " after the prefix");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
            ch.position(prefix);
            readFully(ch, hb);
            String text = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Header h = parseHeader(file, text);

            long dataStart = prefix + headerLength;
            long available = fileSize - dataStart;
            String shapeProblem = checkShape(h.dtype, h.shape);
            if (shapeProblem != null) {
                throw bad(file, shapeProblem);
            }
            long expected = byteCount(h.dtype, h.shape);
            if (available < expected) {
                throw bad(file, "truncated data: shape " + shapeRepr(h.shape) + " of " + h.descr + " needs " + expected
                        + " bytes but only " + available + " follow the header");
            }
            if (available > expected) {
                throw bad(file, (available - expected) + " unexpected bytes after the data of shape " + shapeRepr(h.shape)
                        + " " + h.descr);
            }
            ByteBuffer data = ByteBuffer.allocateDirect((int) expected);
            ch.position(dataStart);
            readFully(ch, data);
            if (data.hasRemaining()) {
                throw bad(file, "truncated data (file shrank while reading)");
            }
            data.flip();
            if (h.bigEndian && h.dtype.itemSize() > 1) {
                data = swapBytes(data, h.dtype);
            }
            return new NpyArray(h.dtype, h.shape, data);
        } catch (NoSuchFileException e) {
            throw new InputError(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new InputError(file + ": permission denied");
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new InputError(file + ": is a directory, not a .npy file");
            }
            throw new InputError(file + ": cannot read: " + describe(e), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                return;
            }
        }
    }

    private static boolean startsWithMagic(ByteBuffer b) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static InputError bad(Path file, String problem) {
        return new InputError(file + ": " + problem);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }

    // ---- header dict parsing (a Python literal) ----

    private record Header(String descr, Dtype dtype, boolean bigEndian, long[] shape) {}

    private static Header parseHeader(Path file, String text) {
        Map<String, Object> dict;
        try {
            LiteralParser p = new LiteralParser(text);
            Object v = p.value();
            p.skipSpace();
            if (!p.atEnd()) {
                throw p.error("unexpected text after the dict");
            }
            if (!(v instanceof Map<?, ?> m)) {
                throw p.error("header is not a dict");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> cast = (Map<String, Object>) m;
            dict = cast;
        } catch (IllegalArgumentException e) {
            throw bad(file, "malformed .npy header: " + e.getMessage() + " in " + quote(text));
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) {
                throw bad(file, "malformed .npy header: no '" + key + "' key in " + quote(text));
            }
        }
        if (dict.size() != 3) {
            List<String> extra = new ArrayList<>(dict.keySet());
            extra.removeAll(List.of("descr", "fortran_order", "shape"));
            throw bad(file, "malformed .npy header: unexpected keys " + extra);
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw bad(file, "malformed .npy header: fortran_order is not True or False");
        }
        if (!(dict.get("shape") instanceof Tuple shapeTuple)) {
            throw bad(file, "malformed .npy header: shape is not a tuple");
        }
        long[] shape = new long[shapeTuple.items.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeTuple.items.get(i) instanceof Long d)) {
                throw bad(file, "malformed .npy header: shape " + shapeTuple + " has a non-integer entry");
            }
            shape[i] = d;
        }
        Object descrObj = dict.get("descr");
        if (!(descrObj instanceof String descr)) {
            throw bad(file, "unsupported dtype " + descrObj + " (structured dtypes are not supported; supported: "
                    + supportedList() + ")");
        }
        Dtype dtype = null;
        boolean big = false;
        if (descr.length() == 3 && "<>|".indexOf(descr.charAt(0)) >= 0) {
            String code = descr.substring(1);
            for (Dtype d : Dtype.values()) {
                if (d.descr().substring(1).equals(code)) {
                    dtype = d;
                }
            }
            big = descr.charAt(0) == '>';
            if (dtype != null && descr.charAt(0) == '|' && dtype.itemSize() > 1) {
                dtype = null; // '|' (not applicable) only makes sense for one-byte types
            }
        }
        if (dtype == null) {
            throw bad(file, "unsupported dtype '" + descr + "' (supported: " + supportedList() + ")");
        }
        if (fortran) {
            throw bad(file, "Fortran-order (column-major) arrays are not supported; save it in C order "
                    + "(numpy.ascontiguousarray) first");
        }
        return new Header(descr, dtype, big, shape);
    }

    private static String quote(String headerText) {
        String t = headerText.strip();
        if (t.length() > 200) {
            t = t.substring(0, 200) + "...";
        }
        return "\"" + t.replace("\n", "\\n") + "\"";
    }

    private static String supportedList() {
        StringBuilder s = new StringBuilder();
        for (Dtype d : Dtype.values()) {
            s.append(s.length() == 0 ? "" : ", ").append(d.descr());
        }
        return s.toString();
    }

    /** A Python tuple in the header (kept apart from lists, which NumPy does not accept for shape). */
    private record Tuple(List<Object> items) {
        @Override
        public String toString() {
            return items.toString().replace('[', '(').replace(']', ')');
        }
    }

    /** Just enough of Python's literal syntax for .npy headers: dict, str, int, True/False/None, tuple, list. */
    private static final class LiteralParser {
        private final String s;
        private int i;

        LiteralParser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + i);
        }

        Object value() {
            skipSpace();
            if (atEnd()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            if (c == '{') {
                return dict();
            }
            if (c == '(' || c == '[') {
                return sequence(c == '(' ? ')' : ']', c == '(');
            }
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '-' || c == '+' || Character.isDigit(c)) {
                return integer();
            }
            if (Character.isLetter(c)) {
                int start = i;
                while (i < s.length() && Character.isLetterOrDigit(s.charAt(i))) {
                    i++;
                }
                String word = s.substring(start, i);
                switch (word) {
                    case "True": return Boolean.TRUE;
                    case "False": return Boolean.FALSE;
                    case "None": return "None";
                    default:
                        i = start;
                        throw error("unexpected '" + word + "'");
                }
            }
            throw error("unexpected '" + c + "'");
        }

        private Map<String, Object> dict() {
            i++; // {
            Map<String, Object> m = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (atEnd()) {
                    throw error("unterminated dict");
                }
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                Object key = value();
                if (!(key instanceof String k)) {
                    throw error("dict key is not a string");
                }
                skipSpace();
                expect(':');
                Object v = value();
                if (m.put(k, v) != null) {
                    throw error("duplicate key '" + k + "'");
                }
                skipSpace();
                if (!atEnd() && s.charAt(i) == ',') {
                    i++;
                } else if (atEnd() || s.charAt(i) != '}') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private Object sequence(char close, boolean tuple) {
            i++;
            List<Object> items = new ArrayList<>();
            boolean sawComma = false;
            while (true) {
                skipSpace();
                if (atEnd()) {
                    throw error("unterminated " + (tuple ? "tuple" : "list"));
                }
                if (s.charAt(i) == close) {
                    i++;
                    break;
                }
                items.add(value());
                skipSpace();
                if (!atEnd() && s.charAt(i) == ',') {
                    i++;
                    sawComma = true;
                } else if (atEnd() || s.charAt(i) != close) {
                    throw error("expected ',' or '" + close + "'");
                }
            }
            if (tuple && items.size() == 1 && !sawComma) {
                return items.get(0); // (5) is just 5 in Python
            }
            return tuple ? new Tuple(items) : items;
        }

        private String string() {
            char q = s.charAt(i++);
            StringBuilder b = new StringBuilder();
            while (i < s.length() && s.charAt(i) != q) {
                char c = s.charAt(i++);
                if (c == '\\' && i < s.length()) {
                    c = s.charAt(i++);
                }
                b.append(c);
            }
            if (atEnd()) {
                throw error("unterminated string");
            }
            i++;
            return b.toString();
        }

        private Long integer() {
            int start = i;
            if (s.charAt(i) == '-' || s.charAt(i) == '+') {
                i++;
            }
            int digits = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == digits) {
                throw error("expected a number");
            }
            String num = s.substring(start, i);
            if (i < s.length() && (s.charAt(i) == 'L' || s.charAt(i) == 'l')) {
                i++; // Python 2 long suffix, as in old headers: (3L, 4L)
            }
            if (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                throw error("not an integer");
            }
            try {
                return Long.parseLong(num.startsWith("+") ? num.substring(1) : num);
            } catch (NumberFormatException e) {
                throw error("integer out of range");
            }
        }

        private void expect(char c) {
            if (atEnd() || s.charAt(i) != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }
    }

    // =====================================================================================
    // byte order

    /** A little-endian copy of native-order element bytes (the buffer itself on little-endian hosts). */
    static ByteBuffer toLittleEndian(ByteBuffer nativeBytes, Dtype dtype) {
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN || dtype.itemSize() == 1) {
            return nativeBytes.order(ByteOrder.LITTLE_ENDIAN);
        }
        return swapBytes(nativeBytes, dtype);
    }

    /** Native-order element bytes from little-endian ones (the buffer itself on little-endian hosts). */
    static ByteBuffer fromLittleEndian(ByteBuffer le, Dtype dtype) {
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN || dtype.itemSize() == 1) {
            return le.order(ByteOrder.nativeOrder());
        }
        ByteBuffer swapped = swapBytes(le, dtype);
        ByteBuffer direct = ByteBuffer.allocateDirect(swapped.remaining());
        return direct.put(swapped).flip().order(ByteOrder.nativeOrder());
    }

    /** Reverses the bytes of every element (bulk, through typed views). */
    static ByteBuffer swapBytes(ByteBuffer in, Dtype dtype) {
        ByteOrder from = in.order();
        ByteOrder to = from == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer src = in.duplicate().order(from);
        ByteBuffer out = (in.isDirect() ? ByteBuffer.allocateDirect(in.remaining()) : ByteBuffer.allocate(in.remaining()))
                .order(to);
        switch (dtype.itemSize()) {
            case 4 -> out.asIntBuffer().put(src.asIntBuffer());
            case 8 -> out.asLongBuffer().put(src.asLongBuffer());
            default -> out.put(src).flip();
        }
        return out;
    }
}
