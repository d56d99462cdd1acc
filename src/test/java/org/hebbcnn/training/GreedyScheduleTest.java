package org.hebbcnn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.data.ChannelNormalization;
import org.hebbcnn.data.ImageSet;
import org.hebbcnn.network.HebbianNetwork;
import org.hebbcnn.network.LayerRules;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The greedy schedule ({@code hebbian.greedy}, SoftHebb's "successive" training): in layer l's
 * epochs only layer l (with its batch-norm) changes, the classifier learns with the top hidden layer,
 * only epochs in which the classifier learns can be selected, and a run stopped between two layers'
 * epochs resumes bit for bit.
 */
@Tag("fast")
class GreedyScheduleTest {
    @TempDir
    Path dir;

    private static NetworkPlan plan() throws Exception {
        String yaml = "{layers: [{type: conv, width: 4, kernel: 3, norm: batch, normPosition: before},"
                + " {type: conv, width: 5, kernel: 3, norm: batch, normPosition: before}, {type: classifier}]}";
        return NetworkSpec.fromConfig(new ObjectMapper(new YAMLFactory()).readTree(yaml)).plan(new long[] {3, 8, 8}, 4);
    }

    private static ImageSet images(String name, int n, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[n * 3 * 64];
        random.nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4;
        }
        return new ImageSet(name, 3, 8, 8, pixels, labels, 4);
    }

    private static HebbianNetwork network(NDManager m, NetworkPlan p) {
        return new HebbianNetwork(m, p, LayerRules.of("hpca", Map.of()), 3);
    }

    private static HebbianNetworkTraining greedy(NDManager m, HebbianNetwork net, ImageSet train, ImageSet validation,
            ChannelNormalization norm, int perLayer) {
        int epochs = HebbianNetworkTraining.greedyEpochs(perLayer, net.depth(), 1);
        return new HebbianNetworkTraining(m, net, train, validation, norm, 4, 1e-2f, 7, epochs, "greedy").greedy(perLayer);
    }

    private static float[][] snapshot(HebbianNetwork net) {
        float[][] s = new float[net.depth() + 2][];
        for (int l = 1; l <= net.depth(); l++) {
            s[l - 1] = net.layer(l).weights().toFloatArray();
        }
        s[net.depth()] = net.norm(1).runningMean().toFloatArray();
        s[net.depth() + 1] = net.norm(2).runningMean().toFloatArray();
        return s;
    }

    @Test
    void eachLayerLearnsInItsOwnEpochsAndTheClassifierWithTheTopOne() throws Exception {
        NetworkPlan p = plan();
        ImageSet train = images("train", 12, 1);
        ImageSet validation = images("validation", 8, 2);
        ChannelNormalization norm = ChannelNormalization.fit(train);
        try (NDManager m = Djl.newManager(); HebbianNetwork net = network(m, p)) {
            HebbianNetworkTraining t = greedy(m, net, train, validation, norm, 1);
            assertEquals(1, t.learningLayer(0));
            assertEquals(2, t.learningLayer(1));
            assertFalse(t.selectable(0), "the classifier has not learned in layer 1's epoch");
            assertTrue(t.selectable(1));
            float[][] start = snapshot(net);
            t.trainEpoch(0);
            float[][] afterFirst = snapshot(net);
            assertFalse(java.util.Arrays.equals(start[0], afterFirst[0]), "layer 1 learns in its epoch");
            assertFalse(java.util.Arrays.equals(start[3], afterFirst[3]), "bn1 moves with layer 1");
            assertArrayEquals(start[1], afterFirst[1], "layer 2 waits");
            assertArrayEquals(start[2], afterFirst[2], "the classifier waits");
            assertArrayEquals(start[4], afterFirst[4], "bn2 waits");
            t.trainEpoch(1);
            float[][] afterSecond = snapshot(net);
            assertArrayEquals(afterFirst[0], afterSecond[0], "layer 1 stays frozen");
            assertArrayEquals(afterFirst[3], afterSecond[3], "bn1 stays frozen");
            assertFalse(java.util.Arrays.equals(afterFirst[1], afterSecond[1]), "layer 2 learns in its epoch");
            assertFalse(java.util.Arrays.equals(afterFirst[2], afterSecond[2]), "the classifier learns with it");
        }
    }

    @Test
    void onlyEpochsOfTheTopLayerAreSelectedAndAStopBetweenLayersResumesBitForBit() throws Exception {
        NetworkPlan p = plan();
        ImageSet train = images("train", 12, 3);
        ImageSet validation = images("validation", 8, 4);
        ChannelNormalization norm = ChannelNormalization.fit(train);
        List<String> log = new ArrayList<>();
        try (NDManager m = Djl.newManager();
                HebbianNetwork straight = network(m, p);
                HebbianNetwork stopped = network(m, p);
                HebbianNetwork resumed = network(m, p)) {
            CheckpointedTraining.Outcome a = CheckpointedTraining.run(dir.resolve("a"), 4,
                    greedy(m, straight, train, validation, norm, 2), log::add);
            assertTrue(a.state().bestEpoch() >= 3, "selected in the top layer's epochs, got " + a.state().bestEpoch());
            CheckpointedTraining.run(dir.resolve("b"), 2, greedy(m, stopped, train, validation, norm, 2), log::add);
            CheckpointedTraining.Outcome b = CheckpointedTraining.run(dir.resolve("b"), 4,
                    greedy(m, resumed, train, validation, norm, 2), log::add);
            assertEquals(a.state().bestEpoch(), b.state().bestEpoch());
            float[][] x = snapshot(straight);
            float[][] y = snapshot(resumed);
            for (int i = 0; i < x.length; i++) {
                assertArrayEquals(x[i], y[i], "part " + i);
            }
        }
    }

    @Test
    void anEpochThatIsNotSelectableIsNeverSelectedHoweverWellItScores() {
        double[] scores = {0.9, 0.2, 0.5, 0.4};
        int[] validations = {0};
        CheckpointedTraining.Model model = new CheckpointedTraining.Model() {
            int epoch;

            @Override
            public void trainEpoch(int e) {
                epoch = e;
            }

            @Override
            public double validate() {
                validations[0]++;
                return scores[epoch];
            }

            @Override
            public boolean selectable(int e) {
                return e >= 1;
            }

            @Override
            public void save(Path d) {
                try {
                    java.nio.file.Files.writeString(d.resolve("epoch"), Integer.toString(epoch));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void load(Path d) {}

            @Override
            public java.util.Optional<String> nonFinite() {
                return java.util.Optional.empty();
            }
        };
        CheckpointedTraining.Outcome o = CheckpointedTraining.run(dir.resolve("fake"), 4, model, s -> {});
        assertEquals(3, o.state().bestEpoch(), "epoch 1 would score best but cannot be selected");
        assertTrue(java.nio.file.Files.isDirectory(o.bestCheckpoint()));
        assertEquals(3, validations[0], "the unselectable epoch is not scored");
        assertTrue(Double.isNaN(o.state().history().get(0).validationAccuracy()));
        CheckpointedTraining.Outcome again = CheckpointedTraining.run(dir.resolve("fake"), 4, model, s -> {});
        assertTrue(Double.isNaN(again.state().history().get(0).validationAccuracy()), "read back from the checkpoint");
        assertEquals(3, again.state().bestEpoch());
    }

    @Test
    void aScheduleThatDoesNotFitTheEpochsIsRefused() throws Exception {
        try (NDManager m = Djl.newManager(); HebbianNetwork net = network(m, plan())) {
            ImageSet train = images("train", 4, 5);
            HebbianNetworkTraining t = new HebbianNetworkTraining(m, net, train, train, ChannelNormalization.fit(train), 4,
                    1e-2f, 7, 3, "t");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.greedy(1));
            assertTrue(e.getMessage().contains("takes 2 epochs, this training has 3"), e.getMessage());
        }
    }

    @Test
    void theKeyCountsInTheIdentityOnlyWhenGiven() {
        ExperimentConfig plain = new ExperimentConfig();
        ExperimentConfig off = new ExperimentConfig();
        off.hebbian.greedy = null;
        ExperimentConfig on = new ExperimentConfig();
        on.hebbian.greedy = true;
        assertEquals(plain.identity(), off.identity(), "absent: folders made before the key keep their identity");
        assertNotEquals(plain.identity(), on.identity());
        assertEquals(on.identity(), new ExperimentConfig().with("hebbian.greedy=true").identity(), "as --set gives it");
        assertEquals(plain.identity(), on.with("hebbian.greedy=false").identity(), "false is the same run as absent");
    }
}
