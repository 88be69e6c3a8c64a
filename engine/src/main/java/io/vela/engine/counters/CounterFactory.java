package io.vela.engine.counters;

import java.util.Objects;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Where an owner (a topic, a subscription, a channel, the actor system, the blocking pool) gets the counters it
 * writes on its hot path: a runtime's {@link VelaCounters} (the counters file) or, for things made without a runtime,
 * the Java heap. Either way the owner writes an {@link AtomicCounter} the same way, so there is one code path.
 *
 * <p>Threads: any thread may call {@link #newCounter}, and {@link #free} (they are called when an
 * owner is made or goes away, never per operation). Allocates the counter object (and, on the heap, its 128-byte
 * buffer).
 */
public interface CounterFactory {
    /**
     * @param typeId one of {@link CounterTypes}
     * @param name   the owner's name
     * @param metric what it counts, without spaces
     * @return a new counter at 0
     */
    AtomicCounter newCounter(int typeId, String name, String metric);

    /**
     * Gives a counter's slot back: another owner may get it once the runtime's {@code counters.reuse-ms} has passed
     * (until then a late write through {@code counter} reaches no other owner). Idempotent.
     *
     * @param counter a counter from {@link #newCounter}
     */
    void free(AtomicCounter counter);

    /** @return a factory of heap counters, seen by no other process (for things made without a runtime) */
    static CounterFactory heap() {
        return Heap.INSTANCE;
    }

    /**
     * @param counters a runtime's counters
     * @return a factory allocating from them
     */
    static CounterFactory of(VelaCounters counters) {
        Objects.requireNonNull(counters, "counters");
        return new CounterFactory() {
            @Override
            public AtomicCounter newCounter(int typeId, String name, String metric) {
                return counters.newCounter(typeId, name, metric);
            }

            @Override
            public void free(AtomicCounter counter) {
                counters.free(counter);
            }
        };
    }

    /** @return a counter at 0 in a 128-byte heap buffer of its own (no false sharing with its neighbours) */
    static AtomicCounter heapCounter() {
        return new AtomicCounter(new UnsafeBuffer(new byte[CountersLayout.VALUE_PER_COUNTER]), 0);
    }

    /** Heap counters. */
    enum Heap implements CounterFactory {
        INSTANCE;

        @Override
        public AtomicCounter newCounter(int typeId, String name, String metric) {
            return heapCounter();
        }

        @Override
        public void free(AtomicCounter counter) {
            // garbage-collected
        }

    }
}
