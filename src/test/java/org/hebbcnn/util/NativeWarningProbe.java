package org.hebbcnn.util;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hebbcnn.architecture.NetworkPlan;
import org.hebbcnn.architecture.NetworkSpec;
import org.hebbcnn.network.BackpropNetwork;
import org.hebbcnn.network.HebbianNetwork;
import org.hebbcnn.network.Vae;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.training.LinearProbe;

/**
 * Run in a fresh JVM by {@link NativeWarningTest}: builds, saves and reloads every kind of module
 * (each one writes its parameters into existing native arrays), then prints "probe done". PyTorch
 * prints its deprecation warnings once per process, so only a fresh process can show them.
 */
public final class NativeWarningProbe {
    public static void main(String[] args) throws Exception {
        Djl.init();
        Path dir = Files.createTempDirectory("hebbcnn-warning");
        NetworkPlan plan = NetworkSpec.tryout().plan(new long[] {3, 32, 32}, 10);
        try (NDManager m = Djl.newManager();
                BackpropNetwork bp = new BackpropNetwork(m, plan, 0);
                Vae vae = new Vae(m, plan, 0);
                HebbianNetwork hebb = new HebbianNetwork(m, plan, Rules.byName("hpca"), 0);
                LinearProbe probe = new LinearProbe(m, plan.features(1), 10, 0)) {
            bp.clearMomentum();
            bp.save(dir.resolve("bp.npz"));
            bp.load(dir.resolve("bp.npz"));
            vae.save(dir.resolve("vae.npz"));
            vae.load(dir.resolve("vae.npz"));
            hebb.save(dir.resolve("hebb"));
            hebb.load(dir.resolve("hebb"));
            probe.save(dir.resolve("probe.npz"));
            probe.load(dir.resolve("probe.npz"));
        }
        System.out.println("probe done");
    }
}
