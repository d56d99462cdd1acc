package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.hebbcnn.architecture.LayerPlan;
import org.hebbcnn.architecture.LayerSpec;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.architecture.PoolSpec;
import org.hebbcnn.nn.Module;
import org.hebbcnn.nn.ModuleFile;
import org.hebbcnn.nn.NesterovSgd;
import org.hebbcnn.tensors.Convolution;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.NpyArray;

/**
 * The paper's VAE baseline (reference notes, "VAE baseline") for a {@link NetworkPlan}: an encoder
 * that is exactly {@link BackpropNetwork}'s layers 1..depth-1 of the plan (its {@link BackpropLayer}s,
 * without dropout), two linear heads to 256 means and log-variances, and a decoder mirrored from the
 * encoder's spec, with max-unpooling at each pooling point. For the {@code tryout} spec:
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
 * <b>The mirror.</b> Decoder block 1 ({@code dec.fc1}) maps the latent to the encoder's top output
 * (reshaped when that is a map); block k = 2..depth mirrors encoder layer m = depth + 1 - k, mapping
 * its (unpooled) output back to its input: a dense layer by a Linear map to the flattened input size
 * ({@code dec.fc<k>}, reshaped when the layer below is a map or the image), a conv layer by a
 * transposed convolution with the layer's kernel and padding ({@code dec.deconv<k>}). Each block but
 * the last has ReLU and batch-norm ({@code dec.bn<k>}); a block whose output is a pooled encoder
 * layer's output is max-unpooled with that layer's switches ({@link MaxUnpool}). The decoder is the
 * same whatever the encoder's activation and norm; so a triangle activation or a norm before mirror
 * as any other. What it cannot invert is refused when the VAE is built ({@link InputError} naming the
 * layer and key): a stride above 1, padding not below the kernel, average pooling and pooling whose
 * windows do not tile the map. Encoder dropout is not applied: the reference's VAE has none.
 *
 * <p>Transposed convolutions have stride 1 and a bias; their weights are stored in PyTorch's
 * {@code ConvTranspose2d} layout [in, out, kh, kw] ({@link #conv2dTranspose} says how they run
 * without DJL's deconvolution, which its PyTorch engine lacks). Batch-norm of the decoder is
 * PyTorch's (trainable affine, momentum 0.1, eps 1e-5, unbiased running variance). Choices the notes
 * leave open: the decoder block order is transposed conv -> ReLU -> batch-norm -> unpool (the
 * encoder's order reversed would put the unpooling first; this way the positions unpooling leaves
 * empty are exactly 0 in the next layer's input), and the heads and the last block have no
 * activation and no batch-norm.
 *
 * <p><b>Loss</b> = mean squared error over all elements + 0.5 * KL, KL = batch mean of
 * sum over latents of -0.5 (1 + logvar - mu^2 - exp(logvar)). Training uses z = mu + exp(logvar/2)
 * eps; {@link #loss}, {@link #reconstruct} and {@link #features} run in eval mode with z = mu, so
 * they are deterministic. Optimiser: {@link NesterovSgd} in plain-momentum mode (PyTorch's
 * {@code SGD(lr=1e-3, momentum=0.9)}), no weight decay, on every parameter.
 *
 * <p><b>Initialisation</b> as PyTorch's defaults from {@link SplittableRandom} (never the engine's
 * generator). With E = depth - 1 encoder layers, layer n uses the stream {@code seed * 31 + n}, n =
 * 1..E for the encoder (the same streams as {@link BackpropNetwork}, so the encoder starts as the
 * backprop twin of the same seed), E+1 and E+2 for the heads, E+2+k for decoder block k (tryout:
 * 1..5, 6-7, 8..13).
 *
 * <p><b>Noise</b>: the eps of training step n is Box-Muller on draw number n of a seeded
 * {@link SplittableRandom} stream (StrictMath, so it is the same on every JVM); the draw counter is
 * saved, so training resumed from a file draws what the uninterrupted run would have drawn.
 *
 * <p><b>Files</b> ({@link #save}, {@link #load}): one {@code .npz} ({@link ModuleFile}) with every
 * parameter (PyTorch state_dict style names: conv1.weight, bn1.running_var, fc_mu.bias,
 * dec.deconv3.weight, ...), every momentum buffer ({@code momentum.<name>}) and {@code meta.*}
 * (version, seed, noise draws, steps, learning rate). Training continued after {@code load} is
 * bit-identical.
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

    private static final Shape UNIT = new Shape(1, 1);

    /** The loss of a batch and its two terms (the total is mse + 0.5 kl). */
    public record Loss(double total, double mse, double kl) {}

    private final NDManager manager;
    private final NetworkPlan plan;
    private final Shape image;
    private final List<BackpropLayer> encoder = new ArrayList<>();
    private final VaeBlock fcMu;
    private final VaeBlock fcLogVar;
    private final List<VaeBlock> decoder = new ArrayList<>();
    /** Encoder, heads, decoder: the order of the file and of the finiteness check. */
    private final List<Module> modules = new ArrayList<>();
    private NesterovSgd sgd = new NesterovSgd(LEARNING_RATE, MOMENTUM, 0f, false);
    private float klWeight = KL_WEIGHT;
    private long seed;
    private long noiseDraws;
    private long steps;
    private Loss lastStep = new Loss(Double.NaN, Double.NaN, Double.NaN);

    /**
     * A fresh VAE on {@code plan}'s layers 1..depth-1; {@code seed} fixes the initial weights and the
     * reparameterisation noise. A plan its decoder cannot mirror raises {@link InputError}.
     */
    public Vae(NDManager parent, NetworkPlan plan, long seed) {
        checkMirrorable(plan);
        this.plan = plan;
        this.image = new Shape(plan.input());
        this.seed = seed;
        this.manager = parent.newSubManager();
        int e = plan.depth() - 1;
        for (int l = 1; l <= e; l++) {
            BackpropLayer layer = new BackpropLayer(manager, plan.layer(l));
            encoder.add(layer);
            modules.add(layer.module);
        }
        long top = plan.features(e);
        fcMu = new VaeBlock(manager, e + 1, "fc_mu", null, new Shape(LATENT, top), 0);
        fcLogVar = new VaeBlock(manager, e + 2, "fc_logvar", null, new Shape(LATENT, top), 0);
        modules.add(fcMu.module());
        modules.add(fcLogVar.module());
        VaeBlock first = new VaeBlock(manager, e + 3, "dec.fc1", "dec.bn1", new Shape(top, LATENT), 0);
        decoder.add(rebuilds(first, e));
        for (int k = 2; k <= e + 1; k++) {
            LayerPlan m = plan.layer(e + 2 - k);
            long[] in = m.input();
            boolean last = k == e + 1;
            String bn = last ? null : "dec.bn" + k;
            VaeBlock block = m.spec().isConv()
                    ? new VaeBlock(manager, e + 2 + k, "dec.deconv" + k, bn, new Shape(m.kernel()), m.spec().padding())
                    : new VaeBlock(manager, e + 2 + k, "dec.fc" + k, bn, new Shape(in[0] * in[1] * in[2], m.output()[0]), 0);
            decoder.add(rebuilds(block, m.number() - 1));
        }
        decoder.forEach(b -> modules.add(b.module()));
        for (BackpropLayer layer : encoder) {
            layer.initialise(seed);
        }
        fcMu.initialise(seed);
        fcLogVar.initialise(seed);
        decoder.forEach(b -> b.initialise(seed));
    }

    /**
     * Sets up {@code block} to rebuild the output of encoder layer {@code layer} (0: the image): a
     * Linear block's output reshaped when that is a map, unpooled when the layer pools.
     */
    private VaeBlock rebuilds(VaeBlock block, int layer) {
        boolean map = layer == 0 || plan.layer(layer).spec().isConv();
        long[] shape = layer == 0 ? plan.input() : plan.layer(layer).output();
        if (map && !block.isDeconv()) {
            block.reshapeTo(shape);
        }
        if (layer > 0 && plan.layer(layer).spec().pool() != null) {
            LayerPlan p = plan.layer(layer);
            block.unpoolTo(layer, p.spec().pool().size(), p.convOut());
        }
        return block;
    }

    /** Refuses what the mirrored decoder cannot invert, naming the layer and the key. */
    static void checkMirrorable(NetworkPlan plan) {
        for (int l = 1; l < plan.depth(); l++) {
            LayerSpec s = plan.layer(l).spec();
            String where = "network " + plan.spec().name() + ": layer " + l + ": ";
            String why = " (the VAE's decoder mirrors the encoder; it cannot invert this)";
            if (s.stride() > 1) {
                throw new InputError(where + "'stride' " + s.stride() + ": the decoder's transposed convolutions have stride 1"
                        + why);
            }
            if (s.isConv() && s.padding() >= s.kernel()) {
                throw new InputError(where + "'padding' " + s.padding() + " is not below the kernel " + s.kernel() + why);
            }
            PoolSpec p = s.pool();
            if (p != null && !p.type().equals("max")) {
                throw new InputError(where + "'pool.type' " + p.type() + ": max-unpooling needs max pooling" + why);
            }
            if (p != null && !p.tiles()) {
                throw new InputError(where + "'pool' size " + p.size() + ", stride " + p.stride() + ", padding "
                        + p.padding() + ": max-unpooling needs windows that tile the map (stride = size, padding 0)" + why);
            }
        }
    }

    // =====================================================================================
    // forward and training

    /**
     * What the encoder gives: outputs of layers 1..depth-1, the switches of each pooling layer (null
     * elsewhere), mu, logvar (the last three null when only the features were asked for).
     */
    private record Encoded(NDList features, NDArray[] switches, NDArray mu, NDArray logVar) {}

    private Encoded encode(NDArray x, boolean training) {
        return encode(x, training, true);
    }

    private Encoded encode(NDArray x, boolean training, boolean full) {
        NDList features = new NDList();
        NDArray[] switches = new NDArray[encoder.size()];
        NDArray[] prePool = new NDArray[1];
        NDArray h = x;
        for (BackpropLayer layer : encoder) {
            h = layer.forward(h, training, prePool);
            features.add(h);
            PoolSpec p = layer.spec.pool();
            if (full && p != null) {
                switches[layer.number() - 1] = MaxUnpool.switches(prePool[0], p.size());
            }
        }
        if (!full) {
            return new Encoded(features, null, null, null);
        }
        return new Encoded(features, switches, fcMu.forward(h, training, null), fcLogVar.forward(h, training, null));
    }

    private NDArray decode(NDArray z, NDArray[] switches, boolean training) {
        NDArray h = z;
        for (VaeBlock block : decoder) {
            h = block.forward(h, training, switches);
        }
        return h;
    }

    /** {mse, kl, total} as scalars, differentiable. */
    private NDArray[] lossTerms(NDArray reconstruction, NDArray target, NDArray mu, NDArray logVar) {
        NDArray mse = reconstruction.sub(target).square().mean();
        NDArray kl = logVar.add(1f).sub(mu.square()).sub(logVar.exp()).sum(new int[] {1}).mul(-0.5f).mean();
        return new NDArray[] {mse, kl, mse.add(kl.mul(klWeight))};
    }

    /**
     * One SGD step on images [B, C, H, W] (B >= 2: batch-norm needs batch statistics): training-mode
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
                terms = lossTerms(decode(z, e.switches(), true), images, e.mu(), e.logVar());
                collector.backward(terms[2]);
            }
            for (Module m : modules) {
                m.step(sgd);
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
            NDArray[] t = lossTerms(decode(e.mu(), e.switches(), false), images, e.mu(), e.logVar());
            return new Loss(t[2].getFloat(), t[0].getFloat(), t[1].getFloat());
        }
    }

    /** decoder(mu) in eval mode, with the encoder's switches of the same images: the images' shape. */
    public NDArray reconstruct(NDArray images) {
        checkImages(images);
        NDManager caller = images.getManager();
        try (NDManager scope = caller.newSubManager()) {
            attachAll(scope, images);
            Encoded e = encode(images, false);
            NDArray out = decode(e.mu(), e.switches(), false);
            out.attach(caller);
            return out;
        }
    }

    /**
     * Eval-mode outputs of the depth-1 encoder layers (tryout: [B,96,14,14], [B,128,12,12],
     * [B,192,5,5], [B,256,3,3], [B,4096]): what {@code ProbeTraining.Features} takes.
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
    // transposed convolution

    /** {@link #conv2dTranspose(NDArray, NDArray, NDArray, int)} without padding. */
    static NDArray conv2dTranspose(NDArray x, NDArray w, NDArray b) {
        return conv2dTranspose(x, w, b, 0);
    }

    /**
     * PyTorch's {@code conv_transpose2d(x, w, b, padding=p)} with stride 1, w [in, out, kh, kw] (p
     * below kh and kw): DJL's PyTorch engine does not implement deconvolution, so it is computed as
     * what it equals, the convolution with padding kh-1-p, kw-1-p and the kernel's in/out axes
     * swapped and flipped in space ({@link Convolution#conv2d}: the last block's few output channels,
     * the image's, are where the native input-gradient bug struck).
     */
    static NDArray conv2dTranspose(NDArray x, NDArray w, NDArray b, int p) {
        Shape k = w.getShape();
        NDArray kernel = w.transpose(1, 0, 2, 3).flip(2, 3);
        return Convolution.conv2d(x, kernel, b, UNIT, new Shape(k.get(2) - 1 - p, k.get(3) - 1 - p));
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

    /** Layers, classifier included, of the plan whose layers 1..depth-1 are the encoder. */
    public int depth() {
        return plan.depth();
    }

    public NetworkPlan plan() {
        return plan;
    }

    private void attachAll(NDManager scope, NDArray images) {
        images.tempAttach(scope);
        for (Module m : modules) {
            m.attach(scope);
        }
    }

    private void checkImages(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || !s.slice(1).equals(image) || s.get(0) < 1) {
            throw new IllegalArgumentException("the VAE takes images [B, " + image.toString().replaceAll("[()]", "")
                    + "], got " + s);
        }
        if (images.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("images must be float32, got " + images.getDataType());
        }
    }

    // =====================================================================================
    // files

    /** Writes the whole training state to one {@code .npz} file, atomically. */
    public void save(Path file) {
        Map<String, NpyArray> meta = new LinkedHashMap<>();
        meta.put("meta.version", ModuleFile.scalar(FORMAT_VERSION));
        meta.put("meta.seed", ModuleFile.scalar(seed));
        meta.put("meta.noise_draws", ModuleFile.scalar(noiseDraws));
        meta.put("meta.steps", ModuleFile.scalar(steps));
        meta.put("meta.learning_rate", ModuleFile.scalar(sgd.learningRate()));
        ModuleFile.write(file, meta, modules);
    }

    /**
     * Restores what {@link #save} wrote. A missing or misshapen array raises {@link InputError}
     * naming the file; nothing is changed then.
     */
    public void load(Path file) {
        ModuleFile in = ModuleFile.read(file, "VAE");
        in.checkVersion(FORMAT_VERSION);
        Runnable restore = in.restorer(modules);
        long fileSeed = in.longScalar("meta.seed");
        long draws = in.longScalar("meta.noise_draws");
        long fileSteps = in.longScalar("meta.steps");
        float lr = in.floatScalar("meta.learning_rate");
        restore.run();
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

    /** The name of the first block (e.g. "conv3", "fc_mu", "dec.deconv4") with a NaN or infinite array, if any. */
    public Optional<String> nonFiniteBlock() {
        return modules.stream().filter(m -> !m.finite()).findFirst().map(Module::name);
    }

    @Override
    public void close() {
        manager.close();
    }
}
