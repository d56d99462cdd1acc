package org.hebbcnn.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.hebbcnn.tensors.PatchOps;

/**
 * Self-organising map kernels (the slides' SOM): HWTA whose neurons sit on a rows x cols map. At
 * each position the winner and its map neighbours learn, neighbour i weighted by
 * exp(-d(winner, i)^2 / (2 sigma^2)), d the Euclidean distance on the map; each neuron moves to
 * the weighted mean of its patches. sigma shrinks geometrically from sigmaStart to sigmaEnd as
 * training progresses ({@link #setProgress}).
 */
public final class Som extends ActivityRule {
    private final int rows;
    private final int cols;
    private final double sigmaStart;
    private final double sigmaEnd;
    private double sigma;

    public Som(int rows, int cols) {
        this(rows, cols, Math.max(rows, cols) / 4.0, 0.3);
    }

    public Som(int rows, int cols, double sigmaStart, double sigmaEnd) {
        super(UpdateForm.INSTAR, Aggregation.ACTIVITY_WEIGHTED);
        if (rows < 1 || cols < 1 || sigmaStart <= 0 || sigmaEnd <= 0) {
            throw new IllegalArgumentException("SOM needs a positive map size and widths");
        }
        this.rows = rows;
        this.cols = cols;
        this.sigmaStart = sigmaStart;
        this.sigmaEnd = sigmaEnd;
        this.sigma = sigmaStart;
    }

    /** Winner-take-all: the reference whitens its input (ZCA). */
    @Override
    public boolean wantsWhitenedInput() {
        return true;
    }

    @Override
    public String name() {
        return "som";
    }

    public double sigma() {
        return sigma;
    }

    @Override
    public void setProgress(double fraction) {
        double t = Math.max(0, Math.min(1, fraction));
        sigma = sigmaStart * Math.pow(sigmaEnd / sigmaStart, t);
    }

    @Override
    public NDArray activity(RuleInput in) {
        long o = in.weights().getShape().get(0);
        if (o != (long) rows * cols) {
            throw new IllegalArgumentException("SOM map " + rows + "x" + cols + " needs " + rows * cols + " neurons, layer has " + o);
        }
        NDArray winners = Competition.winner(in.weights(), in.preActivation());
        // Each patch's one-hot winner row times the neighbourhood matrix G[c, i].
        NDArray spread = PatchOps.rows(winners).matMul(neighbourhood(in.weights().getManager()));
        return PatchOps.unrows(spread, in.preActivation().getShape());
    }

    /** G[c, i] = exp(-d(c, i)^2 / (2 sigma^2)) over the map, [O, O]. */
    NDArray neighbourhood(NDManager manager) {
        int o = rows * cols;
        float[] g = new float[o * o];
        double twoSigmaSq = 2 * sigma * sigma;
        for (int c = 0; c < o; c++) {
            for (int i = 0; i < o; i++) {
                double dr = c / cols - i / cols;
                double dc = c % cols - i % cols;
                g[c * o + i] = (float) Math.exp(-(dr * dr + dc * dc) / twoSigmaSq);
            }
        }
        return manager.create(g, new Shape(o, o)).toType(DataType.FLOAT32, false);
    }

    @Override
    public OutputFunction defaultOutput() {
        return OutputFunction.RELU_NORMALIZED;
    }
}
