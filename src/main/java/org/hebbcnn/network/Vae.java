package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.hebbcnn.util.Djl;
import org.hebbcnn.training.NesterovSgd;
import org.hebbcnn.training.NpzFile;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Npy;
import org.hebbcnn.util.NpyArray;
import org.hebbcnn.util.UniformInit;

/**
 * The paper's VAE baseline (reference notes, "VAE baseline"): an encoder that is exactly
 * {@link BackpropNetwork}'s layers 1-5, two linear heads to 256 means and log-variances, and a
 * mirrored decoder with max-unpooling at the two pooling points:
 *
 * <pre>
 *   encoder  conv1 5x5 3->96  ReLU pool BN   [B,96,14,14]     (switches s1: [B,96,28,28])
 *            conv2 3x3 96->128 ReLU BN       [B,128,12,12]
 *            conv3 3x3 128->192 ReLU pool BN [B,192,5,5]      (switches s3: [B,192,10,10])
 *            conv4 3x3 192->256 ReLU BN      [B,256,3,3]
 *            fc5 2304->4096 ReLU BN1d        [B,4096]
 *            fc_mu, fc_logvar 4096->256      [B,256] each (no activation)
 *   decoder  dec.fc1 256->4096 ReLU BN1d, dec.fc2 4096->2304 ReLU BN1d, reshape [B,256,3,3]
 *            dec.deconv3 256->192 3x3 ReLU BN [B,192,5,5], unpool(s3)  [B,192,10,10]
 *            dec.deconv4 192->128 3x3 ReLU BN [B,128,12,12]
 *            dec.deconv5 128->96 3x3 ReLU BN  [B,96,14,14],  unpool(s1)  [B,96,28,28]
 *            dec.deconv6 96->3 5x5            [B,3,32,32] (no activation: the target is the normalised image)
 * </pre>
 *
 * Transposed convolutions have stride 1, no padding, and a bias; their weights are stored in
 * PyTorch's {@code ConvTranspose2d} layout [in, out, kh, kw] ({@link #conv2dTranspose} says how they
 * run without DJL's deconvolution, which its PyTorch engine lacks). Batch-norm everywhere is
 * PyTorch's (trainable affine, momentum 0.1, eps 1e-5, unbiased running variance). Choices the notes
 * leave open: the decoder block order is transposed conv -> ReLU -> batch-norm -> unpool (the
 * encoder's order reversed would put the unpooling first; this way the positions unpooling leaves
 * empty are exactly 0 in the next layer's input), and the heads and the last transposed conv have
 * no activation and no batch-norm.
 *
 * <p><b>Loss</b> = mean squared error over all elements + 0.5 * KL, KL = batch mean of
 * sum over latents of -0.5 (1 + logvar - mu^2 - exp(logvar)). Training uses z = mu + exp(logvar/2)
 * eps; {@link #loss}, {@link #reconstruct} and {@link #features} run in eval mode with z = mu, so
 * they are deterministic. Optimiser: {@link NesterovSgd} in plain-momentum mode (PyTorch's
 * {@code SGD(lr=1e-3, momentum=0.9)}), no weight decay, on every parameter.
 *
 * <p><b>Max-unpooling.</b> DJL has no max-pooling with indices, so the switches of each 2x2 pool
 * are recovered from the ReLU output before pooling (without gradient), and
 * {@code unpool(y) = upsample2x(y) * switches}, upsampling by {@link NDArray#repeat(int, long)} on
 * axes 2 and 3 (differentiable). <i>Ties</i>: after a ReLU, windows with several equal maxima are
 * common (all four zero). The plain mask {@code pre == upsample(pooled)} would mark every tied
 * position and so copy the decoder's value into each; PyTorch's
 * {@code max_pool2d(return_indices=True)} + {@code max_unpool2d}, which the reference uses, keeps
 * only the first maximum in row-major window order. The switches here are exactly that first
 * maximum (an argmax over each window, cheaper than masking and then de-duplicating ties), so
 * unpooling matches the reference, and the pooled value's gradient (which {@code maxPool2d} also
 * sends to the first maximum) and the unpooling use the same position.
 *
 * <p><b>Initialisation</b> as PyTorch's defaults from {@link SplittableRandom} (never the engine's
 * generator): weights and biases uniform in +-1/sqrt(fan_in), fan_in = in * kh * kw for conv and
 * linear, and out * kh * kw for a transposed conv (PyTorch computes it from its weight layout
 * [in, out, kh, kw]); batch-norm gamma 1, beta 0, running mean 0, running variance 1. Block n uses
 * the stream {@code seed * 31 + n}, n = 1..5 for the encoder (the same streams as
 * {@link BackpropNetwork}, so the encoder starts as the backprop twin of the same seed), 6 and 7
 * for the heads, 8..13 for the decoder.
 *
 * <p><b>Noise</b>: the eps of training step n is Box-Muller on draw number n of a seeded
 * {@link SplittableRandom} stream (StrictMath, so it is the same on every JVM); the draw counter is
 * saved, so training resumed from a file draws what the uninterrupted run would have drawn.
 *
 * <p><b>Files</b> ({@link #save}, {@link #load}): one {@code .npz} with every parameter (PyTorch
 * state_dict style names: conv1.weight, bn1.running_var, fc_mu.bias, dec.deconv3.weight, ...),
 * every momentum buffer ({@code momentum.<name>}) and {@code meta.*} (version, seed, noise draws,
 * steps, learning rate). Training continued after {@code load} is bit-identical.
 *
 * <p>Native memory: parameters live in a sub-manager of the constructor's manager, closed by
 * {@link #close}; every call works in a sub-manager of its input's manager that is closed before it
 * returns, and returned arrays belong to the input's manager.
 */
