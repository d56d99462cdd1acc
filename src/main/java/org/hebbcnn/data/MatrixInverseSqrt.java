package org.hebbcnn.data;

import ai.djl.ndarray.NDArray;

/**
 * (C + eps I)^(-1/2) of a symmetric positive semi-definite matrix C. For such a matrix the SVD
 * C = U S U^T is its eigendecomposition, so this is exactly the ZCA matrix
 * U diag((S + eps)^(-1/2)) U^T of the reference. An interface so that the method can be swapped
 * (an iterative one on DJL today; an eigensolver from a linear-algebra library if one is added).
 */
public interface MatrixInverseSqrt {

    /**
     * @param c symmetric PSD float64 matrix [n, n]
     * @param epsilon added to every eigenvalue before the inverse square root; must make C + eps I positive definite
     * @return float64 [n, n], symmetric, attached to the manager of {@code c}
     */
    NDArray inverseSqrt(NDArray c, double epsilon);

    /** A short name for logs. */
    String name();
}
