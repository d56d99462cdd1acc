package org.hebbcnn.network;

import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.architecture.NetworkSpec;

/** Plans the network tests build on. */
final class Plans {
    private Plans() {}

    /** The paper's try-out network on [3, 32, 32] images. */
    static NetworkPlan tryout(int classes) {
        return NetworkSpec.tryout().plan(new long[] {3, 32, 32}, classes);
    }
}
