package org.hebbcnn.grid;

import java.util.List;

/**
 * One job of the grid: a folder that one training writes, named by its path under the results folder.
 *
 * @param id       the folder, relative to the results folder, with {@code /} (e.g. {@code bases/bp/seed-0/network})
 * @param kind     what trains it
 * @param method   the base's method (network, probes), or the base method under a stage
 * @param rule     the Hebbian rule a stage is trained with (that of the first configuration that needs it), else null
 * @param config   a stage's hybrid configuration (the first that needs it, in {@code experiment all}'s order)
 * @param stage    a stage's index in {@code config} (1 = the first stage above the base slice), else 0
 * @param seed     the run's seed (model seed; data seed 200 + seed)
 * @param deps     the nodes it is trained on: ids of networks under it, all of which must be finished
 * @param level    the longest path of dependencies under it (0 for base networks): its Slurm job array
 * @param usedBy   what needs it: tables and configurations, for people reading the plan
 */
public record Node(String id, Kind kind, String method, String rule, String config, int stage, int seed,
        List<String> deps, int level, List<String> usedBy) {

    /** The kinds of node. */
    public enum Kind {
        /** A base network (bp, a Hebbian rule's, the VAE), trained whole. */
        NETWORK("network"),
        /** The SGD, SHC and CHL probes on every layer of a base network, and its {@code result.json}. */
        PROBES("probes"),
        /** A hybrid stage or retrained top: a network trained from a layer up on the frozen ones under it. */
        STAGE("stage");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
