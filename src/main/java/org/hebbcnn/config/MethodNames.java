package org.hebbcnn.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.util.InputError;

/**
 * The names {@code --methods} accepts: {@code bp}, {@code vae} and every hidden-layer rule (a
 * Hebbian network of that rule). What each name builds is {@code experiments.Method}'s business.
 */
public final class MethodNames {
    private MethodNames() {}

    /** Every method name: bp, vae and the Hebbian rules. */
    public static List<String> names() {
        List<String> all = new ArrayList<>(List.of("bp", "vae"));
        all.addAll(Rules.hiddenRules());
        return all;
    }

    /** {@code name} trimmed and lower-cased; unknown names are refused, listing the known. */
    public static String check(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (!names().contains(n)) {
            throw new InputError("--methods: unknown method '" + name + "' (known: " + String.join(",", names()) + ")");
        }
        return n;
    }
}
