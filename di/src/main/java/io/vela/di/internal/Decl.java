package io.vela.di.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import io.vela.di.Key;
import io.vela.di.Lifetime;

/** One binding as declared by a module, before analysis. Build time only. */
final class Decl {
    enum Kind { SELF, CLASS, INSTANCE, SUPPLIER, FUNCTION }

    final Key<?> key;
    final String origin;
    Kind kind = Kind.SELF;
    Class<?> impl;
    Object instance;
    Supplier<?> supplier;
    List<Key<?>> fnDeps = List.of();
    Function<Object[], Object> fn;
    Lifetime lifetime;
    boolean eager;
    final List<String> targets = new ArrayList<>(1);

    Decl(Key<?> key, String origin) {
        this.key = key;
        this.origin = origin;
    }

    void target(Kind k) {
        kind = k;
    }

    /** Records the target just set, so that a binding given two targets can be reported with both. */
    void targetSet() {
        targets.add(describe());
    }

    String misuse() {
        if (targets.size() < 2) {
            return null;
        }
        return "Binding for " + key + " (in " + origin + ") has " + targets.size() + " targets: "
                + String.join(", ", targets) + "; keep one";
    }

    String describe() {
        switch (kind) {
            case SELF: return "its own constructor";
            case CLASS: return "to " + Types.toString(impl);
            case INSTANCE: return "an instance of " + Types.toString(instance.getClass());
            case SUPPLIER: return "a provider function";
            default: return "a provider function of " + fnDeps;
        }
    }
}
