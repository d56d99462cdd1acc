package org.hebbcnn.util;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Npy} against reference files written by NumPy 2.4.6 (src/test/resources/npy, see the
 * README there): our headers and data must be the same bytes, and what we read must be the same bits.
 */
class NpyTest {

    static NDManager manager;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        manager = Djl.newManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
            assertNotNull(in, "missing test resource npy/" + name);
            return in.readAllBytes();
        }
    }

    Path resourceFile(String name) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, resource(name));
        return p;
    }

    static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    // ---- the exact values the reference files hold (see gen_npy.py) ----

    static final int[] F4_BITS = {0x3F800000, 0x80000000, 0x7FC00001, 0xFFA00000, 0x00000001, 0xFF800000};
    static final long[] F8_BITS = {0x3FF0000000000000L, 0x8000000000000000L, 0x7FF8000000000123L, 0x0000000000000001L,
        0xC00921FB54442D18L};

    static float[] f4Values() {
        float[] f = new float[F4_BITS.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = Float.intBitsToFloat(F4_BITS[i]);
        }
        return f;
    }

    static double[] f8Values() {
        double[] d = new double[F8_BITS.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Double.longBitsToDouble(F8_BITS[i]);
        }
        return d;
    }

    static byte[] u1Values() {
        byte[] b = new byte[24];
        for (int i = 0; i < 24; i++) {
            b[i] = (byte) (i * 11 % 256);
        }
        return b;
    }

    // =====================================================================================
    // writing: byte for byte what NumPy writes

    @Test
    void writesFloat32LikeNumpy() throws IOException {
        Path out = tmp.resolve("out.npy");
        Npy.write(out, f4Values(), new long[] {2, 3});
        assertArrayEquals(resource("f4_2x3.npy"), Files.readAllBytes(out));
    }

    @Test
    void writesFloat64LikeNumpy() throws IOException {
        Path out = tmp.resolve("out.npy");
        Npy.write(out, f8Values(), new long[] {5});
        assertArrayEquals(resource("f8_5.npy"), Files.readAllBytes(out));
    }

    @Test
    void writesInt32ScalarLikeNumpy() throws IOException {
        Path out = tmp.resolve("out.npy");
        Npy.write(out, new int[] {-123456789}, new long[0]);
        assertArrayEquals(resource("i4_scalar.npy"), Files.readAllBytes(out));
    }

    @Test
    void writesInt64LikeNumpy() throws IOException {
        Path out = tmp.resolve("out.npy");
        Npy.write(out, new long[] {Long.MIN_VALUE, Long.MAX_VALUE, -1, 1}, new long[] {2, 2});
        assertArrayEquals(resource("i8_2x2.npy"), Files.readAllBytes(out));
    }

    @Test
    void writesUint8LikeNumpy() throws IOException {
        Path out = tmp.resolve("out.npy");
        Npy.write(out, u1Values(), new long[] {2, 3, 4});
        assertArrayEquals(resource("u1_2x3x4.npy"), Files.readAllBytes(out));
    }

    @Test
    void writesEmptyAndHighRankLikeNumpy() throws IOException {
        Path out = tmp.resolve("out.npy");
        Npy.write(out, new float[0], new long[] {0, 3});
        assertArrayEquals(resource("f4_0x3.npy"), Files.readAllBytes(out));
        Npy.write(out, new float[] {2.5f}, new long[] {1, 1, 1, 1, 1});
        assertArrayEquals(resource("f4_1x1x1x1x1.npy"), Files.readAllBytes(out));
        float[] halves = new float[1];
        Arrays.fill(halves, 0.5f);
        long[] ones30 = new long[30];
        Arrays.fill(ones30, 1);
        Npy.write(out, halves, ones30);
        assertArrayEquals(resource("f4_ndim30.npy"), Files.readAllBytes(out));
    }

    @Test
    void headerPadsAFullAlignmentBlockWhenAlreadyAlignedLikeNumpy() throws IOException {
        // NumPy computes padlen = 64 - (len % 64), so an already aligned header gets 64 more spaces.
        long[] shape = {0, 100, 1000, 1000, 1000, 1000, 1, 1, 1, 1};
        byte[] expected = resource("f4_pad64.npy");
        assertArrayEquals(expected, Npy.header(Npy.Dtype.FLOAT32, shape));
        Path out = tmp.resolve("out.npy");
        Npy.write(out, new float[0], shape);
        assertArrayEquals(expected, Files.readAllBytes(out));
    }

    @Test
    void headerLayoutFollowsTheSpec() {
        byte[] h = Npy.header(Npy.Dtype.FLOAT32, new long[] {3, 4});
        assertEquals(128, h.length);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0}, Arrays.copyOf(h, 10));
        String dict = new String(h, 10, h.length - 10, StandardCharsets.ISO_8859_1);
        assertTrue(dict.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"), dict);
        assertTrue(dict.endsWith(" \n"));
        assertEquals(dict.strip(), dict.substring(0, dict.indexOf('}') + 1));
        for (long[] shape : new long[][] {{}, {5}, {7, 1, 2}, {123456789012L, 2}}) {
            for (Npy.Dtype d : Npy.Dtype.values()) {
                byte[] hh = Npy.header(d, shape);
                assertEquals(0, hh.length % 64, Arrays.toString(shape));
                assertEquals(hh.length - 10, (hh[8] & 0xFF) | (hh[9] & 0xFF) << 8);
                assertEquals('\n', hh[hh.length - 1]);
            }
        }
        assertEquals("()", Npy.shapeRepr(new long[0]));
        assertEquals("(5,)", Npy.shapeRepr(new long[] {5}));
        assertEquals("(3, 4)", Npy.shapeRepr(new long[] {3, 4}));
    }

    @Test
    void hugeHeaderSwitchesToVersion2LikeNumpy() {
        long[] shape = new long[30000]; // "1, " * 30000 > 65535 bytes of header
        Arrays.fill(shape, 1);
        byte[] h = Npy.header(Npy.Dtype.FLOAT32, shape);
        assertEquals(2, h[6]);
        assertEquals(0, h[7]);
        int len = ByteBuffer.wrap(h, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(h.length - 12, len);
        assertEquals(0, h.length % 64);
    }

    // =====================================================================================
    // reading NumPy's files

    @Test
    void readsNumpyFloat32Bits() throws IOException {
        NpyArray a = Npy.read(resourceFile("f4_2x3.npy"));
        assertEquals(Npy.Dtype.FLOAT32, a.dtype());
        assertArrayEquals(new long[] {2, 3}, a.shape());
        float[] f = a.toFloatArray();
        for (int i = 0; i < F4_BITS.length; i++) {
            assertEquals(F4_BITS[i], Float.floatToRawIntBits(f[i]), "element " + i);
            assertEquals(F4_BITS[i], a.data().getInt(4 * i));
        }
    }

    @Test
    void readsNumpyFloat64Bits() throws IOException {
        NpyArray a = Npy.read(resourceFile("f8_5.npy"));
        assertEquals(Npy.Dtype.FLOAT64, a.dtype());
        assertArrayEquals(new long[] {5}, a.shape());
        double[] d = a.toDoubleArray();
        for (int i = 0; i < F8_BITS.length; i++) {
            assertEquals(F8_BITS[i], Double.doubleToRawLongBits(d[i]), "element " + i);
        }
    }

    @Test
    void readsNumpyIntegers() throws IOException {
        NpyArray s = Npy.read(resourceFile("i4_scalar.npy"));
        assertEquals(Npy.Dtype.INT32, s.dtype());
        assertEquals(0, s.ndim());
        assertEquals(1, s.size());
        assertArrayEquals(new int[] {-123456789}, s.toIntArray());

        NpyArray l = Npy.read(resourceFile("i8_2x2.npy"));
        assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, -1, 1}, l.toLongArray());

        NpyArray u = Npy.read(resourceFile("u1_2x3x4.npy"));
        assertEquals(Npy.Dtype.UINT8, u.dtype());
        assertArrayEquals(new long[] {2, 3, 4}, u.shape());
        assertArrayEquals(u1Values(), u.toByteArray());
        assertEquals(253, u.toIntArray()[23]); // 23 * 11 = 253: unsigned
        assertEquals(253f, u.toFloatArray()[23]);
    }

    @Test
    void readsEmptyAndVersion2AndBigEndian() throws IOException {
        NpyArray e = Npy.read(resourceFile("f4_0x3.npy"));
        assertArrayEquals(new long[] {0, 3}, e.shape());
        assertEquals(0, e.size());

        NpyArray v2 = Npy.read(resourceFile("f4_2x3_v2.npy"));
        assertArrayEquals(resource("f4_2x3.npy"), bytesOf(v2));

        NpyArray be = Npy.read(resourceFile("be_f4_2x3.npy"));
        assertEquals(Npy.Dtype.FLOAT32, be.dtype());
        assertArrayEquals(resource("f4_2x3.npy"), bytesOf(be), "big-endian file converts to the same little-endian bits");

        NpyArray pad = Npy.read(resourceFile("f4_pad64.npy"));
        assertEquals(10, pad.ndim());
        assertEquals(0, pad.size());
    }

    @Test
    void everyReferenceFileRoundTripsByteForByte() throws IOException {
        for (String name : new String[] {"f4_2x3.npy", "f8_5.npy", "i4_scalar.npy", "i8_2x2.npy", "u1_2x3x4.npy",
            "f4_0x3.npy", "f4_1x1x1x1x1.npy", "f4_ndim30.npy", "f4_pad64.npy"}) {
            assertArrayEquals(resource(name), bytesOf(Npy.read(resourceFile(name))), name);
        }
    }

    private byte[] bytesOf(NpyArray a) throws IOException {
        Path out = tmp.resolve("again.npy");
        Npy.write(out, a);
        return Files.readAllBytes(out);
    }

    @Test
    void readsIntoDjl() throws IOException {
        NDArray f = Npy.read(resourceFile("f4_2x3.npy"), manager);
        assertEquals(DataType.FLOAT32, f.getDataType());
        assertEquals(new Shape(2, 3), f.getShape());
        float[] values = f.toFloatArray();
        for (int i = 0; i < F4_BITS.length; i++) {
            assertEquals(F4_BITS[i], Float.floatToRawIntBits(values[i]));
        }
        NDArray s = Npy.read(resourceFile("i4_scalar.npy"), manager);
        assertEquals(DataType.INT32, s.getDataType());
        assertEquals(new Shape(), s.getShape());
        assertEquals(-123456789, s.getInt());
        NDArray u = Npy.read(resourceFile("u1_2x3x4.npy"), manager);
        assertEquals(DataType.UINT8, u.getDataType());
        byte[] ub = new byte[24];
        u.toByteBuffer().get(ub);
        assertArrayEquals(u1Values(), ub);
        assertEquals(253, u.toUint8Array()[23]);
        NDArray e = Npy.read(resourceFile("f4_0x3.npy"), manager);
        assertEquals(new Shape(0, 3), e.getShape());
    }

    @Test
    void writesDjlArraysLikeNumpy() throws IOException {
        Path out = tmp.resolve("djl.npy");
        Npy.write(out, manager.create(f4Values(), new Shape(2, 3)));
        assertArrayEquals(resource("f4_2x3.npy"), Files.readAllBytes(out));
        Npy.write(out, manager.create(f8Values(), new Shape(5)));
        assertArrayEquals(resource("f8_5.npy"), Files.readAllBytes(out));
        Npy.write(out, manager.create(-123456789));
        assertArrayEquals(resource("i4_scalar.npy"), Files.readAllBytes(out));
        Npy.write(out, manager.create(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, -1, 1}, new Shape(2, 2)));
        assertArrayEquals(resource("i8_2x2.npy"), Files.readAllBytes(out));
        Npy.write(out, manager.create(ByteBuffer.wrap(u1Values()), new Shape(2, 3, 4), DataType.UINT8));
        assertArrayEquals(resource("u1_2x3x4.npy"), Files.readAllBytes(out));
    }

    // =====================================================================================
    // round trips with random data (bit-exact)

    static ByteBuffer randomBytes(Npy.Dtype dtype, int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n * dtype.itemSize()];
        r.nextBytes(b); // random bit patterns: includes NaNs with payloads, subnormals, ...
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == Npy.Dtype.FLOAT32) {
            int[] special = {0x80000000, 0x7FC00001, 0xFFC12345, 0x7F800001, 0x7F800000, 0x00000001};
            for (int i = 0; i < special.length && i < n; i++) {
                buf.putInt(4 * i, special[i]);
            }
        } else if (dtype == Npy.Dtype.FLOAT64) {
            long[] special = {0x8000000000000000L, 0x7FF8000000000001L, 0xFFF0000000000ABCL, 0x7FF0000000000000L};
            for (int i = 0; i < special.length && i < n; i++) {
                buf.putLong(8 * i, special[i]);
            }
        }
        return buf;
    }

    @ParameterizedTest
    @EnumSource(Npy.Dtype.class)
    void plainJavaRoundTripIsBitExact(Npy.Dtype dtype) throws IOException {
        long[] shape = {3, 5, 7};
        ByteBuffer bytes = randomBytes(dtype, 105, 42 + dtype.ordinal());
        NpyArray a = new NpyArray(dtype, shape, bytes);
        Path out = tmp.resolve(dtype + ".npy");
        Npy.write(out, a);
        byte[] file = Files.readAllBytes(out);
        byte[] header = Npy.header(dtype, shape);
        assertArrayEquals(header, Arrays.copyOf(file, header.length));
        assertArrayEquals(bytes.array(), Arrays.copyOfRange(file, header.length, file.length), "raw data bytes");
        NpyArray back = Npy.read(out);
        assertEquals(a, back);
        assertArrayEquals(bytes.array(), back.toByteArray());
    }

    @Test
    void typedWritersKeepNaNPayloadsAndNegativeZero() throws IOException {
        Path out = tmp.resolve("f.npy");
        float[] f = new float[1000];
        Random r = new Random(1);
        for (int i = 0; i < f.length; i++) {
            f[i] = Float.intBitsToFloat(r.nextInt());
        }
        f[0] = -0.0f;
        f[1] = Float.intBitsToFloat(0x7FC0BEEF);
        Npy.write(out, f, new long[] {10, 100});
        float[] g = Npy.read(out).toFloatArray();
        for (int i = 0; i < f.length; i++) {
            assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(g[i]), "element " + i);
        }
        double[] d = new double[500];
        for (int i = 0; i < d.length; i++) {
            d[i] = Double.longBitsToDouble(r.nextLong());
        }
        d[0] = -0.0;
        d[1] = Double.longBitsToDouble(0x7FF800000000BEEFL);
        Npy.write(out, d, new long[] {500});
        double[] e = Npy.read(out).toDoubleArray();
        for (int i = 0; i < d.length; i++) {
            assertEquals(Double.doubleToRawLongBits(d[i]), Double.doubleToRawLongBits(e[i]), "element " + i);
        }
        int[] ints = r.ints(77).toArray();
        Npy.write(out, ints, new long[] {7, 11});
        assertArrayEquals(ints, Npy.read(out).toIntArray());
        long[] longs = r.longs(33).toArray();
        Npy.write(out, longs, new long[] {3, 11});
        assertArrayEquals(longs, Npy.read(out).toLongArray());
    }

    @ParameterizedTest
    @EnumSource(Npy.Dtype.class)
    void djlRoundTripIsBitExact(Npy.Dtype dtype) throws IOException {
        Shape shape = new Shape(4, 3, 5, 5);
        ByteBuffer bytes = randomBytes(dtype, (int) shape.size(), 7 + dtype.ordinal());
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.create(bytes.duplicate().order(ByteOrder.nativeOrder()), shape, dtype.djl());
            Path out = tmp.resolve("djl-" + dtype + ".npy");
            Npy.write(out, a);
            byte[] file = Files.readAllBytes(out);
            byte[] header = Npy.header(dtype, shape.getShape());
            assertArrayEquals(bytes.array(), Arrays.copyOfRange(file, header.length, file.length));
            NDArray b = Npy.read(out, m);
            assertEquals(dtype.djl(), b.getDataType());
            assertEquals(shape, b.getShape());
            byte[] back = new byte[bytes.capacity()];
            b.toByteBuffer().get(back);
            assertArrayEquals(bytes.array(), back);
        }
    }

    @Test
    void djlTransposedArrayIsWrittenInCOrder() throws IOException {
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.arange(6f).reshape(2, 3).transpose(); // [[0,3],[1,4],[2,5]], not contiguous
            Path out = tmp.resolve("t.npy");
            Npy.write(out, a);
            NpyArray back = Npy.read(out);
            assertArrayEquals(new long[] {3, 2}, back.shape());
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, back.toFloatArray());
        }
    }

    @Test
    @Tag("slow") // 16 MB through the disk and native memory, with timing
    void largeArrayRoundTrip() throws IOException {
        int n = 4_000_000;
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = i * 0.5f - 3f;
        }
        Path out = tmp.resolve("big.npy");
        long t0 = System.nanoTime();
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.create(f, new Shape(1000, 4000));
            Npy.write(out, a);
            NDArray b = Npy.read(out, m);
            assertEquals(a.getShape(), b.getShape());
            assertTrue(a.contentEquals(b));
        }
        assertArrayEquals(f, Npy.read(out).toFloatArray());
        assertEquals(128 + 4L * n, Files.size(out));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 10, "16 MB round trip took " + seconds + " s");
    }

    @Test
    void unsupportedDjlTypeIsRejected() {
        try (NDManager m = manager.newSubManager()) {
            NDArray b = m.create(new boolean[] {true, false});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.write(tmp.resolve("b.npy"), b));
            assertTrue(e.getMessage().toUpperCase().contains("BOOLEAN"), e.getMessage());
        }
    }

    @Test
    void shapeAndDataMustAgree() {
        assertThrows(IllegalArgumentException.class, () -> Npy.write(tmp.resolve("x.npy"), new float[5], new long[] {2, 3}));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(tmp.resolve("x.npy"), new float[0], new long[] {-1}));
        assertFalse(Files.exists(tmp.resolve("x.npy")));
    }

    @Test
    void writeCreatesParentsAndReplaces() throws IOException {
        Path out = tmp.resolve("a/b/c.npy");
        Npy.write(out, new float[] {1}, new long[] {1});
        Npy.write(out, new float[] {1, 2}, new long[] {2});
        assertArrayEquals(new float[] {1, 2}, Npy.read(out).toFloatArray());
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
        InputError e = assertThrows(InputError.class, () -> Npy.write(tmp, new float[] {1}, new long[] {1}));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    // =====================================================================================
    // bad input -> InputError naming the file and the problem

    InputError readError(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        InputError e = assertThrows(InputError.class, () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        return e;
    }

    static void assertMentions(InputError e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage().toLowerCase().contains(w.toLowerCase()), "'" + w + "' not in: " + e.getMessage());
        }
    }

    /** The f4_2x3 reference file with its header dict replaced (re-padded to the same length). */
    static byte[] withDict(String dict) throws IOException {
        byte[] ok = resource("f4_2x3.npy");
        byte[] out = ok.clone();
        byte[] d = (dict + " ".repeat(117 - dict.length()) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(118, d.length);
        System.arraycopy(d, 0, out, 10, 118);
        return out;
    }

    @Test
    void missingFileAndDirectory() {
        InputError e = assertThrows(InputError.class, () -> Npy.read(tmp.resolve("nope.npy")));
        assertMentions(e, "nope.npy", "no such file");
        e = assertThrows(InputError.class, () -> Npy.read(tmp));
        assertMentions(e, "directory");
    }

    @Test
    void wrongMagicEmptyAndTruncated() throws IOException {
        assertMentions(readError("e.npy", new byte[0]), "empty");
        assertMentions(readError("m.npy", "PK\3\4 this is a zip".getBytes(StandardCharsets.ISO_8859_1)), "magic");
        byte[] ok = resource("f4_2x3.npy");
        assertMentions(readError("short.npy", Arrays.copyOf(ok, 4)), "magic");
        assertMentions(readError("pre.npy", Arrays.copyOf(ok, 9)), "truncated");
        assertMentions(readError("hdr.npy", Arrays.copyOf(ok, 100)), "truncated", "header");
        assertMentions(readError("data.npy", Arrays.copyOf(ok, ok.length - 1)), "truncated", "23");
        byte[] longer = Arrays.copyOf(ok, ok.length + 3);
        assertMentions(readError("trail.npy", longer), "3 unexpected bytes");
    }

    @Test
    void unsupportedVersionDtypeAndOrder() throws IOException {
        byte[] v9 = resource("f4_2x3.npy");
        v9[6] = 9;
        assertMentions(readError("v9.npy", v9), "version 9.0");
        assertMentions(readError("f2.npy", resource("f2_3.npy")), "unsupported dtype", "<f2", "<f4");
        assertMentions(readError("fortran.npy", resource("fortran_f4_2x3.npy")), "fortran");
        assertMentions(readError("c8.npy", withDict("{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }")), "'<c8'");
        assertMentions(readError("rec.npy", withDict("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,), }")),
                "structured");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), ",
        "{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3], }",
        "{'descr': '<f4', 'fortran_order': False, }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'extra': 1, }",
        "{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3.0), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } junk",
        "['descr', '<f4']",
        "{'descr: '<f4', 'fortran_order': False, 'shape': (2, 3), }",
        "",
    })
    void malformedHeaders(String dict) throws IOException {
        assertMentions(readError("bad.npy", withDict(dict)), "malformed");
    }

    @Test
    void shapeTroublesInTheHeader() throws IOException {
        assertMentions(readError("neg.npy", withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, -3), }")),
                "negative");
        assertMentions(readError("big.npy",
                withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }")), "2 GiB");
        assertMentions(readError("mismatch.npy", withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 3), }")),
                "truncated");
    }

    @Test
    void tolerantOfHeaderVariantsNumpyAccepts() throws IOException {
        // key order, double quotes, no trailing comma, Python 2 longs: NumPy's literal_eval reads all of these
        for (String dict : new String[] {
            "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}",
            "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2,3)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }",
        }) {
            Path p = tmp.resolve("ok.npy");
            Files.write(p, withDict(dict));
            NpyArray a = Npy.read(p);
            assertArrayEquals(new long[] {2, 3}, a.shape(), dict);
            assertEquals(F4_BITS[2], a.data().getInt(8));
        }
    }
}
