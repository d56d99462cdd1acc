package org.hebbcnn.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * (C + eps I)^(-1/2) by the product form of the Denman-Beavers iteration (Higham, "Functions of
 * Matrices", 2008, eq. 6.17), in float64 on DJL:
 *
 * <pre>
 *   M_0 = A, Z_0 = I;   Z_{k+1} = Z_k (I + M_k^-1) / 2;   M_{k+1} = (I + (M_k + M_k^-1) / 2) / 2
 * </pre>
 *
 * M_k tends to I and Z_k to A^(-1/2), quadratically once the eigenvalues are near 1. DJL 0.35.1
 * has no eigendecomposition or SVD, but it has matrix inverse and product, which run in PyTorch's
 * LAPACK/BLAS: one 3072x3072 CIFAR covariance takes about 8-10 iterations. A is scaled first so
 * that its spectrum is centred (geometrically) on 1, which saves iterations.
 */
public final class DenmanBeaversInverseSqrt implements MatrixInverseSqrt {
    private static final int MAX_ITERATIONS = 60;
    private static final double TOLERANCE = 1e-12;

    @Override
    public String name() {
        return "Denman-Beavers iteration (float64)";
    }

    @Override
    public NDArray inverseSqrt(NDArray c, double epsilon) {
        long n = c.getShape().get(0);
        if (c.getShape().dimension() != 2 || c.getShape().get(1) != n) {
            throw new IllegalArgumentException("need a square matrix, got " + c.getShape());
        }
        NDManager outer = c.getManager();
        NDArray result;
        try (NDManager work = outer.newSubManager()) {
            NDArray eye = work.eye((int) n).toType(DataType.FLOAT64, false);
            NDArray a = c.toType(DataType.FLOAT64, true);
            a.attach(work);
            a = a.add(eye.mul(epsilon));
            // Spectrum bounds: eps <= lambda <= trace. Scaling by 1/sqrt(lo*hi) centres it on 1.
            double trace = a.mul(eye).sum().getDouble();
            double lo = epsilon > 0 ? epsilon : Math.max(trace / n * 1e-8, Double.MIN_NORMAL);
            double hi = Math.max(trace, lo);
            double scale = 1.0 / Math.sqrt(lo * hi);
            NDManager current = work.newSubManager();
            NDArray m = a.mul(scale);
            m.attach(current);
            NDArray z = eye.duplicate();
            z.attach(current);
            double error = Double.POSITIVE_INFINITY;
            int k = 0;
            while (k < MAX_ITERATIONS && error > TOLERANCE) {
                NDArray mInv = m.inverse();
                // Left operands come from `current`, so every temporary is freed with it.
                NDArray zNext = z.matMul(mInv.add(eye)).mul(0.5);
                NDArray mNext = m.add(mInv).mul(0.5).add(eye).mul(0.5);
                error = mNext.sub(eye).norm().getDouble() / Math.sqrt(n);
                NDManager next = work.newSubManager();
                zNext.attach(next);
                mNext.attach(next);
                current.close(); // frees the previous M, Z and this step's temporaries
                current = next;
                m = mNext;
                z = zNext;
                k++;
                if (!Double.isFinite(error)) {
                    throw new IllegalStateException("Denman-Beavers iteration diverged at step " + k
                            + " (is the matrix positive definite after adding epsilon " + epsilon + "?)");
                }
            }
            if (error > 1e-6) {
                throw new IllegalStateException("Denman-Beavers iteration did not converge: error " + error
                        + " after " + k + " steps");
            }
            // A^-1/2 = sqrt(scale) (scale A)^-1/2; symmetrise away rounding asymmetry.
            result = z.add(z.transpose()).mul(0.5 * Math.sqrt(scale));
            result.attach(outer);
            current.close();
        }
        return result;
    }
}
