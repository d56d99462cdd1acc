package org.hebbcnn.experiments;

import java.util.List;
import org.hebbcnn.config.MethodNames;
import org.hebbcnn.rules.Rules;

/**
 * What a layer-wise method names: a kind of network ({@link NetworkKind}) and, for a Hebbian
 * network, the rule its layers learn by unless the spec names their own. {@code bp} and {@code vae}
 * are kinds; every rule name ({@link Rules#NAMES}, the classifiers' SHC and CHL excepted) is a Hebbian network of that rule.
 * The name is also the method's folder and its label in tables.
 */
public record Method(String name, NetworkKind kind, String rule) {
    /** The method of {@code name}; unknown ones are refused, listing the known ({@link MethodNames}). */
    public static Method of(String name) {
        String n = MethodNames.check(name);
        return switch (n) {
            case "bp" -> new Method(n, NetworkKind.BACKPROP, null);
            case "vae" -> new Method(n, NetworkKind.VAE, null);
            default -> new Method(n, NetworkKind.HEBBIAN, n);
        };
    }

    /** Every method name: bp, vae and the Hebbian rules. */
    public static List<String> names() {
        return MethodNames.names();
    }
}
