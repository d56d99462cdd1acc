package org.hebbcnn.config;

import java.util.Arrays;
import java.util.Locale;
import org.hebbcnn.util.InputError;

/**
 * How the linear probes train, where a protocol departs from the paper's (config keys
 * {@code probes.optimizer, lr, lrGamma, lrMilestones, batch, layers}). The paper's probes are
 * {@link #paper()}: Nesterov SGD on the backprop schedule, the run's batch, every layer. SoftHebb's
 * readout is Adam at 1e-3 halved after epochs 10, 17, 25, 30, 35, 40 and 45, batch 64, on the top
 * layer only.
 *
 * @param optimizer   {@code sgd} (Nesterov, the paper's) or {@code adam}
 * @param lr          starting rate; NaN: the backprop schedule's
 * @param lrGamma     factor at each milestone; NaN: the backprop schedule's
 * @param lrMilestones epochs (1-based) after which the rate is multiplied by lrGamma; null: the backprop schedule's
 * @param batch       probe batch size; 0: the run's {@code batch}
 * @param layers      probed layers (1-based, under the classifier); empty: all of them
 */
public record ProbeOptions(String optimizer, double lr, double lrGamma, int[] lrMilestones, int batch, int[] layers) {
    public static final String SGD = "sgd";
    public static final String ADAM = "adam";

    public ProbeOptions {
        if (!optimizer.equals(SGD) && !optimizer.equals(ADAM)) {
            throw new InputError("probes.optimizer must be sgd or adam, got '" + optimizer + "'");
        }
        if (!Double.isNaN(lr) && !(lr > 0 && Double.isFinite(lr))) {
            throw new InputError("probes.lr must be a finite number > 0, got " + lr);
        }
        if (!Double.isNaN(lrGamma) && !(lrGamma > 0 && Double.isFinite(lrGamma))) {
            throw new InputError("probes.lrGamma must be a finite number > 0, got " + lrGamma);
        }
        if (lrMilestones != null) {
            lrMilestones = lrMilestones.clone();
            for (int m : lrMilestones) {
                if (m < 1) {
                    throw new InputError("probes.lrMilestones: epochs are counted from 1, got " + m);
                }
            }
        }
        if (batch < 0) {
            throw new InputError("probes.batch must be >= 1 (or absent: the run's batch), got " + batch);
        }
        layers = layers.clone();
        for (int l : layers) {
            if (l < 1) {
                throw new InputError("probes.layers: layers are counted from 1, got " + l);
            }
        }
    }

    public static ProbeOptions paper() {
        return new ProbeOptions(SGD, Double.NaN, Double.NaN, null, 0, new int[0]);
    }

    public boolean isPaper() {
        return equals(paper());
    }

    /** Whether layer {@code l} is probed in a network with {@code probed} layers under its classifier. */
    public boolean probes(int l) {
        return layers.length == 0 || Arrays.stream(layers).anyMatch(x -> x == l);
    }

    /** Refuses layers the network does not have (named by the config key). */
    public void check(int probedLayers) {
        for (int l : layers) {
            if (l > probedLayers) {
                throw new InputError("probes.layers: layer " + l + " is not under the classifier (layers 1-" + probedLayers + ")");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProbeOptions p && p.optimizer.equals(optimizer) && Double.compare(p.lr, lr) == 0
                && Double.compare(p.lrGamma, lrGamma) == 0 && Arrays.equals(p.lrMilestones, lrMilestones)
                && p.batch == batch && Arrays.equals(p.layers, layers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {optimizer, lr, lrGamma, Arrays.hashCode(lrMilestones), batch,
            Arrays.hashCode(layers)});
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "probes.optimizer=%s lr=%s lrGamma=%s lrMilestones=%s batch=%d layers=%s",
                optimizer, lr, lrGamma, Arrays.toString(lrMilestones), batch, Arrays.toString(layers));
    }
}