public final class Vae implements AutoCloseable {
    public static final int LATENT = 256;
    public static final float KL_WEIGHT = 0.5f;
    public static final float LEARNING_RATE = 1e-3f;
    public static final float MOMENTUM = 0.9f;
    public static final int FORMAT_VERSION = 1;
    public static final Shape IMAGE = new Shape(3, 32, 32);

    private static final Shape UNIT = new Shape(1, 1);
    private static final Shape NO_PADDING = new Shape(0, 0);
    private static final Shape POOL = new Shape(2, 2);

    /** The loss of a batch and its two terms (the total is mse + 0.5 kl). */
    public record Loss(double total, double mse, double kl) {}

    private enum Kind { CONV, LINEAR, DECONV }

    private final NDManager manager;
    private final Block conv1, conv2, conv3, conv4, fc5, fcMu, fcLogVar;
    private final Block dfc1, dfc2, deconv3, deconv4, deconv5, deconv6;
    private final List<Block> blocks;
    private NesterovSgd sgd = new NesterovSgd(LEARNING_RATE, MOMENTUM, 0f, false);
    private float klWeight = KL_WEIGHT;
    private long seed;
    private long noiseDraws;
    private long steps;
    private Loss lastStep = new Loss(Double.NaN, Double.NaN, Double.NaN);

