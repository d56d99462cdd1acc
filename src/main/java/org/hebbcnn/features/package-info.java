/**
 * Features of frozen networks, per image: {@link org.hebbcnn.features.FeatureSource} serves the
 * batches of an epoch as every probed layer's output (computed live, or read back from a
 * {@link org.hebbcnn.features.FeatureStore} that ran the network once per image). Depends on
 * {@code data} only; {@code training} reads from it.
 */
package org.hebbcnn.features;
