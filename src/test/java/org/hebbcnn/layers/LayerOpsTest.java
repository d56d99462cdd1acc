package org.hebbcnn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;
import org.hebbcnn.architecture.LayerSpec;
import org.hebbcnn.architecture.PoolSpec;
import org.hebbcnn.util.Djl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SoftHebb's layer parts against direct loops over a [B, C, H, W] array: reflect and zero padding,
 * the triangle activation relu(u - mean over channels of u)^p, and max and average pooling with
 * padding (PyTorch's: max ignores the padding, average divides by the whole window).
 */
@Tag("fast")
class LayerOpsTest {
    private static final int B = 2;
    private static final int C = 3;
    private static final int H = 6;
    private static final int W = 5;

    @Test
    void reflectPaddingMirrorsTheMapWithoutItsEdge() {
        for (int p = 1; p <= 3; p++) {
            float[][][][] x = random(7 + p);
            float[][][][] want = new float[B][C][H + 2 * p][W + 2 * p];
            for (int b = 0; b < B; b++) {
                for (int c = 0; c < C; c++) {
                    for (int i = 0; i < H + 2 * p; i++) {
                        for (int j = 0; j < W + 2 * p; j++) {
                            want[b][c][i][j] = x[b][c][mirror(i - p, H)][mirror(j - p, W)];
                        }
                    }
                }
            }
            assertArrayEquals(flat(want), padded(x, layer(p, "reflect", "none", 1)), 0f, "reflect padding " + p);
        }
    }

    @Test
    void zeroPaddingSurroundsTheMapWithZeros() {
        int p = 2;
        float[][][][] x = random(3);
        float[][][][] want = new float[B][C][H + 2 * p][W + 2 * p];
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < W; j++) {
                        want[b][c][i + p][j + p] = x[b][c][i][j];
                    }
                }
            }
        }
        assertArrayEquals(flat(want), padded(x, layer(p, "zeros", "none", 1)), 0f);
    }

    @Test
    void theTriangleIsReluOfTheDistanceAboveTheChannelMeanToItsPower() {
        for (double power : new double[] {0.7, 1.0, 1.4}) {
            float[][][][] u = random(11);
            float[][][][] want = new float[B][C][H][W];
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < W; j++) {
                        double mean = 0;
                        for (int c = 0; c < C; c++) {
                            mean += u[b][c][i][j] / (double) C;
                        }
                        for (int c = 0; c < C; c++) {
                            want[b][c][i][j] = (float) Math.pow(Math.max(0, u[b][c][i][j] - mean), power);
                        }
                    }
                }
            }
            try (NDManager m = Djl.newManager()) {
                float[] got = LayerOps.activate(m.create(flat(u), new Shape(B, C, H, W)), layer(0, "zeros", "triangle", power))
                        .toFloatArray();
                assertArrayEquals(flat(want), got, 1e-5f, "power " + power);
            }
        }
    }

    @Test
    void poolingWithPaddingMatchesTheLoops() {
        float[][][][] x = random(5);
        for (PoolSpec p : new PoolSpec[] {new PoolSpec("max", 4, 2, 1), new PoolSpec("avg", 4, 2, 1),
                new PoolSpec("avg", 2, 2, 0), new PoolSpec("max", 3, 1, 1)}) {
            int oh = (int) p.out(H);
            int ow = (int) p.out(W);
            float[][][][] want = new float[B][C][oh][ow];
            for (int b = 0; b < B; b++) {
                for (int c = 0; c < C; c++) {
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            double max = Double.NEGATIVE_INFINITY;
                            double sum = 0;
                            for (int di = 0; di < p.size(); di++) {
                                for (int dj = 0; dj < p.size(); dj++) {
                                    int r = i * p.stride() + di - p.padding();
                                    int s = j * p.stride() + dj - p.padding();
                                    if (r >= 0 && r < H && s >= 0 && s < W) {
                                        max = Math.max(max, x[b][c][r][s]);
                                        sum += x[b][c][r][s];
                                    } // a padded cell: outside every max, a zero in the average
                                }
                            }
                            want[b][c][i][j] = (float) (p.type().equals("max") ? max : sum / (p.size() * p.size()));
                        }
                    }
                }
            }
            try (NDManager m = Djl.newManager()) {
                NDArray y = LayerOps.pool(m.create(flat(x), new Shape(B, C, H, W)), p);
                assertEquals(new Shape(B, C, oh, ow), y.getShape(), p.toString());
                assertArrayEquals(flat(want), y.toFloatArray(), 1e-6f, p.toString());
            }
        }
    }

    /** PyTorch's reflect index: -1 is 1, n is n - 2 (the edge is not repeated). */
    private static int mirror(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    }

    private static float[] padded(float[][][][] x, LayerSpec layer) {
        try (NDManager m = Djl.newManager()) {
            return LayerOps.pad(m.create(flat(x), new Shape(B, C, H, W)), layer).toFloatArray();
        }
    }

    private static LayerSpec layer(int padding, String mode, String activation, double power) {
        return new LayerSpec(1, LayerSpec.CONV, C, 3, 1, padding, mode, activation, power, null, "none", false, null, null,
                Map.of());
    }

    private static float[][][][] random(long seed) {
        Random r = new Random(seed);
        float[][][][] x = new float[B][C][H][W];
        for (float[][][] b : x) {
            for (float[][] c : b) {
                for (float[] row : c) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = (float) r.nextGaussian();
                    }
                }
            }
        }
        return x;
    }

    private static float[] flat(float[][][][] x) {
        int h = x[0][0].length;
        int w = x[0][0][0].length;
        float[] f = new float[x.length * x[0].length * h * w];
        int k = 0;
        for (float[][][] b : x) {
            for (float[][] c : b) {
                for (float[] row : c) {
                    for (float v : row) {
                        f[k++] = v;
                    }
                }
            }
        }
        return f;
    }
}
