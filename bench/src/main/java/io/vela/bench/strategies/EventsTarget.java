package io.vela.bench.strategies;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.WaitStrategy;
import io.vela.engine.event.EventTranslatorOneArg;
import io.vela.engine.event.Topic;
import io.vela.engine.event.TopicOptions;

/**
 * The runtime's event bus: one single-publisher topic under the given wait strategy, one inline subscriber on its
 * consumer thread; translator publish into preallocated events (nothing allocated per event): publish-to-handle
 * latency. The runtime's executor (unused here) blocks, so that it adds no CPU while idle.
 */
final class EventsTarget extends RuntimeTarget {
    private static final EventTranslatorOneArg<Stamp, Stamp> FILL =
            (slot, from) -> slot.intendedNanos = from.intendedNanos;
    private final Topic<Stamp> topic;
    private final Stamp next = new Stamp(); // the driver's, copied into the slot

    EventsTarget(WaitStrategy wait) {
        super(VelaConfig.builder()
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BLOCKING)
                .set(Settings.EVENTS_WAIT_STRATEGY, wait)
                .set(Settings.EVENTS_OVERFLOW, OverflowPolicy.BLOCK));
        topic = runtime.events().topic("strategies", TopicOptions.of(Stamp::new).singlePublisher());
        Recorder r = recorder();
        runtime.events().subscribe(topic, e -> r.handle(e.intendedNanos));
    }

    @Override
    public void send(long intendedNanos) {
        next.intendedNanos = intendedNanos;
        runtime.events().publish(topic, FILL, next);
    }

    /** The preallocated event: its intended send time. */
    static final class Stamp {
        long intendedNanos;
    }
}
