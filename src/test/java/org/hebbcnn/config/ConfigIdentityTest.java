package org.hebbcnn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A results folder's identity is a hash of the whole resolved configuration. */
class ConfigIdentityTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Every key of the configuration whose value is a scalar or a list, as a dotted path. */
    static List<String> leafKeys(JsonNode node, String prefix) {
        List<String> keys = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject() && !key.equals("network")) {
                keys.addAll(leafKeys(e.getValue(), key));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }

    /** Another valid value of the same type. */
    static String changed(String key, JsonNode v) {
        return switch (key) {
            case "dataset" -> "cifar10";
            case "network" -> "wide3";
            case "backprop.lrMilestones" -> "[5, 6]";
            case "methods" -> "[hpca]";
            case "rules" -> "[hpca]";
            case "configs" -> "[BHHBBG]";
            case "dataDir" -> "/elsewhere";
            default -> v.isBoolean() ? Boolean.toString(!v.asBoolean())
                    : v.isInt() ? Integer.toString(v.asInt() + 1)
                    : v.isNumber() ? Double.toString(v.asDouble() * 0.5)
                    : v.isNull() ? (key.endsWith("weightDecay") ? "0.02" : "7") : v.asText() + "x";
        };
    }

    @Test
    void configsThatDifferInAnyKeyGetDifferentIdentitiesExceptTheKeysThatChooseRuns() throws Exception {
        ExperimentConfig base = new ExperimentConfig().with("quick=true");
        String id = base.identity();
        JsonNode tree = YAML.readTree(base.toYaml());
        List<String> keys = leafKeys(tree, "");
        assertTrue(keys.size() > 20, "every section's keys: " + keys);
        for (String key : keys) {
            JsonNode v = tree.at("/" + key.replace('.', '/'));
            ExperimentConfig other = base.with(key + "=" + changed(key, v));
            assertNotEquals(base.toYaml(), other.toYaml(), key + " changed");
            if (ExperimentConfig.SELECTION_KEYS.contains(key)) {
                assertEquals(id, other.identity(), key + " chooses runs, so the folder takes both");
            } else {
                assertNotEquals(id, other.identity(), key + " changes how runs are made");
            }
        }
    }

    @Test
    void theIdentityIsStableAndIgnoresHowTheNetworkIsWritten() {
        ExperimentConfig a = new ExperimentConfig();
        ExperimentConfig b = new ExperimentConfig().with("network={name: tryout, layers: ["
                + "{type: conv, width: 96, kernel: 5, pool: {type: max, size: 2}, norm: batch},"
                + "{type: conv, width: 128, kernel: 3, norm: batch},"
                + "{type: conv, width: 192, kernel: 3, pool: {type: max, size: 2, stride: 2}, norm: modified},"
                + "{type: conv, width: 256, kernel: 3, norm: modified, activation: relu},"
                + "{type: dense, width: 4096, norm: modified}, {type: classifier}]}");
        assertEquals(a.identity(), b.identity(), "the preset written out is the same network");
        assertEquals(16, a.identity().length());
        assertEquals(a.identity(), new ExperimentConfig().identity());
    }
}
