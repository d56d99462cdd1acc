package org.hebbcnn.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hebbcnn.util.InputError;

/**
 * The candidate values of each hyperparameter, in order, as given by {@code --grid key=v1,v2,v3}.
 *
 * <p>Coordinate descent moves one index at a time, so the order of a key's values is its
 * neighbourhood: list them sorted ({@code lr=0.0001,0.001,0.01}), not shuffled. Keys keep the order
 * they were given in, which is also the order in which the search visits them, so the same specs
 * always give the same search. Values stay strings, exactly as typed, so that a point can be handed
 * back to the code that parses options and {@code 0.010} never silently becomes {@code 0.01}.
 */
public final class Grid {
    private final Map<String, List<String>> values; // unmodifiable, ordered

    private Grid(Map<String, List<String>> values) {
        if (values.isEmpty()) {
            throw new InputError("--grid: no hyperparameter given (expected --grid key=v1,v2,...)");
        }
        this.values = Collections.unmodifiableMap(values);
    }

    /** Parses {@code key=v1,v2,...} specs (one per key); blanks around values are dropped. */
    public static Grid parse(List<String> specs) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw bad(spec, "expected key=v1,v2,...");
            }
            List<String> list = new ArrayList<>();
            for (String v : spec.substring(eq + 1).split(",", -1)) {
                list.add(v.strip());
            }
            add(values, spec, spec.substring(0, eq).strip(), list);
        }
        return new Grid(values);
    }

    /** A grid from an ordered map, checked as {@link #parse} checks specs. */
    public static Grid of(Map<String, List<String>> grid) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        grid.forEach((k, vs) -> add(values, k + "=" + String.join(",", vs), k, vs));
        return new Grid(values);
    }

    private static void add(Map<String, List<String>> into, String spec, String key, List<String> list) {
        if (key.isEmpty() || key.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',' || c == '=')) {
            throw bad(spec, "the key must be a non-empty name without blanks, ',' or '='");
        }
        if (into.containsKey(key)) {
            throw bad(spec, "key '" + key + "' given twice (give all its values in one --grid)");
        }
        if (list.isEmpty() || list.size() == 1 && list.get(0).isEmpty()) {
            throw bad(spec, "no values for '" + key + "'");
        }
        Set<String> seen = new HashSet<>();
        for (String v : list) {
            if (v.isEmpty()) {
                throw bad(spec, "an empty value for '" + key + "'");
            }
            if (v.indexOf('=') >= 0 || v.indexOf(',') >= 0) {
                throw bad(spec, "value '" + v + "' contains '=' or ','; give each key its own --grid");
            }
            if (!seen.add(v)) {
                throw bad(spec, "value '" + v + "' listed twice for '" + key + "'");
            }
        }
        into.put(key, List.copyOf(list));
    }

    private static InputError bad(String spec, String why) {
        return new InputError("--grid \"" + spec + "\": " + why);
    }

    /** The keys, in search order. */
    public List<String> keys() {
        return List.copyOf(values.keySet());
    }

    /** The candidate values of {@code key}, in neighbourhood order. */
    public List<String> values(String key) {
        List<String> v = values.get(key);
        if (v == null) {
            throw new InputError("--grid: no hyperparameter '" + key + "' (grid has " + keys() + ")");
        }
        return v;
    }

    /** The whole grid as an unmodifiable ordered map. */
    public Map<String, List<String>> asMap() {
        return values;
    }

    /** The start point whose every key takes its value at {@code index}. */
    public Map<String, String> startAt(int index) {
        return start(Map.of(), index);
    }

    /**
     * The start point: the values in {@code given} (each must be in the grid), and for the keys it
     * leaves out, the value at {@code defaultIndex}.
     */
    public Map<String, String> start(Map<String, String> given, int defaultIndex) {
        for (String k : given.keySet()) {
            if (!values.containsKey(k)) {
                throw new InputError("start point: '" + k + "=" + given.get(k) + "' is not a --grid key (grid has " + keys() + ")");
            }
        }
        int[] idx = new int[values.size()];
        int i = 0;
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            String key = e.getKey();
            if (given.containsKey(key)) {
                idx[i] = indexOf(key, given.get(key), "start point");
            } else if (defaultIndex < 0 || defaultIndex >= e.getValue().size()) {
                throw new InputError("start point: '" + key + "' has " + e.getValue().size()
                        + " values, no index " + defaultIndex + "; give its start value");
            } else {
                idx[i] = defaultIndex;
            }
            i++;
        }
        return point(idx);
    }

    /** The index of every value of {@code point}, which must give exactly the grid's keys. */
    int[] indices(Map<String, String> point, String what) {
        if (!point.keySet().equals(values.keySet())) {
            throw new InputError(what + ": keys " + point.keySet() + " are not the grid's " + keys());
        }
        int[] idx = new int[values.size()];
        int i = 0;
        for (String key : values.keySet()) {
            idx[i++] = indexOf(key, point.get(key), what);
        }
        return idx;
    }

    private int indexOf(String key, String value, String what) {
        int j = values.get(key).indexOf(value);
        if (j < 0) {
            throw new InputError(what + ": " + key + "=" + value + " is not in the grid (" + key + " takes "
                    + String.join(",", values.get(key)) + ")");
        }
        return j;
    }

    /** The point (unmodifiable, in key order) at value indices {@code idx}. */
    Map<String, String> point(int[] idx) {
        Map<String, String> p = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            p.put(e.getKey(), e.getValue().get(idx[i++]));
        }
        return Collections.unmodifiableMap(p);
    }

    /** {@code lr=0.01 wd=0}: a point on one line, for progress messages. */
    public static String describe(Map<String, String> point) {
        StringBuilder b = new StringBuilder();
        point.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(String.join(",", v)));
        return b.toString();
    }
}
