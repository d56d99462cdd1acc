package org.hebbcnn.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hebbcnn.config.ExperimentConfig;
import org.hebbcnn.network.HybridConfig;
import org.hebbcnn.util.InputError;
import org.junit.jupiter.api.Test;

/** The plan of the paper's grid: node counts per kind and seed, and every stage on the networks under it. */
class JobGraphTest {
    private static final Path OUT = Path.of("/scratch/grid");

    @Test
    void thePapersGridHasItsNodesPerKindAndSeed() {
        ExperimentConfig c = new ExperimentConfig(); // the paper's defaults: mnist, 5 seeds, bp/hpca/hwta, 16 configs
        JobGraph g = JobGraph.of(c, OUT);
        assertEquals(5 * 46, g.nodes().size());
        for (int seed = 0; seed < 5; seed++) {
            final int s = seed;
            Map<Node.Kind, Long> kinds = g.nodes().stream().filter(n -> n.seed() == s)
                    .collect(Collectors.groupingBy(Node::kind, Collectors.counting()));
            // bp, hpca and hwta: each a network and its probes
            assertEquals(3L, kinds.get(Node.Kind.NETWORK));
            assertEquals(3L, kinds.get(Node.Kind.PROBES));
            // retrained tops: BBBB_B, BBBBB_H, hpca-BBBB_H, hwta-BBBB_H; the 15 hybrid configs above BBBBBG
            // train 19 stages per rule, of which <rule>-BBBB_H is a retrained top's: 4 + 2 x 18
            assertEquals(40L, kinds.get(Node.Kind.STAGE));
        }
        assertEquals(3, g.levels());
        assertEquals(15, g.level(0).size());
        assertEquals(List.of("bases/bp/seed-0/network", "bases/bp/seed-0/probes", "bases/hpca/seed-0/network"),
                g.nodes().subList(0, 3).stream().map(Node::id).toList());
    }

    @Test
    void everyStageDependsOnTheNetworksUnderIt() {
        JobGraph g = JobGraph.of(new ExperimentConfig(), OUT);
        Set<String> ids = new HashSet<>();
        for (Node n : g.nodes()) {
            for (String d : n.deps()) {
                assertTrue(ids.contains(d), n.id() + " comes after what it needs: " + d);
                assertTrue(g.node(d).level() < n.level(), n.id() + " above " + d);
            }
            ids.add(n.id());
            switch (n.kind()) {
                case NETWORK -> assertEquals(List.of(), n.deps());
                case PROBES -> assertEquals(List.of("bases/" + n.method() + "/seed-" + n.seed() + "/network"), n.deps());
                case STAGE -> {
                    HybridConfig h = g.workspace().hybridConfig(n.config());
                    // the base network of the first stage, then every stage between it and this one
                    String base = "bases/" + (h.stages().get(0).hebbian() ? n.rule() : "bp") + "/seed-" + n.seed() + "/network";
                    assertEquals(n.stage() + 0, n.deps().size(), n.toString());
                    assertEquals(base, n.deps().get(0));
                    for (int i = 1; i < n.stage(); i++) {
                        assertEquals(OUT.relativize(g.workspace().stageDir(h, i, n.rule(), n.seed())).toString(), n.deps().get(i));
                    }
                    assertEquals(n.stage(), n.level());
                    assertEquals(OUT.relativize(g.workspace().stageDir(h, n.stage(), n.rule(), n.seed())).toString(), n.id());
                }
                default -> throw new AssertionError(n);
            }
        }
        // BHHBBG: base bp, stage hpca-B_H (layers 2-3), stage hpca-B_HH_B (4-6) on both
        Node top = g.node("stages/seed-2/hpca-B_HH_B");
        assertEquals(List.of("bases/bp/seed-2/network", "stages/seed-2/hpca-B_H"), top.deps());
        assertEquals(2, top.level());
        // a stage shared by a retrained top and a hybrid is trained for the first that needs it (retrain comes first)
        Node shared = g.node("stages/seed-0/hpca-BBBB_H");
        assertEquals("BBBBHH", shared.config());
        assertTrue(shared.usedBy().contains("hybrid BBBBHG (hpca)"), shared.usedBy().toString());
    }

    @Test
    void nodeIdsAreFoldersUnderTheResultsFolder() {
        JobGraph g = JobGraph.of(new ExperimentConfig(), OUT);
        assertEquals("bases/bp/seed-0/network", g.node("/scratch/grid/bases/bp/seed-0/network/").id());
        InputError e = assertThrows(InputError.class, () -> g.node("bases/nope/seed-0/network"));
        assertTrue(e.getMessage().contains("no node 'bases/nope/seed-0/network'"), e.getMessage());
    }
}