    /** A fresh VAE; {@code seed} fixes the initial weights and the reparameterisation noise. */
    public Vae(NDManager parent, long seed) {
        this.manager = parent.newSubManager();
        this.seed = seed;
        conv1 = new Block(1, "conv1", "bn1", Kind.CONV, new Shape(96, 3, 5, 5), true);
        conv2 = new Block(2, "conv2", "bn2", Kind.CONV, new Shape(128, 96, 3, 3), true);
        conv3 = new Block(3, "conv3", "bn3", Kind.CONV, new Shape(192, 128, 3, 3), true);
        conv4 = new Block(4, "conv4", "bn4", Kind.CONV, new Shape(256, 192, 3, 3), true);
        fc5 = new Block(5, "fc5", "bn5", Kind.LINEAR, new Shape(4096, 2304), true);
        fcMu = new Block(6, "fc_mu", null, Kind.LINEAR, new Shape(LATENT, 4096), false);
        fcLogVar = new Block(7, "fc_logvar", null, Kind.LINEAR, new Shape(LATENT, 4096), false);
        dfc1 = new Block(8, "dec.fc1", "dec.bn1", Kind.LINEAR, new Shape(4096, LATENT), true);
        dfc2 = new Block(9, "dec.fc2", "dec.bn2", Kind.LINEAR, new Shape(2304, 4096), true);
        deconv3 = new Block(10, "dec.deconv3", "dec.bn3", Kind.DECONV, new Shape(256, 192, 3, 3), true);
        deconv4 = new Block(11, "dec.deconv4", "dec.bn4", Kind.DECONV, new Shape(192, 128, 3, 3), true);
        deconv5 = new Block(12, "dec.deconv5", "dec.bn5", Kind.DECONV, new Shape(128, 96, 3, 3), true);
        deconv6 = new Block(13, "dec.deconv6", null, Kind.DECONV, new Shape(96, 3, 5, 5), false);
        blocks = List.of(conv1, conv2, conv3, conv4, fc5, fcMu, fcLogVar, dfc1, dfc2, deconv3, deconv4, deconv5, deconv6);
        for (Block b : blocks) {
            b.initialise(seed);
        }
    }

    // =====================================================================================
    // forward and training

    /**
     * What the encoder gives: batch-norm outputs of layers 1-5, the two pooling switches, mu, logvar
     * (the last four null when only the features were asked for).
     */
    private record Encoded(NDList features, NDArray switches1, NDArray switches3, NDArray mu, NDArray logVar) {}

    private Encoded encode(NDArray x, boolean training) {
        return encode(x, training, true);
    }

    private Encoded encode(NDArray x, boolean training, boolean full) {
        NDList features = new NDList();
        NDArray a1 = conv1.affine(x);
        NDArray p1 = Pool.maxPool2d(a1, POOL, POOL, NO_PADDING, false);
        NDArray h = conv1.norm(p1, training);
        features.add(h);
        h = conv2.norm(conv2.affine(h), training);
        features.add(h);
        NDArray a3 = conv3.affine(h);
        NDArray p3 = Pool.maxPool2d(a3, POOL, POOL, NO_PADDING, false);
        h = conv3.norm(p3, training);
        features.add(h);
        h = conv4.norm(conv4.affine(h), training);
        features.add(h);
        h = fc5.norm(fc5.affine(h.reshape(h.getShape().get(0), -1)), training);
        features.add(h);
        if (!full) {
            return new Encoded(features, null, null, null, null);
        }
        return new Encoded(features, switches(a1), switches(a3), fcMu.affine(h), fcLogVar.affine(h));
    }

    private NDArray decode(NDArray z, NDArray switches1, NDArray switches3, boolean training) {
        NDArray h = dfc1.norm(dfc1.affine(z), training);
        h = dfc2.norm(dfc2.affine(h), training).reshape(z.getShape().get(0), 256, 3, 3);
        h = unpool(deconv3.norm(deconv3.affine(h), training), switches3);
        h = deconv4.norm(deconv4.affine(h), training);
        h = unpool(deconv5.norm(deconv5.affine(h), training), switches1);
        return deconv6.affine(h);
    }

    /** {mse, kl, total} as scalars, differentiable. */
    private NDArray[] lossTerms(NDArray reconstruction, NDArray target, NDArray mu, NDArray logVar) {
        NDArray mse = reconstruction.sub(target).square().mean();
        NDArray kl = logVar.add(1f).sub(mu.square()).sub(logVar.exp()).sum(new int[] {1}).mul(-0.5f).mean();
        return new NDArray[] {mse, kl, mse.add(kl.mul(klWeight))};
    }

