package org.hebbcnn.search;

import java.util.Map;

/**
 * What the search maximises: one training run at {@code point} with model seed {@code seed}, scored
 * by its best validation accuracy (the epoch selected on validation). The search averages it over
 * seeds 0..n-1 and uses nothing else, so the test set cannot leak into the choice of
 * hyperparameters as long as implementations never return a test score.
 *
 * <p>The search logs each returned score before asking for the next one, so an implementation
 * need not be resumable itself; it must however be deterministic in (point, seed) for a resumed
 * search to decide as an uninterrupted one would. A score must be finite. Checked failures should be
 * wrapped (for example in {@link java.io.UncheckedIOException}); they end the search, which can then
 * be run again to resume.
 */
@FunctionalInterface
public interface Objective {
    /** The best validation score of one run; {@code point} is unmodifiable, keys in grid order. */
    double evaluate(Map<String, String> point, int seed);
}
