package org.hebbcnn.architecture;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hebbcnn.util.InputError;

/**
 * A {@link NetworkSpec} resolved for one input shape and number of classes: every layer's input,
 * kernel and output shape, computed, never typed in. Building it checks that the spec can work (no
 * map shrinks to nothing, no kernel or pool is larger than its input), naming the layer and key.
 */
public final class NetworkPlan {
    private final NetworkSpec spec;
    private final long[] input;
    private final int classes;
    private final List<LayerPlan> layers;

    private NetworkPlan(NetworkSpec spec, long[] input, int classes, List<LayerPlan> layers) {
        this.spec = spec;
        this.input = input.clone();
        this.classes = classes;
        this.layers = List.copyOf(layers);
    }

    static NetworkPlan of(NetworkSpec spec, long[] input, int classes) {
        if (input.length != 3 || input[0] < 1 || input[1] < 1 || input[2] < 1) {
            throw new IllegalArgumentException("input must be [C, H, W], got " + java.util.Arrays.toString(input));
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        List<LayerPlan> plans = new ArrayList<>();
        long[] in = input.clone();
        for (LayerSpec l : spec.layers()) {
            String where = "network " + spec.name() + ": layer " + l.number();
            long[] kernel;
            long[] conv;
            if (l.isConv()) {
                if (l.reflect() && (l.padding() >= in[1] || l.padding() >= in[2])) {
                    throw new InputError(where + ": 'padding' " + l.padding() + " in reflect mode must be smaller than the "
                            + in[1] + "x" + in[2] + " input");
                }
                long h = in[1] + 2L * l.padding();
                long w = in[2] + 2L * l.padding();
                if (l.kernel() > h || l.kernel() > w) {
                    throw new InputError(where + ": 'kernel' " + l.kernel() + " is larger than its " + in[1] + "x" + in[2]
                            + " input" + (l.padding() > 0 ? " (padded to " + h + "x" + w + ")" : "")
                            + (l.number() > 1 ? ": the map shrinks to nothing here" : ""));
                }
                kernel = new long[] {l.width(), in[0], l.kernel(), l.kernel()};
                conv = new long[] {l.width(), (h - l.kernel()) / l.stride() + 1, (w - l.kernel()) / l.stride() + 1};
            } else {
                long width = l.isClassifier() ? classes : l.width();
                kernel = new long[] {width, in[0], in[1], in[2]};
                conv = new long[] {width, 1, 1};
            }
            long[] out = conv;
            if (l.pool() != null) {
                PoolSpec p = l.pool();
                if (p.size() > conv[1] + 2L * p.padding() || p.size() > conv[2] + 2L * p.padding()) {
                    throw new InputError(where + ": 'pool.size' " + p.size() + " is larger than the " + conv[1] + "x"
                            + conv[2] + " map it pools");
                }
                out = new long[] {conv[0], p.out(conv[1]), p.out(conv[2])};
            }
            if (out[1] < 1 || out[2] < 1) {
                throw new InputError(where + ": the map shrinks to nothing (" + out[1] + "x" + out[2] + ")");
            }
            plans.add(new LayerPlan(l, in, kernel, conv, out));
            in = out;
        }
        return new NetworkPlan(spec, input, classes, plans);
    }

    public NetworkSpec spec() {
        return spec;
    }

    /** [C, H, W] of the images. */
    public long[] input() {
        return input.clone();
    }

    public int classes() {
        return classes;
    }

    public List<LayerPlan> layers() {
        return layers;
    }

    /** Layers, classifier included. */
    public int depth() {
        return layers.size();
    }

    /** The layers a probe reads: all but the classifier. */
    public int probedLayers() {
        return layers.size() - 1;
    }

    /** 1-based. */
    public LayerPlan layer(int number) {
        if (number < 1 || number > layers.size()) {
            throw new IllegalArgumentException("layers are numbered 1-" + layers.size() + ", got " + number);
        }
        return layers.get(number - 1);
    }

    /** Flattened size of layer {@code number}'s output: a probe's input size. */
    public long features(int number) {
        return layer(number).features();
    }

    /** The layer table of {@code network describe}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "network %s: %d layers, input %s, %d classes%n", spec.name(), depth(),
                shape(input), classes));
        if (!spec.description().isEmpty()) {
            b.append(spec.description()).append(System.lineSeparator());
        }
        List<String[]> rows = new ArrayList<>();
        long weights = 0;
        long macs = 0;
        for (LayerPlan p : layers) {
            LayerSpec l = p.spec();
            String kernel = l.isConv() ? String.format(Locale.ROOT, "%dx%d%s%s", l.kernel(), l.kernel(),
                    l.stride() > 1 ? " s" + l.stride() : "", l.padding() > 0 ? " p" + l.padding() + (l.reflect() ? "r" : "") : "")
                    : "full";
            List<String> then = new ArrayList<>();
            if (l.normBefore() && !l.norm().equals("none")) {
                then.add("(" + l.norm() + " before)");
            }
            then.add(l.activation().equals("triangle") ? "triangle^" + trim(l.power()) : l.activation());
            if (l.pool() != null) {
                then.add(l.pool().describe());
            }
            if (!l.normBefore() && !l.norm().equals("none")) {
                then.add(l.norm());
            }
            if (l.rule() != null) {
                then.add("rule " + l.rule());
            }
            if (l.ruleSettings().get(NetworkSpec.PLASTIC_K) != null) {
                then.add("top " + l.ruleSettings().get(NetworkSpec.PLASTIC_K) + " learn");
            }
            if (l.ruleSettings().get(NetworkSpec.PRUNING) != null) {
                then.add("pruned " + trim(100 * ((Number) l.ruleSettings().get(NetworkSpec.PRUNING)).doubleValue()) + "%");
            }
            if (l.ruleSettings().get(NetworkSpec.THRESHOLD) != null) {
                then.add("adaptive thresholds (rate " + l.ruleSettings().get(NetworkSpec.THRESHOLD) + ")");
            }
            if (l.ruleSettings().get(NetworkSpec.UNIT_NORM) != null) {
                then.add("unit-norm weights");
            }
            rows.add(new String[] {Integer.toString(l.number()), l.type(), shape(p.input()), kernel, String.join(", ", then),
                shape(p.output()), String.format(Locale.ROOT, "%,d", p.weights()),
                String.format(Locale.ROOT, "%,d", p.multiplyAdds()),
                l.isClassifier() ? "-" : String.format(Locale.ROOT, "%,d", p.features())});
            weights += p.weights();
            macs += p.multiplyAdds();
        }
        String[] head = {"layer", "type", "input", "kernel", "then", "output", "weights", "mult-adds", "probe features"};
        int[] width = new int[head.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], Math.max(r[i].length(), head[i].length()));
            }
        }
        String header = row(head, width);
        b.append(header).append(System.lineSeparator()).append("-".repeat(header.length())).append(System.lineSeparator());
        for (String[] r : rows) {
            b.append(row(r, width)).append(System.lineSeparator());
        }
        b.append(String.format(Locale.ROOT, "total: %,d weights, %,d multiply-adds per image%n", weights, macs));
        return b.toString();
    }

    /** Text columns left-aligned, number columns (the last three) right-aligned. */
    private static String row(String[] cells, int[] width) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(width[i] - cells[i].length());
            r.append(i == 0 ? "" : "  ").append(i >= cells.length - 3 ? pad + cells[i] : cells[i] + pad);
        }
        return r.toString().stripTrailing();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    static String shape(long[] s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length; i++) {
            b.append(i == 0 ? "" : "x").append(s[i]);
        }
        return b.toString();
    }
}
