package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.hebbcnn.layers.HebbianLayer;
import org.hebbcnn.rules.SlowRules.Form;
import org.hebbcnn.rules.SlowRules.Patches;
import org.hebbcnn.tensors.PatchOps;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fast (whole-batch tensor) rule against its slow twin ({@link SlowRules}): explicit patches,
 * per-patch loops, double accumulation. Small random inputs in a conv shape and a fully connected
 * shape; strict 1e-5 relative agreement.
 */
class SlowTwinTest {
    static final double TOL = 1e-5;

    /** A layer geometry: x [b, c, h, w], W [o, c, kh, kw]. */
    record Geometry(String name, int b, int c, int h, int w, int o, int kh, int kw) {
        int fanIn() {
            return c * kh * kw;
        }

        Geometry withOutputs(int outputs) {
            return new Geometry(name, b, c, h, w, outputs, kh, kw);
        }
    }

    static final Geometry CONV = new Geometry("conv", 3, 2, 7, 7, 5, 3, 3);
    static final Geometry DENSE = new Geometry("dense", 12, 2, 4, 4, 5, 4, 4);
    static final Geometry[] SHAPES = {CONV, DENSE};

    /** How inputs and weights are drawn. */
    enum Data {
        /** x in [-1, 1], W in +-1/sqrt(fan_in): the generic case. */
        SYMMETRIC,
        /** x in [0, 1]; neuron 0 points away from every input (a ReLU unit that never fires). */
        WITH_DEAD_UNIT,
        /** x in [0, 1], W in [0, 1/sqrt(fan_in)]: every neuron has positive total activity. */
        POSITIVE
    }

    static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Djl.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** One batch: the tensors for the fast rule and the arrays for the slow one. */
    static final class Batch {
        final Geometry g;
        final float[] xData;
        final float[] wData;
        final NDArray x;
        final NDArray w;
        final Patches patches;
        final double[][] wRows;

        Batch(NDManager m, Geometry g, Data data, long seed) {
            this.g = g;
            SplittableRandom r = new SplittableRandom(seed);
            double bound = 1 / Math.sqrt(g.fanIn());
            int xSize = g.b() * g.c() * g.h() * g.w();
            int wSize = g.o() * g.fanIn();
            switch (data) {
                case SYMMETRIC:
                    xData = SlowRules.uniform(r, xSize, -1, 1);
                    wData = SlowRules.uniform(r, wSize, -bound, bound);
                    break;
                case WITH_DEAD_UNIT:
                    xData = SlowRules.uniform(r, xSize, 0, 1);
                    wData = SlowRules.uniform(r, wSize, -0.3 * bound, bound);
                    for (int d = 0; d < g.fanIn(); d++) {
                        wData[d] = -Math.abs(wData[d]) - 0.01f;
                    }
                    break;
                default:
                    xData = SlowRules.uniform(r, xSize, 0, 1);
                    wData = SlowRules.uniform(r, wSize, 0, bound);
            }
            x = m.create(xData, new Shape(g.b(), g.c(), g.h(), g.w()));
            w = m.create(wData, new Shape(g.o(), g.c(), g.kh(), g.kw()));
            patches = SlowRules.patches(xData, g.b(), g.c(), g.h(), g.w(), g.kh(), g.kw());
            wRows = SlowRules.weightRows(wData, g.o());
        }

        RuleInput input(NDArray teacher) {
            return new RuleInput(x, w, PatchOps.conv(x, w), teacher);
        }

        RuleInput input() {
            return input(null);
        }
    }

    static Batch batch(NDManager m, Geometry g, Data data, long seed) {
        return new Batch(m, g, data, seed);
    }

    // ---------------------------------------------------------------- HPCA / Sanger

    @Test
    void hpcaAndSangerMatchPerPatchSanger() {
        for (Geometry g : SHAPES) {
            for (Activation act : Activation.values()) {
                try (NDManager m = manager.newSubManager()) {
                    Batch b = batch(m, g, Data.SYMMETRIC, 11);
                    double[][] slow = SlowRules.sanger(b.patches, b.wRows, act == Activation.RELU);
                    SlowRules.assertMatches("sanger " + act + " " + g.name(),
                            new Hpca(act).weightChange(b.input()), slow, TOL);
                }
            }
        }
    }

