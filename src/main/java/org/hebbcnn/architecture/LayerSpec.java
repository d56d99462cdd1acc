package org.hebbcnn.architecture;

import java.util.Map;

/**
 * One layer of a {@link NetworkSpec}, as the configuration writes it (see README, "Networks as
 * data"). A layer is a linear map ({@code conv}, {@code dense} over the whole input map, or the
 * {@code classifier} on top, one output per class), then its activation, pooling and normalisation.
 *
 * @param number       1-based position in the network
 * @param width        output channels or units; null for the classifier (the number of classes)
 * @param kernel       conv kernel side; 0 for dense layers and the classifier (they cover the whole map)
 * @param activation   {@code relu}, {@code none} or {@code triangle} (relu(u - mean over channels of u)^power)
 * @param pool         null for none
 * @param norm         {@code none}, {@code batch}, {@code batch-no-affine} or {@code modified}
 * @param normBefore   normalise the layer's input ({@code normPosition: before}) instead of its output
 * @param dropout      dropout on the layer's input in backprop training; null: the configuration's
 *                     {@code backprop.dropout} on the classifier, 0 elsewhere
 * @param rule         the Hebbian rule of this layer; null: the network's
 * @param ruleSettings the rule's own settings ({@code lr}, {@code k}, ...); empty for the defaults
 */
public record LayerSpec(int number, String type, Integer width, int kernel, int stride, int padding,
        String paddingMode, String activation, double power, PoolSpec pool, String norm, boolean normBefore,
        Double dropout, String rule, Map<String, Object> ruleSettings) {
    public static final String CONV = "conv";
    public static final String DENSE = "dense";
    public static final String CLASSIFIER = "classifier";

    public LayerSpec {
        ruleSettings = Map.copyOf(ruleSettings);
    }

    public boolean isConv() {
        return type.equals(CONV);
    }

    public boolean isClassifier() {
        return type.equals(CLASSIFIER);
    }

    public boolean reflect() {
        return paddingMode.equals("reflect");
    }

    /** The same layer learning by another rule with other settings. */
    public LayerSpec withRule(String newRule, Map<String, Object> settings) {
        return new LayerSpec(number, type, width, kernel, stride, padding, paddingMode, activation, power, pool, norm,
                normBefore, dropout, newRule, settings);
    }
}
