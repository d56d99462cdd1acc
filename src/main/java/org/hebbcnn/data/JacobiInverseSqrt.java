package org.hebbcnn.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * (C + eps I)^(-1/2) through an explicit eigendecomposition by the cyclic Jacobi method in plain
 * Java. Exact to rounding, but O(n^3) per sweep in scalar Java: meant for small matrices (up to a
 * few hundred) and for checking {@link DenmanBeaversInverseSqrt}, not for CIFAR's 3072 dimensions.
 */
public final class JacobiInverseSqrt implements MatrixInverseSqrt {

    @Override
    public String name() {
        return "Jacobi eigendecomposition (float64, plain Java)";
    }

    @Override
    public NDArray inverseSqrt(NDArray c, double epsilon) {
        int n = Math.toIntExact(c.getShape().get(0));
        double[] a = c.toType(DataType.FLOAT64, false).toDoubleArray();
        Eigen eigen = decompose(a, n);
        double[] out = new double[n * n];
        for (int k = 0; k < n; k++) {
            double lambda = Math.max(eigen.values[k], 0.0); // tiny negative rounding of a PSD matrix
            double w = 1.0 / Math.sqrt(lambda + epsilon);
            for (int i = 0; i < n; i++) {
                double vik = eigen.vectors[i * n + k] * w;
                for (int j = 0; j < n; j++) {
                    out[i * n + j] += vik * eigen.vectors[j * n + k];
                }
            }
        }
        return c.getManager().create(out, new Shape(n, n));
    }

    /** Eigenvalues and eigenvectors (column k of the row-major n x n {@code vectors} belongs to values[k]). */
    public record Eigen(double[] values, double[] vectors) {}

    /** Cyclic Jacobi on a symmetric row-major n x n matrix (not modified). */
    public static Eigen decompose(double[] matrix, int n) {
        double[] a = matrix.clone();
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double x = a[i * n + j] * a[i * n + j];
                    total += x;
                    if (i != j) {
                        off += x;
                    }
                }
            }
            if (off <= 1e-30 * total) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p * n + q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double cs = 1 / Math.sqrt(t * t + 1);
                    double sn = t * cs;
                    for (int k = 0; k < n; k++) { // A <- A J (columns p, q)
                        double akp = a[k * n + p];
                        double akq = a[k * n + q];
                        a[k * n + p] = cs * akp - sn * akq;
                        a[k * n + q] = sn * akp + cs * akq;
                    }
                    for (int k = 0; k < n; k++) { // A <- J^T A (rows p, q)
                        double apk = a[p * n + k];
                        double aqk = a[q * n + k];
                        a[p * n + k] = cs * apk - sn * aqk;
                        a[q * n + k] = sn * apk + cs * aqk;
                    }
                    for (int k = 0; k < n; k++) { // V <- V J
                        double vkp = v[k * n + p];
                        double vkq = v[k * n + q];
                        v[k * n + p] = cs * vkp - sn * vkq;
                        v[k * n + q] = sn * vkp + cs * vkq;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i * n + i];
        }
        return new Eigen(values, v);
    }
}
