package org.hebbcnn.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.data.Splits;
import org.hebbcnn.network.HybridConfig.Stage;

/**
 * A kind of network the experiments train (backprop, Hebbian, VAE): how it is built from the spec
 * and trained, and which input normalisation it wants. The experiments reach networks only through
 * these, so a new kind is one new class here.
 */
public interface NetworkKind {
    NetworkKind BACKPROP = new BackpropKind();
    NetworkKind HEBBIAN = new HebbianKind();
    NetworkKind VAE = new VaeKind();

    /** Whether its first layer wants ZCA-whitened images (else per-channel standardisation). */
    default boolean wantsWhitenedInput(NetworkPlan plan, Method method, Workspace ws) {
        return false;
    }

    /**
     * Epochs its network trains from layer {@code first} of {@code depth}: the profile's, unless the
     * kind schedules its layers otherwise (Hebbian networks with {@code hebbian.greedy}).
     */
    default int epochs(Workspace ws, int depth, int first) {
        return ws.settings().epochs();
    }

    /**
     * Its base network for run {@code seed}, trained into {@code dir} unless an earlier run did,
     * loaded at its selected epoch.
     */
    TrainedNetwork base(Workspace ws, Method method, NetworkPlan plan, Splits s, int seed, NDManager m,
            Normalization norm, Path dir);

    /**
     * A fresh network of this kind trained from {@code stage}'s first layer up to the classifier on
     * {@code below} (the frozen stages under it), into {@code dir} unless an earlier run did.
     */
    default TrainedNetwork stage(Workspace ws, Stage stage, String rule, NetworkPlan plan, Splits s, int seed,
            NDManager m, Normalization norm, UnaryOperator<NDArray> below, Path dir, String label) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " networks are not hybrid stages");
    }
}
