package org.hebbcnn.experiments;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.config.Hyperparameters;
import org.hebbcnn.config.LayerwiseSettings;
import org.hebbcnn.data.Batch;
import org.hebbcnn.data.BatchIterator;
import org.hebbcnn.data.BatchOptions;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.data.Splits;
import org.hebbcnn.network.Vae;
import org.hebbcnn.reports.ReconstructionGrid;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.training.CheckpointedTraining.Outcome;
import org.hebbcnn.training.VaeTraining;

/**
 * The VAE baseline: the backprop layers under the classifier as encoder, a mirrored decoder; it has
 * no classifier, so only its encoder's layers are probed. Writes {@link Workspace#RECONSTRUCTIONS_PNG}
 * beside its network.
 */
final class VaeKind implements NetworkKind {
    @Override
    public TrainedNetwork base(Workspace ws, Method method, NetworkPlan plan, Splits s, int seed, NDManager m,
            Normalization norm, Path dir) {
        Hyperparameters hyper = ws.hyperparameters();
        LayerwiseSettings settings = ws.settings();
        Vae vae = new Vae(m, plan, seed);
        vae.setLearningRate((float) hyper.vaeLr());
        vae.setMomentum((float) hyper.vaeMomentum());
        vae.setKlWeight((float) hyper.klWeight());
        VaeTraining model = new VaeTraining(m, vae, ws.train(s), ws.validation(s), norm, settings.batchSize(), seed,
                settings.epochs(), method.name());
        Outcome o = CheckpointedTraining.run(dir, settings.epochs(), model, ws.log());
        model.load(ws.checkpointToLoad(o).resolve("model"));
        writeReconstructions(vae, dir.resolveSibling(Workspace.RECONSTRUCTIONS_PNG), m, norm, s);
        int encoder = plan.depth() - 1;
        return new TrainedNetwork(method.name(), (x, a, b) -> {
            if (a != 1) {
                throw new IllegalArgumentException("the VAE's encoder runs from the images only");
            }
            NDList f = vae.features(x);
            return new NDList(f.subList(0, Math.min(b, encoder)));
        }, null, o, encoder);
    }

    /** The VAE's reconstructions of the first 8 test images under them. */
    private static void writeReconstructions(Vae vae, Path png, NDManager m, Normalization norm, Splits s) {
        for (Batch b : BatchIterator.of(Workspace.first(s.test(), 8), norm, BatchOptions.evaluation(8), 0, m)) {
            try (b) {
                ReconstructionGrid.write(b.images(), vae.reconstruct(b.images()), png);
            }
        }
    }
}
