package org.hebbcnn.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hebbcnn.util.InputError;

/**
 * A hybrid network as the paper writes it: one letter per layer of the network spec, {@code B}
 * (backprop) or {@code H} (Hebbian) for the layers under the classifier, and {@code G} (a classifier
 * trained by gradient descent) or {@code H} (the SHC) for the classifier, e.g. {@code BHHBBG} for
 * the six-layer try-out network. A {@code |} between two letters forces a
 * split where the letters do not change, e.g. {@code BBBB|BG}: layers 5-6 retrained by backprop
 * on top of a backprop base's layers 1-4.
 *
 * <p>The network is built bottom-up in {@link Stage}s (reference notes, "Hybrids and retraining"):
 * the first stage is a frozen slice of a base network trained whole by its own method (the backprop
 * network for {@code B}, the Hebbian network for {@code H}); every later stage is a fresh network of
 * its own kind trained from its first layer up to the classifier on the frozen stages below, of which only
 * its own layers are kept. Layer 6 counts as {@code B} when it is {@code G}.
 */
public final class HybridConfig {
    /** Layers {@code first..last} of a network of {@code depth} layers trained by {@code kind} ('B' or 'H'). */
    public record Stage(int first, int last, char kind, int depth) {
        public boolean hebbian() {
            return kind == 'H';
        }

        /** Number of layers this stage trains when fresh (from its first layer up to the classifier). */
        public int trainedLayers() {
            return depth - first + 1;
        }
    }

    private final String text;
    private final String letters;
    private final List<Stage> stages;

    private HybridConfig(String text, String letters, List<Stage> stages) {
        this.text = text;
        this.letters = letters;
        this.stages = List.copyOf(stages);
    }

    /** Parses a configuration of the paper's six-layer network. */
    public static HybridConfig parse(String config) {
        return parse(config, 6);
    }

    /**
     * Parses a configuration of a network of {@code depth} layers (one letter per layer, the
     * classifier's last); malformed ones are refused with the reason.
     */
    public static HybridConfig parse(String config, int depth) {
        String t = config == null ? "" : config.trim().toUpperCase(Locale.ROOT);
        String letters = t.replace("|", "");
        if (letters.length() != depth) {
            throw new InputError("hybrid config '" + config + "': needs " + depth + " letters (layers 1.." + depth
                    + " of the network), got " + letters.length());
        }
        if (t.startsWith("|") || t.endsWith("|") || t.contains("||")) {
            throw new InputError("hybrid config '" + config + "': '|' goes between two layers' letters");
        }
        for (int i = 0; i < depth - 1; i++) {
            char c = letters.charAt(i);
            if (c != 'B' && c != 'H') {
                throw new InputError("hybrid config '" + config + "': layer " + (i + 1) + " is '" + c
                        + "'; layers 1-" + (depth - 1) + " are B (backprop) or H (Hebbian)");
            }
        }
        char top = letters.charAt(depth - 1);
        if (top != 'G' && top != 'H') {
            throw new InputError("hybrid config '" + config + "': layer " + depth + " is '" + top
                    + "'; the classifier is G (gradient descent) or H (SHC)");
        }
        List<Stage> stages = new ArrayList<>();
        int first = 1;
        int layer = 0;
        boolean split = false;
        for (char c : t.toCharArray()) {
            if (c == '|') {
                split = true;
                continue;
            }
            layer++;
            if (layer > 1 && (split || kind(letters, layer) != kind(letters, layer - 1))) {
                stages.add(new Stage(first, layer - 1, kind(letters, layer - 1), depth));
                first = layer;
            }
            split = false;
        }
        stages.add(new Stage(first, depth, kind(letters, depth), depth));
        return new HybridConfig(t, letters, stages);
    }

    /**
     * The default configurations of a network of {@code depth} layers, as the paper's 16 for six:
     * all backprop, then every run of consecutive Hebbian layers under the classifier, shortest
     * runs first, each length from the bottom up; the classifier G.
     */
    public static List<String> defaults(int depth) {
        List<String> out = new ArrayList<>();
        int hidden = depth - 1;
        out.add("B".repeat(hidden) + "G");
        for (int length = 1; length <= hidden; length++) {
            for (int start = 0; start + length <= hidden; start++) {
                out.add("B".repeat(start) + "H".repeat(length) + "B".repeat(hidden - start - length) + "G");
            }
        }
        return out;
    }

    /** Layers, classifier included. */
    public int depth() {
        return letters.length();
    }

    /** 'B' or 'H' for a layer; the classifier's G counts as B. */
    private static char kind(String letters, int layer) {
        char c = letters.charAt(layer - 1);
        return c == 'G' ? 'B' : c;
    }

    /** The configuration as written (upper case), split markers included. */
    public String text() {
        return text;
    }

    /** The letters without split markers (the paper's key). */
    public String letters() {
        return letters;
    }

    public List<Stage> stages() {
        return stages;
    }

    /** Whether any layer under the classifier is Hebbian (so the result depends on the Hebbian rule). */
    public boolean usesRule() {
        return letters.substring(0, depth() - 1).indexOf('H') >= 0;
    }

    /**
     * A name for the network built up to and including stage {@code i}'s first layer, with {@code _}
     * at every split: two configs whose stage i has the same name train it identically (e.g. stage 2
     * of BHHBBG and of BHHHBG is {@code B_H}: a fresh Hebbian network from layer 2 on backprop layer 1).
     */
    public String stageName(int i) {
        StringBuilder b = new StringBuilder();
        for (int s = 0; s <= i; s++) {
            Stage st = stages.get(s);
            if (s > 0) {
                b.append('_');
            }
            int last = s == i ? st.first() : st.last();
            for (int l = st.first(); l <= last; l++) {
                b.append(letters.charAt(l - 1));
            }
        }
        return b.toString();
    }

    /** Whether stage {@code i}'s trained network depends on the Hebbian rule (a Hebbian hidden layer at or under its first layer). */
    public boolean stageUsesRule(int i) {
        int upTo = Math.min(depth() - 1, stages.get(i).first());
        return letters.substring(0, upTo).indexOf('H') >= 0;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HybridConfig h && h.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
