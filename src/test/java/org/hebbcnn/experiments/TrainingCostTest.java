package org.hebbcnn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hebbcnn.training.CheckpointedTraining.EpochRecord;
import org.hebbcnn.training.CheckpointedTraining.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCostTest {
    @TempDir
    Path tmp;

    static void checkpoint(Path dir, int epoch, double... seconds) throws Exception {
        List<EpochRecord> h = new ArrayList<>();
        for (int i = 0; i < seconds.length; i++) {
            h.add(new EpochRecord(i + 1, 0.5, seconds[i]));
        }
        Path ckpt = dir.resolve("ckpt-" + epoch);
        Files.createDirectories(ckpt);
        new ObjectMapper().writeValue(ckpt.resolve("state.json").toFile(), new State(epoch, 1, 0.5, h));
    }

    @Test
    void sumsTheKeptEpochsOfTheNewestCheckpointOfEachNetwork() throws Exception {
        Path root = tmp.resolve("out");
        checkpoint(root.resolve("bases/bp/seed-0/network"), 1, 100);
        checkpoint(root.resolve("bases/bp/seed-0/network"), 2, 100, 50); // newest: both epochs
        checkpoint(root.resolve("bases/bp/seed-0/probes"), 1, 30);
        checkpoint(root.resolve("stages/seed-0/hpca-B_H"), 3, 10, 20, 30);
        Files.createDirectories(root.resolve("stages/seed-0/empty")); // no checkpoint: not a network
        // a folder inside a checkpoint is part of the checkpoint, not another network
        checkpoint(root.resolve("stages/seed-0/hpca-B_H/ckpt-3/model"), 1, 999);

        TrainingCost cost = TrainingCost.scan(root);
        assertEquals(List.of("bases/bp/seed-0/network", "bases/bp/seed-0/probes", "stages/seed-0/hpca-B_H"),
                cost.entries().stream().map(TrainingCost.Entry::path).toList());
        assertEquals(List.of(2, 1, 3), cost.entries().stream().map(TrainingCost.Entry::epochs).toList());
        assertEquals(150 + 30 + 60, cost.totalSeconds(), 1e-9);
        assertEquals(75, cost.entries().get(0).secondsPerEpoch(), 1e-9);
        assertEquals(180.0, cost.byGroup().get("bases"), 1e-9);
        assertEquals(60.0, cost.byGroup().get("stages"), 1e-9);

        cost.write(root);
        String md = Files.readString(root.resolve(TrainingCost.COST_MD));
        assertTrue(md.contains("| bases/bp/seed-0/network | 2 | 150 | 75 |"), md);
        assertTrue(md.contains("Total: 4 min"), md);
        JsonNode json = new ObjectMapper().readTree(root.resolve(TrainingCost.COST_JSON).toFile());
        assertEquals(240.0, json.get("totalSeconds").asDouble(), 1e-9);
        assertEquals(3, json.get("networks").size());
        assertEquals("stages/seed-0/hpca-B_H", json.get("networks").get(2).get("path").asText());
    }

    @Test
    void aFolderWithoutNetworksCostsNothing() throws Exception {
        assertEquals(0, TrainingCost.scan(tmp.resolve("missing")).entries().size());
        assertEquals(0.0, TrainingCost.scan(tmp).totalSeconds());
    }

    @Test
    void hoursReadLikeAPlan() {
        assertEquals("0 min", TrainingCost.hours(10));
        assertEquals("59 min", TrainingCost.hours(59 * 60));
        assertEquals("3 h 25 min", TrainingCost.hours(3 * 3600 + 25 * 60));
    }
}
