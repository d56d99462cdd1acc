package org.hebbcnn.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.data.Splits;
import org.hebbcnn.network.HebbianNetwork;
import org.hebbcnn.network.HybridConfig.Stage;
import org.hebbcnn.network.LayerRules;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.training.CheckpointedTraining.Outcome;
import org.hebbcnn.training.HebbianNetworkTraining;

/**
 * Networks whose layers learn by local rules, each layer by the method's rule unless its spec names
 * its own, the classifier by SHC; every layer learns on every batch (the reference's schedule), or
 * with {@code hebbian.greedy} one layer at a time (SoftHebb's paper).
 */
final class HebbianKind implements NetworkKind {
    /** Winner-take-all rules want whitened images (the reference whitens HWTA's input). */
    @Override
    public boolean wantsWhitenedInput(NetworkPlan plan, Method method, Workspace ws) {
        return rules(ws, method.rule()).apply(plan.layer(1).spec()).wantsWhitenedInput();
    }

    @Override
    public TrainedNetwork base(Workspace ws, Method method, NetworkPlan plan, Splits s, int seed, NDManager m,
            Normalization norm, Path dir) {
        return train(ws, method.rule(), plan, s, seed, m, norm, dir, method.name(), 1, UnaryOperator.identity());
    }

    @Override
    public TrainedNetwork stage(Workspace ws, Stage stage, String rule, NetworkPlan plan, Splits s, int seed,
            NDManager m, Normalization norm, UnaryOperator<NDArray> below, Path dir, String label) {
        return train(ws, rule, plan, s, seed, m, norm, dir, label, stage.first(), below);
    }

    private static TrainedNetwork train(Workspace ws, String rule, NetworkPlan plan, Splits s, int seed, NDManager m,
            Normalization norm, Path dir, String label, int first, UnaryOperator<NDArray> below) {
        LayerwiseSettings settings = ws.settings();
        HebbianNetwork hebb = new HebbianNetwork(m, plan, rules(ws, rule), seed);
        int epochs = HEBBIAN.epochs(ws, hebb.depth(), first);
        HebbianNetworkTraining model = new HebbianNetworkTraining(m, hebb, ws.train(s), ws.validation(s), norm,
                settings.batchSize(), (float) ws.hyperparameters().hebbianLr(), seed, epochs, label);
        if (first > 1) {
            model.from(first, below);
        }
        if (ws.greedy()) {
            model.greedy(settings.epochs());
        }
        Outcome o = CheckpointedTraining.run(dir, epochs, model, ws.log());
        model.load(ws.checkpointToLoad(o).resolve("model"));
        return new TrainedNetwork(rule, hebb::forward, model::scores, o, hebb.depth() - 1);
    }

    /** With {@code hebbian.greedy}, the profile's epochs for each hidden layer from {@code first}. */
    @Override
    public int epochs(Workspace ws, int depth, int first) {
        return ws.greedy() ? HebbianNetworkTraining.greedyEpochs(ws.settings().epochs(), depth, first) : ws.settings().epochs();
    }

    /** Each layer's rule: the configuration's HWTA k applies wherever HWTA is the rule. */
    static java.util.function.Function<org.hebbcnn.architecture.LayerSpec, org.hebbcnn.rules.PlasticityRule> rules(
            Workspace ws, String rule) {
        return LayerRules.of(rule, Map.of("hwta", Map.of("k", ws.hyperparameters().hwtaK())));
    }
}