    @Test
    void hpcaThroughTheLayerMatchesTheTwin() {
        for (Geometry g : SHAPES) {
            try (NDManager m = manager.newSubManager();
                    HebbianLayer layer = new HebbianLayer(m, new Shape(g.o(), g.c(), g.kh(), g.kw()), new Hpca(), 7)) {
                Batch b = batch(m, g, Data.SYMMETRIC, 12);
                float[] w0 = layer.weights().toFloatArray();
                double[][] slow = SlowRules.sanger(b.patches, SlowRules.weightRows(w0, g.o()), true);
                SlowRules.assertMatches("layer hpca " + g.name(), layer.weightChange(b.x, null), slow, TOL);
            }
        }
    }

    /**
     * A dense layer with many neurons and few samples takes the blocked formulation (block 128,
     * here 3 blocks: 128 + 128 + 44): it must still be exactly Sanger.
     */
    @Test
    void hpcaBlockedDenseFormulationMatchesTheTwin() {
        Geometry g = new Geometry("dense300", 4, 2, 5, 5, 300, 5, 5);
        long n = g.b();
        long k = g.fanIn();
        long o = g.o();
        // The condition under which UpdateForm.sangerSum takes the blocked path (recomputed here, so
        // this test notices if the geometry stops exercising it).
        double direct = (double) o * o * (n + k);
        double blocked = 2.0 * n * o * k + (double) o * UpdateForm.SANGER_BLOCK * (n + k);
        assertTrue(o > UpdateForm.SANGER_BLOCK && blocked < direct, "geometry must select the blocked path");
        for (Activation act : Activation.values()) {
            try (NDManager m = manager.newSubManager()) {
                Batch b = batch(m, g, Data.SYMMETRIC, 13);
                assertTrue(PatchOps.isFullyConnected(b.x, b.w));
                double[][] slow = SlowRules.sanger(b.patches, b.wRows, act == Activation.RELU);
                SlowRules.assertMatches("blocked sanger " + act, new Hpca(act).weightChange(b.input()), slow, TOL);
                // And the blocked kernel called on its own, without the aggregation (sum, not mean).
                NDArray y = act.apply(PatchOps.conv(b.x, b.w));
                NDArray sum = UpdateForm.sangerBlocked(b.x.reshape(n, k), PatchOps.rows(y), b.w.reshape(o, k));
                SlowRules.assertMatches("sangerBlocked " + act, sum, SlowRules.scale(slow, n), TOL);
            }
        }
        // Same layer size with a larger batch (N > cost break-even) goes the direct way: also Sanger.
        Geometry big = new Geometry("dense300-direct", 200, 2, 10, 10, 300, 10, 10);
        double direct2 = (double) big.o() * big.o() * (big.b() + big.fanIn());
        double blocked2 = 2.0 * big.b() * big.o() * big.fanIn() + (double) big.o() * UpdateForm.SANGER_BLOCK * (big.b() + big.fanIn());
        assertTrue(blocked2 >= direct2, "geometry must select the direct path");
        try (NDManager m = manager.newSubManager()) {
            Batch b = batch(m, big, Data.SYMMETRIC, 14);
            SlowRules.assertMatches("direct sanger dense300", new Hpca().weightChange(b.input()),
                    SlowRules.sanger(b.patches, b.wRows, true), TOL);
        }
    }

    // ---------------------------------------------------------------- HWTA (k-WTA)

    @Test
    void kWtaMatchesTheTwinForEveryOption() {
        for (Geometry g : SHAPES) {
            for (int k = 1; k <= 3; k++) {
                for (boolean scoreWeighted : new boolean[] {false, true}) {
                    for (Aggregation agg : Aggregation.values()) {
                        try (NDManager m = manager.newSubManager()) {
                            Batch b = batch(m, g, Data.SYMMETRIC, 21);
                            String what = "hwta k=" + k + " score=" + scoreWeighted + " " + agg + " " + g.name();
                            assertTrue(SlowRules.winnerMargin(SlowRules.cosines(b.patches, b.wRows), k) > 1e-5,
                                    what + ": data has a near-tie for the last winner; pick another seed");
                            double[][] slow = SlowRules.kWta(b.patches, b.wRows, k, scoreWeighted, agg == Aggregation.MEAN);
                            NDArray fast = new Hwta(k, scoreWeighted, agg).weightChange(b.input());
                            SlowRules.assertMatches(what, fast, slow, TOL);
                        }
                    }
                }
            }
        }
    }

