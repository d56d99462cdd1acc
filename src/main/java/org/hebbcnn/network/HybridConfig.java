package org.hebbcnn.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hebbcnn.util.InputError;

/**
 * A hybrid network as the paper writes it: one letter per layer 1..6, {@code B} (backprop) or
 * {@code H} (Hebbian) for layers 1-5, and {@code G} (a classifier trained by gradient descent) or
 * {@code H} (the SHC) for layer 6, e.g. {@code BHHBBG}. A {@code |} between two letters forces a
 * split where the letters do not change, e.g. {@code BBBB|BG}: layers 5-6 retrained by backprop
 * on top of a backprop base's layers 1-4.
 *
 * <p>The network is built bottom-up in {@link Stage}s (reference notes, "Hybrids and retraining"):
 * the first stage is a frozen slice of a base network trained whole by its own method (the backprop
 * network for {@code B}, the Hebbian network for {@code H}); every later stage is a fresh network of
 * its own kind trained from its first layer up to layer 6 on the frozen stages below, of which only
 * its own layers are kept. Layer 6 counts as {@code B} when it is {@code G}.
 */
public final class HybridConfig {
    public static final int LAYERS = 6;

    /** Layers {@code first..last} of a network trained by {@code kind} ('B' or 'H'). */
    public record Stage(int first, int last, char kind) {
        public boolean hebbian() {
            return kind == 'H';
        }

        /** Number of layers this stage trains when fresh (from its first layer up to 6). */
        public int trainedLayers() {
            return LAYERS - first + 1;
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

    /** Parses a configuration; malformed ones are refused with the reason. */
    public static HybridConfig parse(String config) {
        String t = config == null ? "" : config.trim().toUpperCase(Locale.ROOT);
        String letters = t.replace("|", "");
        if (letters.length() != LAYERS) {
            throw new InputError("hybrid config '" + config + "': needs 6 letters (layers 1..6), got " + letters.length());
        }
        if (t.startsWith("|") || t.endsWith("|") || t.contains("||")) {
            throw new InputError("hybrid config '" + config + "': '|' goes between two layers' letters");
        }
        for (int i = 0; i < 5; i++) {
            char c = letters.charAt(i);
            if (c != 'B' && c != 'H') {
                throw new InputError("hybrid config '" + config + "': layer " + (i + 1) + " is '" + c
                        + "'; layers 1-5 are B (backprop) or H (Hebbian)");
            }
        }
        char top = letters.charAt(5);
        if (top != 'G' && top != 'H') {
            throw new InputError("hybrid config '" + config + "': layer 6 is '" + top
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
                stages.add(new Stage(first, layer - 1, kind(letters, layer - 1)));
                first = layer;
            }
            split = false;
        }
        stages.add(new Stage(first, LAYERS, kind(letters, LAYERS)));
        return new HybridConfig(t, letters, stages);
    }

    /** 'B' or 'H' for a layer; layer 6's G counts as B. */
    private static char kind(String letters, int layer) {
        char c = letters.charAt(layer - 1);
        return c == 'G' ? 'B' : c;
    }

    /** The configuration as written (upper case), split markers included. */
    public String text() {
        return text;
    }

    /** The six letters without split markers (the paper's key). */
    public String letters() {
        return letters;
    }

    public List<Stage> stages() {
        return stages;
    }

    /** Whether any of layers 1-5 is Hebbian (so the result depends on the Hebbian rule). */
    public boolean usesRule() {
        return letters.substring(0, 5).indexOf('H') >= 0;
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

    /** Whether stage {@code i}'s trained network depends on the Hebbian rule (a Hebbian layer 1-5 at or under its first layer). */
    public boolean stageUsesRule(int i) {
        int upTo = Math.min(5, stages.get(i).first());
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
