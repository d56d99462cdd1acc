package org.hebbcnn.rules;

import java.util.List;
import java.util.function.Supplier;
import org.hebbcnn.util.InputError;

/** Rules by name, for the command line and configuration files. */
public final class Rules {
    public static final List<String> NAMES = List.of("hpca", "sanger", "hwta", "som", "shc", "hebb", "instar", "oja");

    private Rules() {}

    /** A factory for the named rule with the paper's (or the rule's default) settings. */
    public static Supplier<PlasticityRule> byName(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "hpca": return Hpca::new;
            case "sanger": return () -> new Hpca(Activation.LINEAR);
            case "hwta": return Hwta::new;
            case "som": return () -> new Som(8, 12);
            case "shc": return Shc::new;
            case "hebb": return PlainHebb::new;
            case "instar": return Instar::new;
            case "oja": return Oja::new;
            default: throw new InputError("unknown rule '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
    }
}
