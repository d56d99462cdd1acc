package org.hebbcnn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hebbcnn.network.HybridConfig.Stage;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HybridConfigTest {

    @Test
    void stagesFollowTheRunsOfLettersWithGCountingAsBackprop() {
        assertEquals(List.of(new Stage(1, 6, 'B', 6)), HybridConfig.parse("BBBBBG").stages());
        assertEquals(List.of(new Stage(1, 6, 'H', 6)), HybridConfig.parse("HHHHHH").stages());
        assertEquals(List.of(new Stage(1, 5, 'H', 6), new Stage(6, 6, 'B', 6)), HybridConfig.parse("HHHHHG").stages());
        assertEquals(List.of(new Stage(1, 1, 'B', 6), new Stage(2, 3, 'H', 6), new Stage(4, 6, 'B', 6)),
                HybridConfig.parse("bhhbbg").stages());
        assertEquals(List.of(new Stage(1, 5, 'B', 6), new Stage(6, 6, 'H', 6)), HybridConfig.parse("BBBBBH").stages());
    }

    @Test
    void aBarForcesASplitWhereTheLettersDoNotChange() {
        HybridConfig c = HybridConfig.parse("BBBB|BG");
        assertEquals(List.of(new Stage(1, 4, 'B', 6), new Stage(5, 6, 'B', 6)), c.stages());
        assertEquals("BBBBBG", c.letters());
        assertEquals("BBBB|BG", c.text());
        assertEquals(2, c.stages().get(1).trainedLayers());
    }

    @Test
    void configsThatStartAlikeShareTheirStageNames() {
        HybridConfig a = HybridConfig.parse("BHHBBG");
        HybridConfig b = HybridConfig.parse("BHHHBG");
        assertEquals("B_H", a.stageName(1));
        assertEquals(a.stageName(1), b.stageName(1), "the fresh Hebbian network from layer 2 is the same");
        assertEquals("B_HH_B", a.stageName(2));
        assertNotEquals(a.stageName(2), b.stageName(2));
        assertEquals("BBBB_H_G", HybridConfig.parse("BBBBHG").stageName(2));
        assertEquals("BBBB_H", HybridConfig.parse("BBBBHH").stageName(1));
    }

    @Test
    void onlyStagesOverHebbianLayersDependOnTheRule() {
        HybridConfig shcTop = HybridConfig.parse("BBBBBH");
        assertFalse(shcTop.usesRule());
        assertFalse(shcTop.stageUsesRule(1), "an SHC on backprop layers learns the same whatever the rule");
        assertFalse(HybridConfig.parse("BBBB|BG").stageUsesRule(1));
        HybridConfig c = HybridConfig.parse("BBBBHG");
        assertTrue(c.usesRule());
        assertTrue(c.stageUsesRule(1));
        assertTrue(c.stageUsesRule(2));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "BBBBB;needs 6 letters",
        "BBBBBGG;needs 6 letters",
        "BBXBBG;layer 3 is 'X'",
        "BBGBBG;layer 3 is 'G'",
        "BBBBBB;layer 6 is 'B'",
        "|BBBBBG;between two layers",
        "BBBBBG|;between two layers",
        "BB||BBBG;between two layers"})
    void malformedConfigsAreRefusedWithTheReason(String config, String reason) {
        InputError e = assertThrows(InputError.class, () -> HybridConfig.parse(config));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().contains(config), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void emptyConfigsAreRefused(String config) {
        assertThrows(InputError.class, () -> HybridConfig.parse(config));
    }
}