    /**
     * One SGD step on images [B, 3, 32, 32] (B >= 2: batch-norm needs batch statistics): training-mode
     * forward with fresh noise, loss, backward, momentum update of every parameter. Returns the loss
     * before the update.
     */
    public float trainStep(NDArray images) {
        checkImages(images);
        long b = images.getShape().get(0);
        if (b < 2) {
            throw new IllegalArgumentException("training needs at least 2 images per batch (batch-norm), got " + b);
        }
        NDManager caller = images.getManager();
        try (NDManager scope = caller.newSubManager()) {
            attachAll(scope, images);
            NDArray eps = scope.create(gaussians(seed, noiseDraws++, Math.toIntExact(b * LATENT)), new Shape(b, LATENT));
            NDArray[] terms;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                Encoded e = encode(images, true);
                NDArray z = e.mu().add(e.logVar().mul(0.5f).exp().mul(eps));
                terms = lossTerms(decode(z, e.switches1(), e.switches3(), true), images, e.mu(), e.logVar());
                collector.backward(terms[2]);
            }
            for (Block block : blocks) {
                for (int i = 0; i < block.parameters.size(); i++) {
                    sgd.step(block.parameters.get(i), block.velocities.get(i));
                }
            }
            steps++;
            lastStep = new Loss(terms[2].getFloat(), terms[0].getFloat(), terms[1].getFloat());
            return terms[2].getFloat();
        }
    }

    /** The loss terms of the last {@link #trainStep} (NaN before the first). */
    public Loss lastStepLoss() {
        return lastStep;
    }

    /** The loss of a batch in eval mode with z = mu (deterministic; no gradient, nothing moves). */
    public double loss(NDArray images) {
        return evaluate(images).total();
    }

    /** As {@link #loss}, with its two terms. */
    public Loss evaluate(NDArray images) {
        checkImages(images);
        try (NDManager scope = images.getManager().newSubManager()) {
            attachAll(scope, images);
            Encoded e = encode(images, false);
            NDArray[] t = lossTerms(decode(e.mu(), e.switches1(), e.switches3(), false), images, e.mu(), e.logVar());
            return new Loss(t[2].getFloat(), t[0].getFloat(), t[1].getFloat());
        }
    }

    /** decoder(mu) in eval mode, with the encoder's switches of the same images: [B, 3, 32, 32]. */
    public NDArray reconstruct(NDArray images) {
        checkImages(images);
        NDManager caller = images.getManager();
        try (NDManager scope = caller.newSubManager()) {
            attachAll(scope, images);
            Encoded e = encode(images, false);
            NDArray out = decode(e.mu(), e.switches1(), e.switches3(), false);
            out.attach(caller);
            return out;
        }
    }

    /**
     * Eval-mode batch-norm outputs of encoder layers 1-5, [B,96,14,14], [B,128,12,12], [B,192,5,5],
     * [B,256,3,3], [B,4096]: what {@code ProbeTraining.Features} takes.
     */
    public NDList features(NDArray images) {
        checkImages(images);
        NDManager caller = images.getManager();
        try (NDManager scope = caller.newSubManager()) {
            attachAll(scope, images);
            NDList result = new NDList();
            for (NDArray f : encode(images, false, false).features()) {
                f.attach(caller);
                result.add(f);
            }
            return result;
        }
    }

    // =====================================================================================
    // transposed convolution and max-unpooling

    /**
     * PyTorch's {@code conv_transpose2d(x, w, b)} with stride 1 and no padding, w [in, out, kh, kw]:
     * DJL's PyTorch engine does not implement deconvolution, so it is computed as what it equals, the
     * full convolution (padding kh-1, kw-1) with the kernel's in/out axes swapped and flipped in space.
     */
    static NDArray conv2dTranspose(NDArray x, NDArray w, NDArray b) {
        Shape k = w.getShape();
        NDArray kernel = w.transpose(1, 0, 2, 3).flip(2, 3);
        return Conv2d.conv2d(x, kernel, b, UNIT, new Shape(k.get(2) - 1, k.get(3) - 1), UNIT, 1).singletonOrThrow();
    }

    /**
     * The 2x2 max-pool switches of {@code pre} [B, C, H, W] (H, W even): 1 at the first maximum of
     * each window in row-major order (PyTorch's pooling index; {@code argMax} returns the first
     * maximum), else 0. No gradient. Same values as the first maximum of {@code pre == upsample(pooled)}.
     */
    static NDArray switches(NDArray pre) {
        Shape s = pre.getShape();
        long b = s.get(0), c = s.get(1), h = s.get(2) / 2, w = s.get(3) / 2;
        NDArray windows = pre.stopGradient().reshape(b, c, h, 2, w, 2).transpose(0, 1, 2, 4, 3, 5).reshape(b, c, h, w, 4);
        return windows.argMax(4).oneHot(4, DataType.FLOAT32).reshape(b, c, h, w, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(s);
    }

    /** Max-unpooling: y [B, C, h, w] placed at the switches [B, C, 2h, 2w], zero elsewhere (differentiable in y). */
    static NDArray unpool(NDArray y, NDArray switches) {
        return upsample(y).mul(switches);
    }

    /** Nearest-neighbour 2x upsampling of the last two axes. */
    private static NDArray upsample(NDArray y) {
        return y.repeat(2, 2).repeat(3, 2);
    }

    // =====================================================================================
    // noise

    /** {@code n} standard normal floats: Box-Muller on draw number {@code draw} of the seed's stream. */
    static float[] gaussians(long seed, long draw, int n) {
        SplittableRandom random = new SplittableRandom(mix64(mix64(seed ^ 0x5DEECE66DL) + draw));
        float[] out = new float[n];
        for (int i = 0; i < n; i += 2) {
            double radius = StrictMath.sqrt(-2 * StrictMath.log(1 - random.nextDouble())); // 1 - u is in (0, 1]
            double angle = 2 * StrictMath.PI * random.nextDouble();
            out[i] = (float) (radius * StrictMath.cos(angle));
            if (i + 1 < n) {
                out[i + 1] = (float) (radius * StrictMath.sin(angle));
            }
        }
        return out;
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser: well-mixed seeds for consecutive draws. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // =====================================================================================
    // settings

    /** Momentum of the plain-momentum SGD (reference: 0.9). */
    public void setMomentum(float momentum) {
        sgd = sgd.withMomentum(momentum);
    }

    /** Weight of the KL term in the loss (reference: 0.5). */
    public void setKlWeight(float weight) {
        if (!(weight >= 0) || Float.isInfinite(weight)) {
            throw new IllegalArgumentException("KL weight must be finite and >= 0, got " + weight);
        }
        klWeight = weight;
    }

    public void setLearningRate(float lr) {
        sgd.setLearningRate(lr);
    }

    public float learningRate() {
        return sgd.learningRate();
    }

    public long seed() {
        return seed;
    }

    /** Training steps done (counted across save and load). */
    public long steps() {
        return steps;
    }

    private void attachAll(NDManager scope, NDArray images) {
        images.tempAttach(scope);
        for (Block b : blocks) {
            for (NDArray a : b.allArrays()) {
                a.tempAttach(scope);
            }
        }
    }

    private static void checkImages(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || !s.slice(1).equals(IMAGE) || s.get(0) < 1) {
            throw new IllegalArgumentException("the VAE takes images [B, 3, 32, 32], got " + s);
        }
        if (images.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("images must be float32, got " + images.getDataType());
        }
    }

    // =====================================================================================
    // files

    /** Writes the whole training state to one {@code .npz} file, atomically. */
    public void save(Path file) {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("meta.version", NpyArray.of(new long[] {FORMAT_VERSION}, new long[] {1}));
        arrays.put("meta.seed", NpyArray.of(new long[] {seed}, new long[] {1}));
        arrays.put("meta.noise_draws", NpyArray.of(new long[] {noiseDraws}, new long[] {1}));
        arrays.put("meta.steps", NpyArray.of(new long[] {steps}, new long[] {1}));
        arrays.put("meta.learning_rate", NpyArray.of(new float[] {sgd.learningRate()}, new long[] {1}));
        for (Block b : blocks) {
            for (Map.Entry<String, NDArray> e : b.named().entrySet()) {
                arrays.put(e.getKey(), NpyArray.of(e.getValue()));
            }
        }
        NpzFile.write(file, arrays);
    }

    /**
     * Restores what {@link #save} wrote. A missing or misshapen array raises {@link InputError}
     * naming the file; nothing is changed then.
     */
    public void load(Path file) {
        Map<String, NpyArray> arrays = NpzFile.read(file);
        long version = NpzFile.longScalar(file, arrays, "meta.version", "VAE");
        if (version != FORMAT_VERSION) {
            throw new InputError(file + ": VAE file version " + version + ", expected " + FORMAT_VERSION);
        }
        List<Runnable> copies = new ArrayList<>();
        for (Block b : blocks) {
            for (Map.Entry<String, NDArray> e : b.named().entrySet()) {
                NpyArray a = arrays.get(e.getKey());
                NDArray target = e.getValue();
                if (a == null) {
                    throw new InputError(file + ": no array '" + e.getKey() + "' (not a VAE file?)");
                }
                if (a.dtype() != Npy.Dtype.FLOAT32 || !Arrays.equals(a.shape(), target.getShape().getShape())) {
                    throw new InputError(file + ": '" + e.getKey() + "' is " + a.dtype().descr() + " "
                            + Npy.shapeRepr(a.shape()) + ", the VAE needs <f4 " + Npy.shapeRepr(target.getShape().getShape()));
                }
                copies.add(() -> Djl.assign(target, a.toFloatArray()));
            }
        }
        long fileSeed = NpzFile.longScalar(file, arrays, "meta.seed", "VAE");
        long draws = NpzFile.longScalar(file, arrays, "meta.noise_draws", "VAE");
        long fileSteps = NpzFile.longScalar(file, arrays, "meta.steps", "VAE");
        float lr = NpzFile.floatScalar(file, arrays, "meta.learning_rate", "VAE");
        copies.forEach(Runnable::run);
        seed = fileSeed;
        noiseDraws = draws;
        steps = fileSteps;
        sgd.setLearningRate(lr);
    }

    // =====================================================================================
    // checks

    /** Whether every parameter, statistic and momentum buffer is finite. */
    public boolean parametersFinite() {
        return nonFiniteBlock().isEmpty();
    }

    /** The name of the first block (e.g. "dec.deconv4") with a NaN or infinite array, if any. */
    public Optional<String> nonFiniteBlock() {
        try (NDManager scope = manager.newSubManager()) {
            for (Block b : blocks) {
                for (NDArray a : b.allArrays()) {
                    a.tempAttach(scope);
                    if (a.isNaN().any().getBoolean() || a.isInfinite().any().getBoolean()) {
                        return Optional.of(b.name);
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        manager.close();
    }

    // =====================================================================================

    /** A conv, linear or transposed-conv map with bias, optional ReLU, optional batch-norm after it. */
    private final class Block {
        final int number;
        final String name;
        final String bnName;
        final Kind kind;
        final Shape weightShape;
        final boolean relu;
        final NDArray weight;
        final NDArray bias;
        final NDArray gamma;
        final NDArray beta;
        final NDArray runningMean;
        final NDArray runningVar;
        final List<NDArray> parameters = new ArrayList<>();
        final List<NDArray> velocities = new ArrayList<>();

        Block(int number, String name, String bnName, Kind kind, Shape weightShape, boolean relu) {
            this.number = number;
            this.name = name;
            this.bnName = bnName;
            this.kind = kind;
            this.weightShape = weightShape;
            this.relu = relu;
            long out = outputs();
            weight = manager.zeros(weightShape);
            bias = manager.zeros(new Shape(out));
            parameters.add(weight);
            parameters.add(bias);
            if (bnName != null) {
                gamma = manager.ones(new Shape(out));
                beta = manager.zeros(new Shape(out));
                runningMean = manager.zeros(new Shape(out));
                runningVar = manager.ones(new Shape(out));
                parameters.add(gamma);
                parameters.add(beta);
            } else {
                gamma = beta = runningMean = runningVar = null;
            }
            for (NDArray p : parameters) {
                velocities.add(manager.zeros(p.getShape()));
                p.setRequiresGradient(true);
            }
        }

        /** Output channels: axis 1 of a transposed conv's [in, out, kh, kw] weight, else axis 0. */
        long outputs() {
            return weightShape.get(kind == Kind.DECONV ? 1 : 0);
        }

        void initialise(long modelSeed) {
            SplittableRandom random = new SplittableRandom(BackpropNetwork.layerSeed(modelSeed, number));
            // PyTorch's fan_in is size / axis 0 for every layout: in*kh*kw, inputs, or out*kh*kw for [in, out, kh, kw]
            long fanIn = weightShape.size() / weightShape.get(0);
            float bound = (float) (1.0 / Math.sqrt(fanIn));
            Djl.assign(weight, UniformInit.draw(random, weightShape.size(), bound));
            Djl.assign(bias, UniformInit.draw(random, outputs(), bound));
            if (gamma != null) {
                float[] ones = new float[(int) outputs()];
                Arrays.fill(ones, 1f);
                Djl.assign(gamma, ones);
                Djl.assign(beta, new float[ones.length]);
                Djl.assign(runningMean, new float[ones.length]);
                Djl.assign(runningVar, ones);
            }
            for (NDArray v : velocities) {
                Djl.assign(v, new float[(int) v.getShape().size()]);
            }
        }

        /** The map with its bias, then the ReLU if the block has one. */
        NDArray affine(NDArray h) {
            NDArray y = switch (kind) {
                case CONV -> Conv2d.conv2d(h, weight, bias, UNIT, NO_PADDING, UNIT, 1).singletonOrThrow();
                case LINEAR -> Linear.linear(h, weight, bias).singletonOrThrow();
                case DECONV -> conv2dTranspose(h, weight, bias);
            };
            return relu ? Activation.relu(y) : y;
        }

        /** PyTorch batch-norm (DJL's functional form takes MXNet's momentum convention, hence 1 - 0.1). */
        NDArray norm(NDArray y, boolean training) {
            return BatchNorm.batchNorm(y, runningMean, runningVar, gamma, beta, 1, 1f - BackpropNetwork.BN_MOMENTUM,
                    BackpropNetwork.BN_EPS, training).singletonOrThrow();
        }

        List<NDArray> allArrays() {
            List<NDArray> all = new ArrayList<>(parameters);
            if (runningMean != null) {
                all.add(runningMean);
                all.add(runningVar);
            }
            all.addAll(velocities);
            return all;
        }

        /** Every array under its state_dict name, momentum buffers as momentum.NAME. */
        Map<String, NDArray> named() {
            Map<String, NDArray> m = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(List.of(name + ".weight", name + ".bias"));
            if (gamma != null) {
                names.add(bnName + ".weight");
                names.add(bnName + ".bias");
            }
            for (int i = 0; i < names.size(); i++) {
                m.put(names.get(i), parameters.get(i));
            }
            if (runningMean != null) {
                m.put(bnName + ".running_mean", runningMean);
                m.put(bnName + ".running_var", runningVar);
            }
            for (int i = 0; i < names.size(); i++) {
                m.put("momentum." + names.get(i), velocities.get(i));
            }
            return m;
        }
    }
}
