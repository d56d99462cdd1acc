package org.hebbcnn.reports;

/**
 * Names in a result folder that the experiments write and the report reads; here, below both, so
 * that the report needs nothing from the experiments package.
 */
public final class ResultFolders {
    /** The folder name of hybrid and retrained stages (layers below a stage's first are untrained). */
    public static final String STAGES = "stages";
    /** The picture of a VAE's reconstructions, written beside its network folder. */
    public static final String RECONSTRUCTIONS_PNG = "reconstructions.png";

    private ResultFolders() {}
}
