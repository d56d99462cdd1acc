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
        NDArray teacher = in.teacher();
        if (teacher == null) {
            throw new IllegalArgumentException("SHC needs a teacher signal (one-hot labels) to learn");
        }
        var s = in.preActivation().getShape();
        // Broadcast the label of each image to every position of its output map.
        return teacher.reshape(s.get(0), s.get(1), 1, 1).broadcast(s);
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
