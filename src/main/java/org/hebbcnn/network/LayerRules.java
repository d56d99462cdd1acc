package org.hebbcnn.network;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.hebbcnn.architecture.LayerSpec;
import org.hebbcnn.rules.PlasticityRule;
import org.hebbcnn.rules.Rules;

/**
 * Which rule each layer of a Hebbian network learns by: the layer's own {@code rule} if its spec
 * names one, else the network's rule (SHC for the classifier), with the layer's settings over the
 * network-wide ones that apply to that rule (e.g. the configuration's {@code hebbian.hwtaK} for HWTA).
 */
public final class LayerRules {
    private LayerRules() {}

    /**
     * @param networkRule the rule of every hidden layer that names none
     * @param defaults    network-wide settings by rule name, e.g. {@code {hwta: {k: 1}}}
     */
    public static Function<LayerSpec, PlasticityRule> of(String networkRule, Map<String, Map<String, Object>> defaults) {
        return l -> {
            String name = l.rule() != null ? l.rule() : l.isClassifier() ? "shc" : networkRule;
            Map<String, Object> settings = new HashMap<>(defaults.getOrDefault(name, Map.of()));
            settings.putAll(l.ruleSettings());
            return Rules.create(name, settings, l.isClassifier() ? 0 : l.width());
        };
    }

    /** The rule name layer {@code l} learns by. */
    public static String name(LayerSpec l, String networkRule) {
        return l.rule() != null ? l.rule() : l.isClassifier() ? "shc" : networkRule;
    }
}
