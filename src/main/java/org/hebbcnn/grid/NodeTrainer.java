package org.hebbcnn.grid;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.hebbcnn.data.Normalization;
import org.hebbcnn.data.Splits;
import org.hebbcnn.experiments.Workspace;
import org.hebbcnn.network.HybridConfig;
import org.hebbcnn.util.Djl;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.NodeLock;

/**
 * Trains one node of a {@link JobGraph} through the same {@link Workspace} calls as {@code experiment
 * all}, so that its folder ends up with the same files, bit for bit: a base network by
 * {@link Workspace#base}, a probe set by {@link Workspace#probeRun}, a stage by
 * {@link Workspace#stages} (the networks under it are loaded, not trained: they must be done).
 */
public final class NodeTrainer {
    /** What became of a node. */
    public enum Outcome {
        TRAINED, DONE_EARLIER, SKIPPED
    }

    private NodeTrainer() {}

    /**
     * Trains {@code n} under its lock, after checking that the nodes under it are done (else an
     * {@link InputError} naming them). With {@code options} saying skip, a node locked by another live
     * process is left alone ({@link Outcome#SKIPPED}).
     */
    public static Outcome train(JobGraph g, Node n, NodeLock.Options options, Consumer<String> log) throws IOException {
        List<String> missing = g.unfinishedDeps(n);
        if (!missing.isEmpty()) {
            throw new InputError(n.id() + " needs " + String.join(", ", missing) + " finished first (train-node them, "
                    + "or see ./hebbcnn plan --out " + g.out() + ")");
        }
        Optional<NodeLock> lock = NodeLock.acquire(g.dir(n), options, log);
        if (lock.isEmpty()) {
            return Outcome.SKIPPED;
        }
        try (NodeLock held = lock.get()) {
            if (g.state(n).progress() == JobGraph.Progress.DONE) {
                log.accept(n.id() + ": done earlier");
                return Outcome.DONE_EARLIER;
            }
            Workspace ws = g.workspace();
            Splits s = ws.splits(n.seed());
            switch (n.kind()) {
                case NETWORK -> {
                    try (Normalization norm = ws.normalization(n.method(), s); NDManager m = Djl.newManager()) {
                        ws.base(n.method(), n.seed(), m, norm);
                    }
                }
                case PROBES -> ws.probeRun(n.method(), n.seed());
                case STAGE -> {
                    HybridConfig c = ws.hybridConfig(n.config());
                    try (Normalization norm = ws.normalization(Workspace.baseMethod(c, n.rule()), s);
                            NDManager m = Djl.newManager()) {
                        ws.stages(c, n.rule(), n.seed(), n.stage(), m, norm);
                    }
                }
                default -> throw new IllegalStateException(n.kind().toString());
            }
            return Outcome.TRAINED;
        }
    }
}
