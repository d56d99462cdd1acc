package org.hebbcnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import org.hebbcnn.util.Djl;
import java.util.Map;

/**
 * One block of a network trained by gradient (DJL's Block idea, kept tiny): named
 * {@link Parameter}s, each with its momentum buffer and trainable flag, and named non-trainable
 * state (batch-norm running statistics). Its owner computes the forward pass; the module gives
 * what every such owner needs alike: the optimiser step, the finiteness check, scoping of its
 * arrays into a call's manager, and the names under which {@link ModuleFile} saves them.
 *
 * <p>The arrays live in the manager given to the constructor (the owner's), which the owner closes.
 */
public final class Module {
    private final NDManager manager;
    private final String name;
    private final List<Parameter> parameters = new ArrayList<>();
    private final Map<String, NDArray> state = new LinkedHashMap<>();

    /** @param name what messages call the module, e.g. {@code layer 3} or {@code dec.deconv4} */
    public Module(NDManager manager, String name) {
        this.manager = manager;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** A new trainable parameter of zeros, with a zero momentum buffer. */
    public Parameter parameter(String arrayName, Shape shape) {
        Parameter p = new Parameter(arrayName, manager.zeros(shape), manager.zeros(shape));
        parameters.add(p);
        return p;
    }

    /** A new non-trainable array of zeros (e.g. a running mean). */
    public NDArray state(String arrayName, Shape shape) {
        NDArray a = manager.zeros(shape);
        state.put(arrayName, a);
        return a;
    }

    public List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    /** Freezes or unfreezes every parameter. */
    public void setTrainable(boolean trainable) {
        for (Parameter p : parameters) {
            p.setTrainable(trainable);
        }
    }

    /** Whether any parameter is trainable. */
    public boolean trainable() {
        return parameters.stream().anyMatch(Parameter::trainable);
    }

    /** One optimiser step of every trainable parameter (gradients zeroed after). */
    public void step(Optimizer optimizer) {
        optimizer.beginStep();
        for (Parameter p : parameters) {
            p.step(optimizer);
        }
    }

    /** Sets every momentum buffer to zero (set, not multiplied: NaN * 0 would stay NaN). */
    public void clearMomentum() {
        for (Parameter p : parameters) {
            Djl.assign(p.velocity(), new float[Math.toIntExact(p.velocity().size())]);
        }
    }

    /** Every array: parameter values, state, momentum buffers. */
    public List<NDArray> arrays() {
        List<NDArray> all = new ArrayList<>();
        parameters.forEach(p -> all.add(p.value()));
        all.addAll(state.values());
        parameters.forEach(p -> all.add(p.velocity()));
        return all;
    }

    /**
     * Every array under its file name, in file order: parameters, state, then the momentum buffers
     * as {@code momentum.<parameter>} (the order the networks' files have always had).
     */
    public Map<String, NDArray> named() {
        Map<String, NDArray> m = new LinkedHashMap<>();
        parameters.forEach(p -> m.put(p.name(), p.value()));
        m.putAll(state);
        parameters.forEach(p -> m.put("momentum." + p.name(), p.velocity()));
        return m;
    }

    /** Attaches every array to {@code scope} until it closes (a call's temporaries then die with it). */
    public void attach(NDManager scope) {
        for (NDArray a : arrays()) {
            a.tempAttach(scope);
        }
    }

    /** Whether every parameter, state array and momentum buffer is free of NaN and infinity. */
    public boolean finite() {
        try (NDManager scope = manager.newSubManager()) {
            for (NDArray a : arrays()) {
                a.tempAttach(scope);
                if (a.isNaN().any().getBoolean() || a.isInfinite().any().getBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }
}
