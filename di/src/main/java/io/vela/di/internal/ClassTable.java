package io.vela.di.internal;

import java.util.Map;

/**
 * Open-addressing identity map from {@link Class} to {@link Node}, built once. One {@code Object[]} interleaves each
 * key with the ready instance of its binding ({@code [key0, ready0, key1, ready1, …]}: a created singleton or an
 * instance binding, else {@code null}), so an existing singleton is found with a hash, a mask, and two reads of the
 * same cache line. The nodes sit in a parallel array, read only when no instance is ready.
 *
 * <p>Any thread may read it; lookups allocate nothing. Ready instances are published with release stores and read
 * with acquire loads; tier-up swaps a node for an equivalent one with a plain store (all its fields are final).
 */
final class ClassTable {
    /** {@code [key, ready instance]} pairs, {@code 2 * capacity} long. */
    final Object[] pairs;
    /** Nodes by slot. */
    final Node[] nodes;

    static final Object MISSING = new Object();

    ClassTable(Map<Class<?>, Node> entries) {
        int cap = Integer.highestOneBit(Math.max(4, entries.size() * 4) - 1) << 1;
        pairs = new Object[cap * 2];
        nodes = new Node[cap];
        int mask = cap - 1;
        for (Map.Entry<Class<?>, Node> e : entries.entrySet()) {
            int i = e.getKey().hashCode() & mask;
            while (pairs[i << 1] != null) {
                i = (i + 1) & mask;
            }
            pairs[i << 1] = e.getKey();
            nodes[i] = e.getValue();
        }
    }

    /**
     * Class does not override hashCode: its identity hash is random in its low bits, so no spreading is needed.
     *
     * @return the node, or {@code null}
     */
    static Node get(Object[] pairs, Node[] nodes, Class<?> type) {
        int mask = (pairs.length >> 1) - 1;
        int i = type.hashCode() & mask;
        while (true) {
            Object k = pairs[i << 1];
            if (k == type) {
                return nodes[i];
            }
            if (k == null) {
                return null;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Lookup with the ready-instance shortcut: an existing singleton is returned without touching its node.
     * Static over the arrays, so that callers holding them in their own fields save one indirection.
     *
     * @return the instance, or {@link #MISSING} if the class is not in the table
     */
    static Object resolve(Object[] pairs, Node[] nodes, Class<?> type, ScopeImpl scope) {
        int mask = (pairs.length >> 1) - 1;
        int i = type.hashCode() & mask;
        while (true) {
            Object k = pairs[i << 1];
            if (k == type) {
                Object ready = Nodes.SLOTS.getAcquire(pairs, (i << 1) + 1);
                return ready != null ? ready : nodes[i].get(scope);
            }
            if (k == null) {
                return MISSING;
            }
            i = (i + 1) & mask;
        }
    }

    /** @return the slots holding this node */
    int[] slotsOf(Node node) {
        int n = 0;
        for (Node v : nodes) {
            n += v == node ? 1 : 0;
        }
        int[] out = new int[n];
        n = 0;
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] == node) {
                out[n++] = i;
            }
        }
        return out;
    }

    /** Publishes a ready instance into its slots. */
    void publish(int[] slots, Object instance) {
        for (int slot : slots) {
            Nodes.SLOTS.setRelease(pairs, (slot << 1) + 1, instance);
        }
    }

    /** Forgets every ready instance (on close), so lookups go back to the nodes. */
    void clearInstances() {
        for (int i = 1; i < pairs.length; i += 2) {
            Nodes.SLOTS.setRelease(pairs, i, null);
        }
    }

    /**
     * Swaps a node for an equivalent faster one (a tiered-up factory); readers see either, both correct.
     *
     * @param old         the node in the table
     * @param replacement its replacement (all fields final, so safely published by a plain write)
     */
    void replace(Node old, Node replacement) {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] == old) {
                nodes[i] = replacement;
            }
        }
    }
}
