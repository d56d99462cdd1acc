package org.hebbcnn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The paper's network trains bit for bit as it did before networks became specs (see {@link TryoutFixture}). */
class TryoutFixtureTest {
    @Test
    @Tag("slow")
    void tryoutNetworksTrainBitForBitAsBeforeTheSpecs() throws IOException {
        Map<String, String> expected;
        try (InputStream in = TryoutFixture.class.getResourceAsStream(TryoutFixture.RESOURCE)) {
            expected = new ObjectMapper().readValue(in, new TypeReference<TreeMap<String, String>>() {});
        }
        Map<String, String> actual = TryoutFixture.compute();
        assertEquals(expected.keySet(), actual.keySet());
        for (String key : expected.keySet()) {
            assertEquals(expected.get(key), actual.get(key), key);
        }
    }
}
