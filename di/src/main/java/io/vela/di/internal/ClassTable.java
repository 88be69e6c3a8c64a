package io.vela.di.internal;

import java.util.Map;

/**
 * Immutable open-addressing identity map from {@link Class} to {@link Node}, built once. Any thread may read it;
 * a lookup is a hash, a mask and one or two array reads, and allocates nothing.
 */
final class ClassTable {
    final Class<?>[] keys;
    final Node[] values;

    ClassTable(Map<Class<?>, Node> entries) {
        int cap = Integer.highestOneBit(Math.max(4, entries.size() * 4) - 1) << 1;
        keys = new Class<?>[cap];
        values = new Node[cap];
        int mask = cap - 1;
        for (Map.Entry<Class<?>, Node> e : entries.entrySet()) {
            int i = e.getKey().hashCode() & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = e.getKey();
            values[i] = e.getValue();
        }
    }

    /**
     * Class does not override hashCode: its identity hash is random in its low bits, so no spreading is needed.
     * Static over the two arrays, so that callers holding them in their own fields save one indirection.
     */
    static Node get(Class<?>[] ks, Node[] values, Class<?> type) {
        int mask = ks.length - 1;
        int i = type.hashCode() & mask;
        while (true) {
            Class<?> k = ks[i];
            if (k == type) {
                return values[i];
            }
            if (k == null) {
                return null;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Swaps a node for an equivalent faster one (a tiered-up factory); readers see either, both correct.
     *
     * @param old         the node in the table
     * @param replacement its replacement (all fields final, so safely published by a plain write)
     */
    void replace(Node old, Node replacement) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == old) {
                values[i] = replacement;
            }
        }
    }
}