    /** A neuron that wins nothing is left exactly unchanged (not moved towards anything). */
    @Test
    void hwtaLeavesLosersUnchanged() {
        try (NDManager m = manager.newSubManager()) {
            // Neuron 0 points away from every (non-negative) input: it never wins.
            Batch b = batch(m, CONV, Data.WITH_DEAD_UNIT, 22);
            int[] winners = SlowRules.winners(b.patches, b.wRows);
            boolean[] won = new boolean[CONV.o()];
            for (int c : winners) {
                won[c] = true;
            }
            int losers = 0;
            for (boolean v : won) {
                losers += v ? 0 : 1;
            }
            assertTrue(losers > 0 && losers < CONV.o(), "seed must leave some neuron without wins (losers=" + losers + ")");
            float[] dw = new Hwta().weightChange(b.input()).toFloatArray();
            int k = CONV.fanIn();
            for (int i = 0; i < CONV.o(); i++) {
                double rowNorm = 0;
                for (int d = 0; d < k; d++) {
                    rowNorm += Math.abs(dw[i * k + d]);
                }
                if (won[i]) {
                    assertTrue(rowNorm > 0, "winner " + i + " must move");
                } else {
                    assertEquals(0.0, rowNorm, 0.0, "loser " + i + " must not move");
                }
            }
        }
    }

    // ---------------------------------------------------------------- SOM

