package org.hebbcnn.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.data.Splits;
import org.hebbcnn.network.BackpropNetwork;
import org.hebbcnn.network.HybridConfig.Stage;
import org.hebbcnn.training.BackpropNetworkTraining;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.training.CheckpointedTraining.Outcome;

/** Networks trained end to end by backpropagation (Nesterov SGD, the halving schedule). */
final class BackpropKind implements NetworkKind {
    @Override
    public TrainedNetwork base(Workspace ws, Method method, NetworkPlan plan, Splits s, int seed, NDManager m,
            Normalization norm, Path dir) {
        BackpropNetwork bp = network(ws, plan, m, seed);
        bp.setWeightDecay(ws.baselineWeightDecay());
        return train(ws, bp, m, s, seed, norm, dir, method.name(), 1, UnaryOperator.identity(), plan.depth() - 1);
    }

    /** Backprop stages retraining one or two layers use L2 5e-4, more the baseline's (reference notes). */
    @Override
    public TrainedNetwork stage(Workspace ws, Stage stage, String rule, NetworkPlan plan, Splits s, int seed,
            NDManager m, Normalization norm, UnaryOperator<NDArray> below, Path dir, String label) {
        BackpropNetwork bp = network(ws, plan, m, seed);
        bp.setWeightDecay(stage.trainedLayers() <= 2 ? (float) ws.hyperparameters().topWeightDecay()
                : ws.baselineWeightDecay());
        return train(ws, bp, m, s, seed, norm, dir, label, stage.first(), below, plan.depth() - 1);
    }

    private static TrainedNetwork train(Workspace ws, BackpropNetwork bp, NDManager m, Splits s, int seed, Normalization norm,
            Path dir, String label, int first, UnaryOperator<NDArray> below, int probed) {
        LayerwiseSettings settings = ws.settings();
        BackpropNetworkTraining model = new BackpropNetworkTraining(m, bp, ws.train(s), ws.validation(s),
                norm, settings.batchSize(), ws.hyperparameters().schedule(), seed, settings.epochs(), 1, label);
        if (first > 1) {
            model.from(first, below);
        }
        Outcome o = CheckpointedTraining.run(dir, settings.epochs(), model, ws.log());
        model.load(ws.checkpointToLoad(o).resolve("model"));
        return new TrainedNetwork("bp", (x, a, b) -> bp.forward(x, a, b, false), first > 1 ? model::scores : bp::scores,
                o, probed);
    }

    /** A fresh backprop network with the workspace's momentum and dropout (weight decay set by the caller). */
    private static BackpropNetwork network(Workspace ws, NetworkPlan plan, NDManager m, int seed) {
        BackpropNetwork bp = new BackpropNetwork(m, plan, seed);
        bp.setMomentum((float) ws.hyperparameters().momentum());
        bp.setDropout((float) ws.hyperparameters().dropout());
        return bp;
    }
}
