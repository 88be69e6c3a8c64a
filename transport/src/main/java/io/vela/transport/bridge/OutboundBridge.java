package io.vela.transport.bridge;

import io.vela.engine.OfferResult;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.event.EventBus;
import io.vela.engine.event.SubscriptionBuilder;
import io.vela.engine.event.Subscription;
import io.vela.transport.MessageSink;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a bus subscription's events to a {@link MessageSink}, applying an overflow policy where the two meet:
 * {@code fail-fast} drops an event the sink has no room for at once, {@code block-timeout} retries for the block
 * timeout then drops it, {@code block} retries until the sink takes it or the bridge closes (holding the bus's
 * consumer thread, so the bus's own overflow policy then applies to publishers; a wait also ends, the event
 * counted dropped, when the bus interrupts its consumer thread, as its shutdown does past its deadline). Every event
 * is forwarded or counted dropped ({@link #droppedCount()}), also one the sink throws on; a
 * {@linkplain Builder#lossy() lossy} bridge also lets the bus skip events it cannot keep up with (counted in the
 * subscription's stats).
 *
 * <p>Threads: the sink is called on the bus's consumer thread for the subscription. Allocation: none per event
 * beyond the sink's.
 */
public final class OutboundBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundBridge.class);
    private final MessageSink sink;
    private final OverflowPolicy policy;
    private final long blockTimeoutNanos;
    private final IdleStrategy backoff = new BackoffIdleStrategy(10, 20, 1_000, 100_000);
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closed;
    private Subscription subscription;

    private OutboundBridge(MessageSink sink, OverflowPolicy policy, Duration blockTimeout) {
        this.sink = sink;
        this.policy = policy;
        this.blockTimeoutNanos = blockTimeout.toNanos();
    }

    private void forward(Object event) {
        long deadline = policy == OverflowPolicy.BLOCK_TIMEOUT ? System.nanoTime() + blockTimeoutNanos : 0;
        backoff.reset();
        while (true) {
            OfferResult r;
            try {
                r = sink.offer(event);
            } catch (RuntimeException e) {
                // e.g. a type the sink's codec does not know, or a record too long for the ring: counted, not lost
                dropped.lazySet(dropped.get() + 1);
                if (failed.getAndIncrement() == 0) {
                    LOG.warn("the sink refused a {} (later failures are logged at debug)", event.getClass().getName(),
                            e);
                } else {
                    LOG.debug("the sink refused a {}: {}", event.getClass().getName(), e.toString());
                }
                return;
            }
            if (r == OfferResult.ACCEPTED) {
                forwarded.lazySet(forwarded.get() + 1);
                return;
            }
            if (r == OfferResult.CLOSED || closed || policy == OverflowPolicy.FAIL_FAST
                    || (policy == OverflowPolicy.BLOCK_TIMEOUT && System.nanoTime() - deadline > 0)) {
                dropped.lazySet(dropped.get() + 1);
                return;
            }
            if (Thread.currentThread().isInterrupted()) {
                // the bus halts its consumers by interrupting them: give the event up (counted), leave the flag
                dropped.lazySet(dropped.get() + 1);
                return;
            }
            backoff.idle();
        }
    }

    /** @return events the sink accepted */
    public long forwardedCount() {
        return forwarded.get();
    }

    /**
     * @return events the sink refused (full past the policy, closed, or threw: e.g. a type its codec does not know),
     *         plus those a lossy subscription skipped
     */
    public long droppedCount() {
        return dropped.get() + subscription.stats().dropped();
    }

    /** @return the bus subscription that feeds the bridge */
    public Subscription subscription() {
        return subscription;
    }

    /** Stops forwarding: events published after this call are not forwarded; a blocked forward gives up. */
    @Override
    public void close() {
        closed = true;
        subscription.close();
    }

    /**
     * Builds an {@link OutboundBridge}.
     *
     * @param <E> the event type
     */
    public static final class Builder<E> {
        private final EventBus bus;
        private final Class<E> type;
        private final MessageSink sink;
        private OverflowPolicy overflow = OverflowPolicy.BLOCK_TIMEOUT;
        private Duration blockTimeout = Duration.ofSeconds(1);
        private boolean lossy;
        private String name;

        Builder(EventBus bus, Class<E> type, MessageSink sink) {
            this.bus = bus;
            this.type = type;
            this.sink = sink;
        }

        /**
         * @param policy {@code block}, {@code block-timeout} (default) or {@code fail-fast}
         * @return this builder
         */
        public Builder<E> overflow(OverflowPolicy policy) {
            Objects.requireNonNull(policy, "policy");
            if (policy == OverflowPolicy.CALLER_RUNS) {
                throw new IllegalArgumentException("overflow = caller-runs is invalid for a bridge; valid: block, "
                        + "block-timeout, fail-fast");
            }
            this.overflow = policy;
            return this;
        }

        /**
         * @param timeout how long {@code block-timeout} retries a full sink; in [1 ms, 1 h] (default 1 s)
         * @return this builder
         */
        public Builder<E> blockTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("blockTimeout = " + timeout + " is invalid; valid: a duration in "
                        + "[1 ms, 1 h]");
            }
            this.blockTimeout = timeout;
            return this;
        }

        /** @return this builder, subscribing lossy: the bus skips (and counts) what the bridge cannot keep up with */
        public Builder<E> lossy() {
            this.lossy = true;
            return this;
        }

        /**
         * @param name the subscription's name, in stats and logs
         * @return this builder
         */
        public Builder<E> name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** @return the running bridge */
        public OutboundBridge start() {
            OutboundBridge bridge = new OutboundBridge(sink, overflow, blockTimeout);
            SubscriptionBuilder<E> sub = bus.subscriber(type).name(name != null ? name
                    : "bridge-out-" + type.getSimpleName());
            if (lossy) {
                sub = sub.lossy();
            }
            bridge.subscription = sub.subscribe(bridge::forward);
            return bridge;
        }
    }
}
