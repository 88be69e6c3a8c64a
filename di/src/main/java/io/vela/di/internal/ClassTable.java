package io.vela.di.internal;

import java.util.Map;

/**
 * Immutable open-addressing identity map from {@link Class} to {@link Node}, built once. Any thread may read it;
 * a lookup is a hash, a mask and one or two array reads, and allocates nothing.
 */
final class ClassTable {
    private final Class<?>[] keys;
    private final Node[] values;
    private final int mask;

    ClassTable(Map<Class<?>, Node> entries) {
        int cap = Integer.highestOneBit(Math.max(4, entries.size() * 4) - 1) << 1;
        keys = new Class<?>[cap];
        values = new Node[cap];
        mask = cap - 1;
        for (Map.Entry<Class<?>, Node> e : entries.entrySet()) {
            int i = spread(e.getKey().hashCode()) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = e.getKey();
            values[i] = e.getValue();
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    Node get(Class<?> type) {
        Class<?>[] ks = keys;
        int i = spread(type.hashCode()) & mask;
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
}
