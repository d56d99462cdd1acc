package org.hebbcnn.rules;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.hebbcnn.util.InputError;

/**
 * Rules by name, with their settings, for the command line and the network spec (a layer's
 * {@code rule} and settings such as {@code k}). {@code lr} is every rule's setting: the layer's
 * learning rate, applied by the network, not the rule. So are Miconi's interventions:
 * {@code plasticK} wraps the rule in {@link SparsePlasticity}; {@code pruning} is the layer's
 * (a weight mask, {@code layers.Pruning}), accepted here so that every rule takes it.
 */
public final class Rules {
    public static final List<String> NAMES = List.of("hpca", "sanger", "hwta", "som", "shc", "chl", "hebb", "instar", "oja",
            "softhebb");
    /** The rules that learn from labels: only a classifier layer can learn by them, and it only by them. */
    public static final List<String> CLASSIFIERS = List.of("shc", "chl");
    /** Settings each rule takes beside {@code lr}. */
    private static final Map<String, Set<String>> SETTINGS = Map.of("hwta", Set.of("k", "threshold"), "som", Set.of("rows", "cols"), "softhebb", Set.of("t"));
    /** Settings every rule takes: the layer's learning rate, Miconi's two interventions and his weight normalisation. */
    private static final Set<String> LAYER_SETTINGS = Set.of("lr", "plasticK", "pruning", "unitNorm");

    private Rules() {}

    /** Whether {@code name} is a rule. */
    public static boolean isRule(String name) {
        return NAMES.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code name} is a classifier's rule ({@link #CLASSIFIERS}). */
    public static boolean isClassifierRule(String name) {
        return CLASSIFIERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The rules a hidden layer can learn by: every rule but the classifiers'. */
    public static List<String> hiddenRules() {
        return NAMES.stream().filter(n -> !CLASSIFIERS.contains(n)).toList();
    }

    /** A factory for the named rule with the paper's (or the rule's default) settings. */
    public static Supplier<PlasticityRule> byName(String name) {
        check(name);
        return () -> create(name, Map.of(), 96);
    }

    /**
     * The named rule for a layer of {@code width} neurons with {@code settings} (those it does not
     * take are refused, naming the key): {@code hwta} k (winners per position, default 1) and
     * threshold (the rate of its adaptive thresholds, off by default), {@code som} rows and cols
     * (the map; default the squarest factorisation of the width, 8 x 12 for 96), {@code softhebb} t (the inverse temperature, default 1). {@code lr}, if given, must be a number > 0.
     */
    public static PlasticityRule create(String name, Map<String, ?> settings, int width) {
        String n = check(name);
        Set<String> own = SETTINGS.getOrDefault(n, Set.of());
        for (String key : settings.keySet()) {
            if (!LAYER_SETTINGS.contains(key) && !own.contains(key)) {
                Set<String> known = new TreeSet<>(own);
                known.addAll(LAYER_SETTINGS);
                throw new InputError("'" + key + "' is not a setting of rule " + n + " (its settings: "
                        + String.join(", ", known) + ")");
            }
        }
        number(settings, "lr", 1.0);
        PlasticityRule rule = rule(n, settings, width);
        if (settings.get("plasticK") == null) {
            return rule;
        }
        int plasticK = positive(settings, "plasticK", 1);
        if (!(rule instanceof ActivityRule activityRule) || rule.needsTeacher()) {
            throw new InputError("'plasticK' needs a rule that learns from an activity without labels (hpca, sanger, hwta,"
                    + " som, hebb, instar, oja), not " + n);
        }
        if (width > 0 && plasticK > width) {
            throw new InputError("'plasticK' must be at most the layer's width (" + width + "), got " + plasticK);
        }
        return new SparsePlasticity(activityRule, plasticK);
    }

    private static PlasticityRule rule(String n, Map<String, ?> settings, int width) {
        switch (n) {
            case "hpca": return new Hpca();
            case "sanger": return new Hpca(Activation.LINEAR);
            case "hwta": {
                Hwta hwta = new Hwta(positive(settings, "k", 1));
                if (settings.get("threshold") == null) {
                    return hwta;
                }
                if (settings.get("plasticK") != null) {
                    throw new InputError("hwta: 'threshold' and 'plasticK' together are not supported (hwta's winners"
                            + " already are the only learners)");
                }
                return hwta.withThreshold((float) number(settings, "threshold", 1.0));
            }
            case "som": {
                int rows = positive(settings, "rows", squarestFactor(width));
                int cols = positive(settings, "cols", width / rows);
                if (rows * cols != width) {
                    throw new InputError("som: a " + rows + " x " + cols + " map does not hold the layer's " + width + " neurons");
                }
                return new Som(rows, cols);
            }
            case "shc": return new Shc();
            case "chl": return new Chl();
            case "hebb": return new PlainHebb();
            case "instar": return new Instar();
            case "oja": return new Oja();
            case "softhebb": return new SoftHebb(number(settings, "t", 1.0));
            default: throw new IllegalStateException(n);
        }
    }

    private static String check(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw new InputError("unknown rule '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
        return n;
    }

    private static double number(Map<String, ?> settings, String key, double fallback) {
        Object v = settings.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || !(n.doubleValue() > 0)) {
            throw new InputError("'" + key + "' must be a number > 0, got " + v);
        }
        return n.doubleValue();
    }

    private static int positive(Map<String, ?> settings, String key, int fallback) {
        Object v = settings.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Integer i) || i < 1) {
            throw new InputError("'" + key + "' must be a positive integer, got " + v);
        }
        return i;
    }

    /** The largest factor of n not above its square root. */
    static int squarestFactor(int n) {
        for (int r = (int) Math.sqrt(n); r > 1; r--) {
            if (n % r == 0) {
                return r;
            }
        }
        return 1;
    }
}
