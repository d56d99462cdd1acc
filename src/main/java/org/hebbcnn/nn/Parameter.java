package org.hebbcnn.nn;

import ai.djl.ndarray.NDArray;

/**
 * A trainable array under its state_dict name, with the momentum buffer its optimiser keeps (saved
 * beside it as {@code momentum.<name>}, so training resumed from a file is bit-identical) and a
 * trainable flag: a frozen parameter records no gradient and gets no update.
 */
public final class Parameter {
    private final String name;
    private final NDArray value;
    private final NDArray velocity;
    private boolean trainable = true;

    Parameter(String name, NDArray value, NDArray velocity) {
        this.name = name;
        this.value = value;
        this.velocity = velocity;
        value.setRequiresGradient(true);
    }

    public String name() {
        return name;
    }

    /** The live array; owned by its module: read or set it, do not close it. */
    public NDArray value() {
        return value;
    }

    public NDArray velocity() {
        return velocity;
    }

    public boolean trainable() {
        return trainable;
    }

    public void setTrainable(boolean value) {
        trainable = value;
        this.value.setRequiresGradient(value);
    }

    /** One optimiser step from the gradient autograd left in the value, if trainable. */
    public void step(Optimizer optimizer) {
        if (trainable) {
            optimizer.update(this);
        }
    }
}
