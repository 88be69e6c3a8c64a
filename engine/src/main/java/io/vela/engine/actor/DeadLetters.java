package io.vela.engine.actor;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong lateReplies = new AtomicLong();
    private volatile Consumer<? super DeadLetter> observer;

    DeadLetters() {
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
        count.incrementAndGet();
        if ("late-reply".equals(reason)) {
            lateReplies.incrementAndGet();
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
