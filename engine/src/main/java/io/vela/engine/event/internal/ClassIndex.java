package io.vela.engine.event.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-consumer cache from an event's class to the subscriptions whose type matches it, so that type dispatch costs
 * one identity-hash probe per event instead of an {@code isAssignableFrom} per subscription. Rebuilt lazily when
 * the topic's {@link Snapshot} changes.
 *
 * <p>Owned by one consumer thread (not thread-safe). Allocates only on a miss: the first event of a class after a
 * subscription change.
 */
final class ClassIndex {
    /** Matching subscriptions for one class: those of this consumer, and those of the whole topic. */
    static final class Entry {
        final Subscriber[] local;
        final Subscriber[] global;

        Entry(Subscriber[] local, Subscriber[] global) {
            this.local = local;
            this.global = global;
        }
    }

    private Class<?>[] keys = new Class<?>[16];
    private Entry[] values = new Entry[16];
    private int size;
    private Snapshot builtFor;

    /**
     * @param type  the event's class
     * @param snap  the topic's current snapshot
     * @param local this consumer's subscriptions in {@code snap}
     * @return the matching subscriptions
     */
    Entry lookup(Class<?> type, Snapshot snap, Subscriber[] local) {
        if (snap != builtFor) {
            clear();
            builtFor = snap;
        }
        int mask = keys.length - 1;
        int i = System.identityHashCode(type) & mask;
        while (true) {
            Class<?> k = keys[i];
            if (k == type) {
                return values[i];
            }
            if (k == null) {
                break;
            }
            i = (i + 1) & mask;
        }
        Entry e = new Entry(matching(type, local), matching(type, snap.all));
        put(type, e);
        return e;
    }

    private static Subscriber[] matching(Class<?> type, Subscriber[] subs) {
        List<Subscriber> m = new ArrayList<>();
        for (Subscriber s : subs) {
            if (s.matchesType(type)) {
                m.add(s);
            }
        }
        return m.isEmpty() ? Snapshot.NONE : m.toArray(Subscriber[]::new);
    }

    private void put(Class<?> type, Entry e) {
        if ((size + 1) * 2 > keys.length) {
            Class<?>[] oldK = keys;
            Entry[] oldV = values;
            keys = new Class<?>[oldK.length * 2];
            values = new Entry[oldK.length * 2];
            size = 0;
            for (int j = 0; j < oldK.length; j++) {
                if (oldK[j] != null) {
                    insert(oldK[j], oldV[j]);
                }
            }
        }
        insert(type, e);
    }

    private void insert(Class<?> type, Entry e) {
        int mask = keys.length - 1;
        int i = System.identityHashCode(type) & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = type;
        values[i] = e;
        size++;
    }

    private void clear() {
        java.util.Arrays.fill(keys, null);
        java.util.Arrays.fill(values, null);
        size = 0;
    }
}
