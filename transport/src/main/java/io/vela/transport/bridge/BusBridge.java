package io.vela.transport.bridge;

import io.vela.engine.event.EventBus;
import io.vela.transport.MessageSink;
import io.vela.transport.MessageSource;
import java.util.Objects;

/**
 * Bridges the event bus to a transport, both ways: {@link #outbound} forwards a bus subscription's events to a
 * {@link MessageSink} (a cross-process ring writer, a broadcast publisher), {@link #inbound} publishes what a
 * {@link MessageSource} (a ring reader, a broadcast subscriber) delivers into the bus.
 *
 * <pre>{@code
 * try (OutboundBridge out = BusBridge.outbound(bus, Order.class, writer).overflow(OverflowPolicy.FAIL_FAST).start();
 *      InboundBridge in = BusBridge.inbound(reader, bus).start()) { ... }
 * }</pre>
 *
 * <p>A bridge owns its subscription or thread, not the sink or source: close the bridge, then them.
 */
public final class BusBridge {
    private BusBridge() {
    }

    /**
     * @param bus  the bus to subscribe to
     * @param type the events to forward (subtypes included), published as objects on the bus's default topic
     * @param sink where they go; the bridge is its only user from now on (sinks are single-threaded)
     * @param <E>  the event type
     * @return a builder for the bridge
     */
    public static <E> OutboundBridge.Builder<E> outbound(EventBus bus, Class<E> type, MessageSink sink) {
        return new OutboundBridge.Builder<>(Objects.requireNonNull(bus, "bus"), Objects.requireNonNull(type, "type"),
                Objects.requireNonNull(sink, "sink"));
    }

    /**
     * @param source what to poll; the bridge's thread is its only user from now on
     * @param bus    the bus to publish into (object events, default topic, routed by type)
     * @return a builder for the bridge
     */
    public static InboundBridge.Builder inbound(MessageSource source, EventBus bus) {
        return new InboundBridge.Builder(Objects.requireNonNull(source, "source"), Objects.requireNonNull(bus, "bus"));
    }
}
