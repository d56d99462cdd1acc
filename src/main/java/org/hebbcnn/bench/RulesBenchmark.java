package org.hebbcnn.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.layers.LayerOps;
import org.hebbcnn.tensors.PatchOps;
import org.hebbcnn.architecture.LayerPlan;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.rules.PlasticityRule;

/**
 * Times, for each layer of the try-out network and each rule, the forward pass alone against the
 * forward pass plus the plasticity update (median of several runs after warm-up).
 */
public final class RulesBenchmark {

    /**
     * One measured cell. ratio = updateMs / forwardMs. correlateMs: the update's weight-gradient term
     * sum_patches y x^T alone ({@link PatchOps#correlate}, the same for every rule), which with the
     * forward bounds the ratio from below.
     */
    public record Result(String layer, String rule, double forwardMs, double updateMs, double ratio, double correlateMs) {}

    private final int batch;
    private final int warmup;
    private final int repeats;

    public RulesBenchmark(int batch, int warmup, int repeats) {
        this.batch = batch;
        this.warmup = warmup;
        this.repeats = repeats;
    }

    public Result measure(NDManager manager, LayerPlan shape, Supplier<PlasticityRule> ruleFactory) {
        try (NDManager m = manager.newSubManager()) {
            PlasticityRule rule = ruleFactory.get();
            Shape in = new Shape(shape.input());
            NDArray x = m.randomNormal(new Shape(batch, in.get(0), in.get(1), in.get(2))).maximum(0f);
            int outputs = (int) shape.kernel()[0];
            NDArray teacher = m.randomInteger(0, outputs, new Shape(batch), DataType.INT64).oneHot(outputs)
                    .toType(DataType.FLOAT32, false);
            // The layer as the network builds it: the spec's padding and activation are in both timings.
            try (HebbianLayer layer = new HebbianLayer(m, shape, rule, 42)) {
                double forward = medianMs(() -> layer.forward(x).close());
                // A tiny rate keeps the weights where they are over the repeats.
                double update = medianMs(() -> layer.train(x, teacher, 1e-9f).close());
                NDArray xp = LayerOps.pad(x, shape.spec());
                NDArray y = m.randomNormal(new Shape(batch, shape.convOut()[0], shape.convOut()[1], shape.convOut()[2]));
                Shape kernel = new Shape(shape.kernel());
                double correlate = medianMs(() -> PatchOps.correlate(xp, y, kernel).close());
                return new Result(describe(shape), rule.name(), forward, update, update / forward, correlate);
            }
        }
    }

    public List<Result> run(NDManager manager, List<LayerPlan> layers, List<Supplier<PlasticityRule>> rules,
            Runnable onEach) {
        List<Result> results = new ArrayList<>();
        for (LayerPlan layer : layers) {
            for (Supplier<PlasticityRule> rule : rules) {
                results.add(measure(manager, layer, rule));
                onEach.run();
            }
        }
        return results;
    }

    private double medianMs(Runnable op) {
        for (int i = 0; i < warmup; i++) {
            op.run();
        }
        double[] times = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            op.run();
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return repeats % 2 == 1 ? times[repeats / 2] : (times[repeats / 2 - 1] + times[repeats / 2]) / 2;
    }

    /** The layers of a network spec for 3x32x32 images and 10 classes. */
    public static List<LayerPlan> layers(NetworkSpec spec) {
        return spec.plan(new long[] {3, 32, 32}, 10).layers();
    }

    /** "2 (96 -> 128, 3x3, 14x14)" or "5 (fc 2304 -> 4096)". */
    static String describe(LayerPlan p) {
        long[] k = p.kernel();
        long[] in = p.input();
        return p.dense() ? String.format("%d (fc %d -> %d)", p.number(), in[0] * in[1] * in[2], k[0])
                : String.format("%d (%d -> %d, %dx%d, %dx%d)", p.number(), k[1], k[0], k[2], k[3], in[1], in[2]);
    }
}
