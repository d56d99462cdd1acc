package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.hebbcnn.tensors.PatchOps;

/**
 * The shape of a Hebbian update for post-synaptic activity y (rows: patches n, columns: neurons
 * i) and input patches x_n, before aggregation:
 *
 * <pre>
 *   HEBB    dw_i = sum_n y_ni x_n                                  (Hebb)
 *   INSTAR  dw_i = sum_n y_ni (x_n - w_i)                          (Grossberg's instar)
 *   OJA     dw_i = sum_n y_ni (x_n - y_ni w_i)                     (Oja)
 *   SANGER  dw_i = sum_n y_ni (x_n - sum_{j<=i} y_nj w_j)          (Sanger / generalised Hebbian)
 * </pre>
 *
 * In matrix form: Y^T X minus a decay term (diag(sum y) W, diag(sum y^2) W, tril(Y^T Y) W). The Y^T X
 * term is one convolution-shaped correlation ({@link PatchOps#correlate}); no per-patch work.
 */
public enum UpdateForm {
    HEBB,
    INSTAR,
    OJA,
    SANGER;

    /**
     * Above this many neurons, a fully connected Sanger update uses the blocked formulation; the
     * block width trades the cost of the diagonal blocks O*b*(N+K) against matrix-product size.
     */
    static final int SANGER_BLOCK = Integer.getInteger("hebbcnn.sangerBlock", 128);

    /** The aggregated update dW [O, C, kh, kw] for input x, activity y [B, O, H', W'], weights W. */
    public NDArray apply(NDArray x, NDArray y, NDArray w, Aggregation aggregation) {
        NDArray sum = this == SANGER ? sangerSum(x, y, w) : PatchOps.correlate(x, y, w.getShape());
        if (this == INSTAR) {
            sum = sum.sub(PatchOps.scaleRows(PatchOps.activitySums(y), w));
        } else if (this == OJA) {
            sum = sum.sub(PatchOps.scaleRows(PatchOps.activitySums(y.square()), w));
        }
        return aggregate(sum, y, aggregation);
    }

    /**
     * W <- W + lr * apply(x, y, W, aggregation), in place. Equal to the plain form, but a dense
     * layer gets cheaper paths: Sanger updates block by block (no O x K temporary), and
     * activity-weighted instar touches only the rows of neurons that were active in this batch
     * (at most N of them: with one winner per image, 64 of layer 5's 4096 neurons).
     */
    public void applyInPlace(NDArray x, NDArray y, NDArray w, Aggregation aggregation, float lr) {
        boolean dense = PatchOps.isFullyConnected(x, w);
        long o = w.getShape().get(0);
        if (dense && this == SANGER && aggregation == Aggregation.MEAN && useBlocked(x, y, w)) {
            long k = w.getShape().size() / o;
            sangerBlocked(x.reshape(PatchOps.patchCount(y), k), PatchOps.rows(y), w.reshape(o, k),
                    lr / PatchOps.patchCount(y), true, null);
            return;
        }
        if (dense && this == INSTAR && aggregation == Aggregation.ACTIVITY_WEIGHTED) {
            NDArray active = PatchOps.activitySums(y).gt(0f).nonzero().reshape(-1);
            if (active.size() * 2 < o) {
                instarActiveRows(x, y, w, active, lr);
                return;
            }
        }
        w.addi(apply(x, y, w, aggregation).muli(lr));
    }

    /** Activity-weighted instar on the active rows only: w_a += lr (sum_n y_na x_n / t_a - w_a). */
    private static void instarActiveRows(NDArray x, NDArray y, NDArray w, NDArray active, float lr) {
        long o = w.getShape().get(0);
        long n = PatchOps.patchCount(y);
        long k = w.getShape().size() / o;
        if (active.isEmpty()) {
            return;
        }
        NDIndex rows = new NDIndex("{}", active);
        NDArray ya = PatchOps.rows(y).get(new NDIndex(":, {}", active));
        NDArray totals = ya.sum(new int[] {0}).reshape(-1, 1);
        NDArray w2 = w.reshape(o, k);
        NDArray wa = w2.get(rows);
        NDArray target = ya.transpose().matMul(x.reshape(n, k)).div(totals);
        w2.set(rows, wa.add(target.sub(wa).muli(lr)));
    }

    static NDArray aggregate(NDArray sum, NDArray y, Aggregation aggregation) {
        if (aggregation == Aggregation.MEAN) {
            return sum.div(PatchOps.patchCount(y));
        }
        NDArray totals = PatchOps.activitySums(y);
        NDArray active = totals.gt(0f);
        // 1/total where the neuron was active, 0 elsewhere (division guarded against 0).
        NDArray inverse = active.toType(DataType.FLOAT32, false).div(totals.add(active.logicalNot()));
        return PatchOps.scaleRows(inverse, sum);
    }

