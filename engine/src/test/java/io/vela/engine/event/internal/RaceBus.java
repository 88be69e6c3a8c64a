package io.vela.engine.event.internal;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.WaitStrategy;
import io.vela.engine.event.EventBus;
import java.util.concurrent.Executor;

/** The bus the close-race review tests use: a 64-slot ring, one consumer thread per topic unless told, daemon threads. */
final class RaceBus {
    private RaceBus() {
    }

    static EventBus create(Executor offload, String threadName) {
        return create(offload, threadName, WaitStrategy.LITE_BLOCKING);
    }

    static EventBus create(Executor offload, String threadName, WaitStrategy wait) {
        return create(offload, threadName, wait, 1);
    }

    static EventBus create(Executor offload, String threadName, WaitStrategy wait, int consumers) {
        return EventBus.create(VelaConfig.builder().set(Settings.EVENTS_RING_SIZE, 64)
                .set(Settings.EVENTS_CONSUMER_THREADS, consumers)
                .set(Settings.EVENTS_WAIT_STRATEGY, wait)
                .set(Settings.EVENTS_OVERFLOW, OverflowPolicy.BLOCK).build(), offload, r -> {
                    Thread t = new Thread(r, threadName);
                    t.setDaemon(true);
                    return t;
                });
    }
}
