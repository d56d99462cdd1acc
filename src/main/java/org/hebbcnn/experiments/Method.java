package org.hebbcnn.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hebbcnn.rules.Rules;
import org.hebbcnn.util.InputError;

/**
 * What a layer-wise method names: a kind of network ({@link NetworkKind}) and, for a Hebbian
 * network, the rule its layers learn by unless the spec names their own. {@code bp} and {@code vae}
 * are kinds; every rule name ({@link Rules#NAMES}, the classifiers' SHC and CHL excepted) is a Hebbian network of that rule.
 * The name is also the method's folder and its label in tables.
 */
public record Method(String name, NetworkKind kind, String rule) {
    /** The method of {@code name}; unknown ones are refused, listing the known. */
    public static Method of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("bp")) {
            return new Method(n, NetworkKind.BACKPROP, null);
        }
        if (n.equals("vae")) {
            return new Method(n, NetworkKind.VAE, null);
        }
        if (Rules.isRule(n) && !Rules.isClassifierRule(n)) {
            return new Method(n, NetworkKind.HEBBIAN, n);
        }
        throw new InputError("--methods: unknown method '" + name + "' (known: " + String.join(",", names()) + ")");
    }

    /** Every method name: bp, vae and the Hebbian rules. */
    public static List<String> names() {
        List<String> all = new ArrayList<>(List.of("bp", "vae"));
        all.addAll(Rules.hiddenRules());
        return all;
    }
}