    /** sum_n y_n x_n^T - tril(Y^T Y) W, choosing the cheaper exact formulation. */
    static NDArray sangerSum(NDArray x, NDArray y, NDArray w) {
        long o = w.getShape().get(0);
        long k = w.getShape().size() / o;
        long n = PatchOps.patchCount(y);
        boolean dense = PatchOps.isFullyConnected(x, w);
        // Direct: O^2 (N + K) multiply-adds for the decay term. Blocked (dense layers only):
        // about 2 N O K + O b (N + K), which wins when N is small against O (layer 5: N = 64, O = 4096).
        if (dense && useBlocked(x, y, w)) {
            return sangerBlocked(x.reshape(n, k), PatchOps.rows(y), w.reshape(o, k)).reshape(w.getShape());
        }
        NDArray rows = PatchOps.rows(y);
        NDArray decay = lowerTriangular(rows.transpose().matMul(rows)).matMul(w.reshape(o, k));
        return PatchOps.correlate(x, y, w.getShape()).sub(decay.reshape(w.getShape()));
    }

    /** Dense layers with many neurons and few patches (layer 5) take the blocked formulation. */
    static boolean useBlocked(NDArray x, NDArray y, NDArray w) {
        long o = w.getShape().get(0);
        long k = w.getShape().size() / o;
        long n = PatchOps.patchCount(y);
        // Direct: O^2 (N + K) multiply-adds for the decay term; blocked: about 2 N O K + O b (N + K).
        double direct = (double) o * o * (n + k);
        double blocked = 2.0 * n * o * k + (double) o * SANGER_BLOCK * (n + k);
        return o > SANGER_BLOCK && blocked < direct;
    }

    /** The blocked Sanger sum Y^T X - tril(Y^T Y) W for x [N, K], y [N, O], w [O, K], as [O, K]. */
    static NDArray sangerBlocked(NDArray x, NDArray y, NDArray w) {
        NDArray out = w.getManager().zeros(w.getShape(), w.getDataType());
        sangerBlocked(x, y, w, 1f, false, out);
        return out;
    }

    /**
     * Sanger for a dense layer by blocks of b neurons, as a handful of batched products (no Java
     * loop over blocks). With P_J = Y_J W_J the reconstruction by block J and S_I = sum_{J<=I} P_J
     * (a cumulative sum over blocks), block I's rows of Y^T X - tril(Y^T Y) W are
     * Y_I^T (X - S_I) + triu_strict(Y_I^T Y_I) W_I: the inclusive sum also subtracts the strictly
     * upper part of the block's own Gram matrix, which the last term puts back. Cost 2 N O K +
     * O b (N + K) multiply-adds instead of O^2 (N + K); memory (O / b) N K floats for the sums.
     * x [N, K], y [N, O], w [O, K]. Writes scale * (sum) into {@code out}, or adds it to w when
     * {@code inPlace} (all of it computed from the old weights first).
     */
    static void sangerBlocked(NDArray x, NDArray y, NDArray w, float scale, boolean inPlace, NDArray out) {
        long n = x.getShape().get(0);
        long k = x.getShape().get(1);
        long o = w.getShape().get(0);
        long b = SANGER_BLOCK;
        long padded = (o + b - 1) / b * b;
        NDArray yp = y;
        NDArray wp = w;
        if (padded != o) { // silent neurons (zero activity, zero weights) fill the last block
            NDManager m = w.getManager();
            yp = y.concat(m.zeros(new Shape(n, padded - o), y.getDataType()), 1);
            wp = w.concat(m.zeros(new Shape(padded - o, k), w.getDataType()), 0);
        }
        long blocks = padded / b;
        NDArray yBlocks = yp.reshape(n, blocks, b).transpose(1, 0, 2); // [nb, N, b]
        // The scale goes into the small [nb, b, N] factor, sparing a pass over the O x K result.
        NDArray yBlocksT = yBlocks.transpose(0, 2, 1).mul(scale); // [nb, b, N]
        NDArray wBlocks = wp.reshape(blocks, b, k); // [nb, b, K]
        NDArray residual = yBlocks.matMul(wBlocks).cumSum(0); // S_I, [nb, N, K]
        residual.negi().addi(x.reshape(1, n, k)); // X - S_I
        NDArray change = yBlocksT.matMul(residual);
        residual.close();
        NDArray gram = yBlocksT.matMul(yBlocks); // [nb, b, b]
        NDArray strictUpper = lowerTriangularMask(gram.get(0)).neg().add(1f);
        change.addi(gram.muli(strictUpper).matMul(wBlocks));
        NDArray sum = change.reshape(padded, k);
        if (padded != o) {
            sum = sum.get(new NDIndex("0:{}", o));
        }
        if (inPlace) {
            w.addi(sum);
        } else {
            out.set(new NDIndex(":"), sum);
        }
    }

    private static NDArray lowerTriangularMask(NDArray square) {
        long size = square.getShape().get(0);
        NDArray idx = square.getManager().arange(0, (int) size, 1, DataType.INT32);
        return idx.reshape(size, 1).gte(idx.reshape(1, size)).toType(square.getDataType(), false);
    }

    /** a with the part above the diagonal zeroed (keeps j <= i). */
    static NDArray lowerTriangular(NDArray a) {
        long size = a.getShape().get(0);
        NDManager m = a.getManager();
        NDArray idx = m.arange(0, (int) size, 1, DataType.INT32);
        NDArray mask = idx.reshape(size, 1).gte(idx.reshape(1, size));
        return a.mul(mask.toType(a.getDataType(), false));
    }
}
