package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;

/**
 * Supervised Hebbian classifier (the teacher neuron): the teacher signal, one-hot labels, is the
 * post-synaptic activity, so class vector w_c moves towards the mean of its class's inputs in the
 * batch: w_c <- w_c + lr (mean_{label = c} x - w_c); classes absent from the batch are unchanged.
 * In the limit w_c is the class centroid. Output score w_c . x / ||w_c||, no activation.
 */
public final class Shc extends ActivityRule {
    public Shc() {
        super(UpdateForm.INSTAR, Aggregation.ACTIVITY_WEIGHTED);
    }

    @Override
    public String name() {
        return "shc";
    }

    @Override
    public NDArray activity(RuleInput in) {
        return in.teacherMap("SHC");
    }

    @Override
    public boolean needsTeacher() {
        return true;
    }

    @Override
    public OutputFunction defaultOutput() {
        return OutputFunction.NORMALIZED;
    }
}
