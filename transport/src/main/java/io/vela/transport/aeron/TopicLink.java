package io.vela.transport.aeron;

import io.vela.engine.RingRejectedException;
import io.vela.engine.event.EventBus;
import io.vela.engine.event.Subscription;
import io.vela.transport.codec.MessageCodec;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An event-bus topic bridged to an Aeron stream, one way: exported (the bus's events of a type are sent onto the
 * stream) or imported (the stream's messages are published into the bus). Counts what crossed and what was refused.
 *
 * <p>Threads: an export forwards on the bus consumer thread that delivers the events, an import on the transport's
 * poller thread; the counters and {@link #close()} may be used from any thread. Forwarding allocates nothing beyond
 * the codec's work (and, on import, the decoded event).
 */
public final class TopicLink implements AutoCloseable {
    private final AeronTransport transport;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private AeronPublisher publisher;
    private AeronSubscription subscription;
    private Subscription busSubscription;

    private TopicLink(AeronTransport transport) {
        this.transport = transport;
    }

    static <E> TopicLink export(AeronTransport transport, EventBus bus, Class<E> type, AeronPublisher publisher) {
        TopicLink link = new TopicLink(transport);
        link.publisher = publisher;
        try {
            link.busSubscription = bus.subscribe(type, link::forward);
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
        return link;
    }

    static TopicLink importing(AeronTransport transport, String channel, int streamId, MessageCodec codec,
            EventBus bus) {
        TopicLink link = new TopicLink(transport);
        link.subscription = transport.subscribeRecords(channel, streamId, (buffer, offset, length) ->
                link.publishLocally(bus, codec.decode(buffer, offset, length)), PeerListener.NONE);
        return link;
    }

    private void forward(Object event) {
        try {
            publisher.send(event);
            forwarded.lazySet(forwarded.get() + 1); // one bus consumer thread per subscription: a single writer
        } catch (RingRejectedException e) {
            refused.incrementAndGet(); // also counted by the publisher
        }
    }

    private void publishLocally(EventBus bus, Object event) {
        try {
            bus.publish(event);
            forwarded.lazySet(forwarded.get() + 1); // the poller thread: a single writer
        } catch (RingRejectedException e) {
            refused.incrementAndGet();
        }
    }

    /** @return events that crossed: sent onto the stream (export) or published into the bus (import) */
    public long forwarded() {
        return forwarded.get();
    }

    /**
     * @return events refused: by the publisher's policy (export: full or closed; {@code drop} is counted in
     *         {@link #dropped()} instead) or by the bus (import: {@code events.overflow}, or the bus closed)
     */
    public long refused() {
        return refused.get();
    }

    /** @return events dropped by an export's publisher under {@code drop}; 0 for an import */
    public long dropped() {
        return publisher == null ? 0 : publisher.dropped();
    }

    /** @return import: messages that did not decode (counted and skipped); 0 for an export */
    public long failures() {
        return subscription == null ? 0 : subscription.failures();
    }

    /** Stops forwarding; an export's publisher first waits for what it accepted to leave. Idempotent. */
    @Override
    public void close() {
        if (busSubscription != null) {
            busSubscription.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (subscription != null) {
            subscription.close();
        }
        transport.forget(this);
    }
}