    @Test
    void somMatchesTheTwin() {
        int[][] maps = {{2, 3}, {3, 2}, {1, 6}};
        for (Geometry g0 : SHAPES) {
            Geometry g = g0.withOutputs(6);
            for (int[] map : maps) {
                for (double progress : new double[] {0, 0.4, 1}) {
                    try (NDManager m = manager.newSubManager()) {
                        Batch b = batch(m, g, Data.SYMMETRIC, 31);
                        Som som = new Som(map[0], map[1], 1.5, 0.4);
                        som.setProgress(progress);
                        String what = "som " + map[0] + "x" + map[1] + " t=" + progress + " " + g.name();
                        assertTrue(SlowRules.winnerMargin(SlowRules.cosines(b.patches, b.wRows), 1) > 1e-5, what + ": near-tie");
                        double[][] slow = SlowRules.som(b.patches, b.wRows, map[0], map[1], som.sigma());
                        SlowRules.assertMatches(what, som.weightChange(b.input()), slow, TOL);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- SHC

    @Test
    void shcMatchesTheTwin() {
        for (Geometry g : SHAPES) {
            try (NDManager m = manager.newSubManager()) {
                Batch b = batch(m, g, Data.SYMMETRIC, 41);
                // Labels from classes 0..O-3: the last two classes are absent and must stay put.
                SplittableRandom r = new SplittableRandom(42);
                int[] labels = new int[g.b()];
                long[] labelsLong = new long[g.b()];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = i < g.o() - 2 ? i : r.nextInt(g.o() - 2);
                    labelsLong[i] = labels[i];
                }
                NDArray teacher = m.create(labelsLong).oneHot(g.o());
                double[][] slow = SlowRules.shc(b.patches, b.wRows, labels);
                SlowRules.assertMatches("shc " + g.name(), new Shc().weightChange(b.input(teacher)), slow, TOL);
            }
        }
    }

    // ---------------------------------------------------------------- Hebb, instar, Oja

    static ActivityRule miconiRule(Form form, Activation act, Aggregation agg) {
        switch (form) {
            case HEBB:
                return new PlainHebb(act, agg);
            case INSTAR:
                return new Instar(act, agg);
            default:
                return new Oja(act, agg);
        }
    }

    @Test
    void hebbInstarOjaMatchTheTwin() {
        for (Geometry g : SHAPES) {
            for (Form form : Form.values()) {
                for (Activation act : Activation.values()) {
                    for (Aggregation agg : Aggregation.values()) {
                        boolean weighted = agg == Aggregation.ACTIVITY_WEIGHTED;
                        // Activity-weighted means are for non-negative activities: with ReLU, test it on
                        // data with a dead unit (its update must be exactly 0); linear on positive data.
                        Data data = !weighted ? Data.SYMMETRIC : act == Activation.RELU ? Data.WITH_DEAD_UNIT : Data.POSITIVE;
                        try (NDManager m = manager.newSubManager()) {
                            Batch b = batch(m, g, data, 51);
                            double[][] slow = SlowRules.miconi(form, b.patches, b.wRows, act == Activation.RELU, weighted);
                            String what = form + " " + act + " " + agg + " " + g.name() + " " + data;
                            SlowRules.assertMatches(what, miconiRule(form, act, agg).weightChange(b.input()), slow, TOL);
                            if (data == Data.WITH_DEAD_UNIT) {
                                for (int d = 0; d < g.fanIn(); d++) {
                                    assertEquals(0.0, slow[0][d], 0.0, "twin: dead unit has no update");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- the layer's training step

    /** Slow pre-activation s [N][O] and weight norms for a layer's current weights. */
    static double[] weightNorms(double[][] w) {
        double[] norms = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            norms[i] = SlowRules.norm(w[i]);
        }
        return norms;
    }

    /** out = f(s) per OutputFunction, from the slow pre-activation. */
    static double[][] slowOutput(double[][] s, double[] norms, OutputFunction f) {
        double[][] out = new double[s.length][s[0].length];
        for (int n = 0; n < s.length; n++) {
            for (int i = 0; i < s[0].length; i++) {
                double v = s[n][i];
                switch (f) {
                    case RELU:
                        v = Math.max(0, v);
                        break;
                    case RELU_NORMALIZED:
                        v = Math.max(0, v / norms[i]);
                        break;
                    case NORMALIZED:
                        v = v / norms[i];
                        break;
                    default:
                        break;
                }
                out[n][i] = v;
            }
        }
        return out;
    }

    @Test
    void trainAppliesLrTimesUpdateAndReturnsThePreUpdateOutput() {
        float lr = 0.3f;
        for (Geometry g : SHAPES) {
            for (String rule : new String[] {"hpca", "hwta", "shc"}) {
                PlasticityRule r = rule.equals("hpca") ? new Hpca() : rule.equals("hwta") ? new Hwta() : new Shc();
                OutputFunction expectedOutput = rule.equals("hpca") ? OutputFunction.RELU
                        : rule.equals("hwta") ? OutputFunction.RELU_NORMALIZED : OutputFunction.NORMALIZED;
                assertEquals(expectedOutput, r.defaultOutput(), rule + " default output");
                try (NDManager m = manager.newSubManager();
                        HebbianLayer layer = new HebbianLayer(m, new Shape(g.o(), g.c(), g.kh(), g.kw()), r, 3)) {
                    Batch b = batch(m, g, Data.SYMMETRIC, 61);
                    int[] labels = new int[g.b()];
                    long[] labelsLong = new long[g.b()];
                    for (int i = 0; i < g.b(); i++) {
                        labels[i] = i % (g.o() - 1);
                        labelsLong[i] = labels[i];
                    }
                    NDArray teacher = rule.equals("shc") ? m.create(labelsLong).oneHot(g.o()) : null;
                    float[] w0 = layer.weights().toFloatArray();
                    double[][] wRows = SlowRules.weightRows(w0, g.o());
                    double[][] dw;
                    if (rule.equals("hpca")) {
                        dw = SlowRules.sanger(b.patches, wRows, true);
                    } else if (rule.equals("hwta")) {
                        assertTrue(SlowRules.winnerMargin(SlowRules.cosines(b.patches, wRows), 1) > 1e-5, "near-tie");
                        dw = SlowRules.kWta(b.patches, wRows, 1, false, false);
                    } else {
                        dw = SlowRules.shc(b.patches, wRows, labels);
                    }
                    double[][] s = SlowRules.preActivation(b.patches, wRows);
                    double[] out = SlowRules.toActivityLayout(b.patches, slowOutput(s, weightNorms(wRows), expectedOutput));

                    NDArray fastOut = layer.train(b.x, teacher, lr);
                    String what = rule + " " + g.name();
                    assertEquals(new Shape(g.b(), g.o(), b.patches.outH(), b.patches.outW()), fastOut.getShape(), what);
                    SlowRules.assertMatches(what + " output (before the step)", fastOut, out, TOL);

                    double[] expectedW = new double[w0.length];
                    double[] flatDw = SlowRules.flatten(dw);
                    double[] change = new double[w0.length];
                    float[] w1 = layer.weights().toFloatArray();
                    float[] fastChange = new float[w0.length];
                    for (int i = 0; i < w0.length; i++) {
                        expectedW[i] = w0[i] + lr * flatDw[i];
                        change[i] = lr * flatDw[i];
                        fastChange[i] = w1[i] - w0[i];
                    }
                    SlowRules.assertMatches(what + " new weights", layer.weights(), expectedW, TOL);
                    // The change itself, not only the (dominated-by-W0) new weights; float32 rounding of
                    // W0 + lr dW allows ~1e-7 |W0| of error on the difference.
                    SlowRules.assertMatches(what + " applied change", m.create(fastChange), change, 1e-4);
                    // A second call outputs with the new weights: the step really happened.
                    double[][] s1 = SlowRules.preActivation(b.patches, SlowRules.weightRows(w1, g.o()));
                    SlowRules.assertMatches(what + " output after the step", layer.forward(b.x),
                            SlowRules.toActivityLayout(b.patches, slowOutput(s1, weightNorms(SlowRules.weightRows(w1, g.o())), expectedOutput)), TOL);
                }
            }
        }
    }
}
