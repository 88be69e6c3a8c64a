package io.vela.engine.actor;

import io.vela.engine.counters.CounterFactory;
import io.vela.engine.counters.CounterTypes;
import java.util.Objects;
import java.util.function.Consumer;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where messages go that reach no handler (see {@link DeadLetter#reason()}): counted, and shown to one optional
 * observer. Threads: any. Counting allocates nothing; a {@link DeadLetter} is allocated only while an observer is
 * set. The observer runs on the thread that dead-lettered the message (often a ring worker): keep it short; what
 * it throws is logged and ignored.
 */
public final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /** Counted by any thread (getAndAdd), in the runtime's counters file (or on the heap for a standalone system). */
    private final AtomicCounter count;
    private final AtomicCounter lateReplies;
    private volatile Consumer<? super DeadLetter> observer;

    DeadLetters(CounterFactory counters) {
        this.count = counters.newCounter(CounterTypes.ACTORS, "actors", "dead-letters");
        this.lateReplies = counters.newCounter(CounterTypes.ACTORS, "actors", "late-replies");
    }

    /** @return messages dead-lettered so far */
    public long count() {
        return count.get();
    }

    /** @return replies to an ask that had already completed (timed out or answered); also in {@link #count()} */
    public long lateReplies() {
        return lateReplies.get();
    }

    /**
     * @param observer sees every later dead letter; replaces the previous one
     */
    public void observe(Consumer<? super DeadLetter> observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** Removes the observer. */
    public void stopObserving() {
        this.observer = null;
    }

    void publish(ActorPath recipient, Object message, String reason) {
        count.getAndAdd(1L);
        if ("late-reply".equals(reason)) {
            lateReplies.getAndAdd(1L);
        }
        Consumer<? super DeadLetter> o = observer;
        if (o != null) {
            try {
                o.accept(new DeadLetter(recipient, message, reason));
            } catch (Throwable e) { // an Error too: it runs inside actors' stops, which must complete
                LOG.warn("Dead-letter observer threw", e);
            }
        }
    }
}
