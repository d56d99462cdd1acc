package org.hebbcnn.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.hebbcnn.training.CheckpointedTraining.Outcome;

/**
 * A trained network (or a hybrid's trained stage) loaded at its selected epoch, frozen: its layers
 * can be run from any layer's input, and its classifier scores images end to end (through the
 * frozen layers under it, for a stage). Its native memory belongs to the manager it was built in.
 *
 * @param method bp, hpca, hwta, vae, or a stage's kind
 * @param layers the network's layers first..last from the input of layer first (eval mode)
 * @param scores images to the classifier's scores (null for the VAE, which has no classifier)
 * @param outcome its training: selected epoch, validation history, time per epoch
 * @param probedLayers the layers under the classifier, which probes read
 */
public record TrainedNetwork(String method, Layers layers, Scorer scores, Outcome outcome, int probedLayers) {

    /** Layers first..last of a frozen network, from the input of layer first. */
    @FunctionalInterface
    public interface Layers {
        NDList forward(NDArray input, int first, int last);
    }

    /** Images (normalised) to classifier scores [B, classes]. */
    @FunctionalInterface
    public interface Scorer {
        NDArray apply(NDArray images);
    }

    /** The output of layer {@code last}, run from the input of layer {@code first}. */
    public NDArray output(NDArray input, int first, int last) {
        NDList out = layers.forward(input, first, last);
        return out.get(out.size() - 1);
    }

    /** The outputs of every layer under the classifier for images (what probes read). */
    public NDList features(NDArray images) {
        return layers.forward(images, 1, probedLayers);
    }
}
