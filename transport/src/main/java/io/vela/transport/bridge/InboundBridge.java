package io.vela.transport.bridge;

import io.vela.engine.OfferResult;
import io.vela.engine.RingRejectedException;
import io.vela.engine.event.EventBus;
import io.vela.transport.MessagePump;
import io.vela.transport.MessageSource;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what a {@link MessageSource} delivers into the event bus as object events (default topic, routed by
 * type), on a thread of its own. By default each publish follows the bus's overflow policy ({@code events.overflow}):
 * under {@code block} a full topic holds the bridge, and so the source (a cross-process ring then fills and its
 * writers see {@code FULL}); a refusal is counted dropped. A {@linkplain Builder#lossy() lossy} bridge uses
 * {@code tryPublish} and drops (and counts) what a full topic refuses.
 *
 * <p>Threads: the source is polled on the bridge's thread only. Allocation: what the source's decode allocates.
 */
public final class InboundBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InboundBridge.class);

    private final EventBus bus;
    private final boolean lossy;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private MessagePump pump;

    private InboundBridge(EventBus bus, boolean lossy) {
        this.bus = bus;
        this.lossy = lossy;
    }

    private void publish(Object message) {
        if (lossy) {
            OfferResult r = bus.tryPublish(message);
            if (r.accepted()) {
                published.lazySet(published.get() + 1);
            } else {
                dropped.lazySet(dropped.get() + 1);
            }
            return;
        }
        try {
            bus.publish(message);
            published.lazySet(published.get() + 1);
        } catch (RingRejectedException e) {
            dropped.lazySet(dropped.get() + 1);
            LOG.debug("the bus refused a {} from the transport: {}", message.getClass().getName(), e.getMessage());
        }
    }

    /** @return messages published into the bus */
    public long publishedCount() {
        return published.get();
    }

    /** @return messages the bus refused (full under its policy, or closed) */
    public long droppedCount() {
        return dropped.get();
    }

    /** Stops the bridge's thread after the message in hand. Idempotent. */
    @Override
    public void close() {
        pump.close();
    }

    /** Builds an {@link InboundBridge}. */
    public static final class Builder {
        private final MessageSource source;
        private final EventBus bus;
        private boolean lossy;
        private IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
        private ThreadFactory threadFactory = r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        };
        private String name = "vela-bridge-in";

        Builder(MessageSource source, EventBus bus) {
            this.source = source;
            this.bus = bus;
        }

        /** @return this builder, publishing with {@code tryPublish}: a full topic drops (and counts) the message */
        public Builder lossy() {
            this.lossy = true;
            return this;
        }

        /**
         * @param idle how the bridge's thread waits when the source is empty (default: Agrona backoff, up to 1 ms)
         * @return this builder
         */
        public Builder idleStrategy(IdleStrategy idle) {
            this.idle = Objects.requireNonNull(idle, "idle");
            return this;
        }

        /**
         * @param threadFactory makes the bridge's thread (default: a daemon thread)
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * @param name the bridge thread's name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** @return the running bridge */
        public InboundBridge start() {
            InboundBridge bridge = new InboundBridge(bus, lossy);
            bridge.pump = MessagePump.start(source, bridge::publish, idle, threadFactory, name);
            return bridge;
        }
    }
}
