package org.hebbcnn.rules;

/**
 * How per-patch updates are combined into one change of a shared kernel ("update aggregation"
 * in the slides: averaging keeps the weights shared across positions).
 */
public enum Aggregation {
    /** Sum over the N = B * H' * W' patches, divided by N. */
    MEAN,
    /**
     * Sum over patches, divided per neuron by the sum of its activity: a mean weighted by each
     * patch's activity (for a winner mask, the mean of the patches the neuron won). A neuron with
     * zero total activity is left unchanged. Meant for non-negative activities.
     */
    ACTIVITY_WEIGHTED
}
