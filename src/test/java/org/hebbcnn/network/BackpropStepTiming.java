package org.hebbcnn.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.hebbcnn.util.Djl;

/**
 * Not a test: prints the median time of one {@link BackpropNetwork#trainStep} (and of an eval
 * forward) at batch 64 on CIFAR-size input [64, 3, 32, 32], 100 classes, after two warm-ups.
 * Run: {@code java -cp target/test-classes:target/classes:<deps> org.hebbcnn.network.BackpropStepTiming [runs]}.
 */
public final class BackpropStepTiming {
    private BackpropStepTiming() {}

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        try (NDManager m = Djl.newManager(); BackpropNetwork net = new BackpropNetwork(m, Plans.tryout(100), 0)) {
            NDArray x = m.randomNormal(new Shape(64, 3, 32, 32));
            NDArray y = m.randomInteger(0, 100, new Shape(64), DataType.INT64);
            net.setLearningRate(1e-3f);
            net.setWeightDecay(1e-2f);
            double[] step = new double[runs];
            double[] forward = new double[runs];
            for (int i = -2; i < runs; i++) {
                long t = System.nanoTime();
                net.trainStep(x, y);
                double s = (System.nanoTime() - t) / 1e6;
                t = System.nanoTime();
                try (NDList out = net.forward(x, false)) {
                    out.get(5).toFloatArray();
                }
                double f = (System.nanoTime() - t) / 1e6;
                if (i >= 0) {
                    step[i] = s;
                    forward[i] = f;
                }
            }
            Arrays.sort(step);
            Arrays.sort(forward);
            System.out.printf("%s, %d cores: trainStep batch 64 [3,32,32] 100 classes: median %.1f ms (min %.1f, max %.1f) "
                    + "over %d runs; eval forward median %.1f ms%n", Djl.describeEngine(),
                    Runtime.getRuntime().availableProcessors(), step[runs / 2], step[0], step[runs - 1], runs, forward[runs / 2]);
        }
    }
}
