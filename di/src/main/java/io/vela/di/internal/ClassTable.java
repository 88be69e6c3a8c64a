package io.vela.di.internal;

import java.util.Map;

/**
 * Immutable open-addressing identity map from {@link Class} to {@link Node}, built once. Any thread may read it;
 * a lookup is a hash, a mask and one or two array reads, and allocates nothing.
 */
final class ClassTable {
    final Class<?>[] keys;
    final Node[] values;
    /** Ready instances per slot (singletons once created, instance bindings), read with acquire; else null. */
    final Object[] instances;

    ClassTable(Map<Class<?>, Node> entries) {
        int cap = Integer.highestOneBit(Math.max(4, entries.size() * 4) - 1) << 1;
        keys = new Class<?>[cap];
        values = new Node[cap];
        instances = new Object[cap];
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
     * Lookup with the ready-instance shortcut: an existing singleton is returned from {@link #instances} without
     * touching its node.
     *
     * @return the instance, or {@link #MISSING} if the class is not in the table
     */
    static Object resolve(Class<?>[] ks, Node[] values, Object[] instances, Class<?> type, ScopeImpl scope) {
        int mask = ks.length - 1;
        int i = type.hashCode() & mask;
        while (true) {
            Class<?> k = ks[i];
            if (k == type) {
                Object ready = Nodes.SLOTS.getAcquire(instances, i);
                return ready != null ? ready : values[i].get(scope);
            }
            if (k == null) {
                return MISSING;
            }
            i = (i + 1) & mask;
        }
    }

    static final Object MISSING = new Object();

    /** @return the slots holding this node */
    int[] slotsOf(Node node) {
        int n = 0;
        for (Node v : values) {
            n += v == node ? 1 : 0;
        }
        int[] out = new int[n];
        n = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == node) {
                out[n++] = i;
            }
        }
        return out;
    }

    /** Publishes a ready instance into its slots. */
    void publish(int[] slots, Object instance) {
        for (int slot : slots) {
            Nodes.SLOTS.setRelease(instances, slot, instance);
        }
    }

    /** Forgets every ready instance (on close), so lookups go back to the nodes. */
    void clearInstances() {
        for (int i = 0; i < instances.length; i++) {
            Nodes.SLOTS.setRelease(instances, i, null);
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
