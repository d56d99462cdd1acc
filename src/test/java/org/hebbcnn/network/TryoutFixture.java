package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The try-out network's state after a few training batches, as SHA-256 digests of every array's
 * float32 bytes. {@link #main} wrote {@code fixtures/tryout-fingerprints.json} with the code of
 * main at 46a41c1 (before networks became specs), on one PyTorch thread
 * ({@code -Dai.djl.pytorch.num_threads=1}, as the tests run: other thread counts round differently); {@code TryoutFixtureTest} recomputes the digests
 * with today's code, so the paper's network stays bit-identical. Digests, not arrays: layer 5 alone
 * holds 9.4 M weights per network. The {@code vae.*} entries after the first update (loss1, features,
 * reconstruction) were rewritten when the VAE's input gradients became right ({@link org.hebbcnn.tensors.Convolution}:
 * the native gradient through its last transposed convolution, to 3 channels, had been wrong); the
 * rest still match 46a41c1.
 */
public final class TryoutFixture {
    static final String RESOURCE = "/fixtures/tryout-fingerprints.json";
    static final int BATCH = 16;
    static final int CLASSES = 10;
    static final long SEED = 7;

    private TryoutFixture() {}

    /** A deterministic batch {@code n} of images [16, 3, 32, 32] (standard-normal-ish) and labels. */
    static NDList batch(NDManager m, int n) {
        SplittableRandom r = new SplittableRandom(1000 + n);
        float[] x = new float[BATCH * 3 * 32 * 32];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1) * 1.7f;
        }
        int[] y = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = r.nextInt(CLASSES);
        }
        return new NDList(m.create(x, new Shape(BATCH, 3, 32, 32)), m.create(y));
    }

    /** The SHA-256 of an array's float32 little-endian bytes, with its shape. */
    public static String digest(NDArray a) {
        float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return a.getShape() + " " + HexFormat.of().formatHex(md.digest(b.array()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void putAll(Map<String, String> out, String prefix, NDList list) {
        for (int i = 0; i < list.size(); i++) {
            out.put(prefix + (i + 1), digest(list.get(i)));
        }
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Map<String, String> out = compute();
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), out);
    }

    /** Every fingerprint, computed with today's code. */
    static Map<String, String> compute() {
        Map<String, String> out = new TreeMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            for (String rule : new String[] {"hpca", "hwta"}) {
                try (HebbianNetwork net = new HebbianNetwork(m, CLASSES, org.hebbcnn.rules.Rules.byName(rule), SEED)) {
                    for (int n = 0; n < 2; n++) {
                        NDList b = batch(m, n);
                        out.put(rule + ".scores" + n, digest(net.train(b.get(0), b.get(1), 1e-3f)));
                    }
                    for (int l = 1; l <= 6; l++) {
                        out.put(rule + ".layer" + l + ".weight", digest(net.layer(l).weights()));
                    }
                    putAll(out, rule + ".forward", net.forward(batch(m, 9).get(0)));
                }
            }
            try (BackpropNetwork bp = new BackpropNetwork(m, Plans.tryout(CLASSES), SEED)) {
                bp.setLearningRate(1e-3f);
                bp.setWeightDecay(5e-2f);
                for (int n = 0; n < 2; n++) {
                    NDList b = batch(m, n);
                    out.put("bp.loss" + n, Float.toString(bp.trainStep(b.get(0), b.get(1))));
                }
                for (int l = 1; l <= 6; l++) {
                    out.put("bp.layer" + l + ".weight", digest(bp.weight(l)));
                    out.put("bp.layer" + l + ".bias", digest(bp.bias(l)));
                }
                putAll(out, "bp.forward", bp.forward(batch(m, 9).get(0), false));
            }
            try (Vae vae = new Vae(m, Plans.tryout(10), SEED)) {
                for (int n = 0; n < 2; n++) {
                    out.put("vae.loss" + n, Float.toString(vae.trainStep(batch(m, n).get(0))));
                }
                putAll(out, "vae.features", vae.features(batch(m, 9).get(0)));
                out.put("vae.reconstruction", digest(vae.reconstruct(batch(m, 9).get(0))));
            }
        }
        return out;
    }
}
