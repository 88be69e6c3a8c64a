package io.vela.engine.event;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.WaitStrategy;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Builds buses for tests: lite-blocking consumers (no spinning on 2 cores), a small ring, daemon threads. */
final class Buses {
    private Buses() {
    }

    static VelaConfig.Builder config(int ringSize) {
        return VelaConfig.builder().set(Settings.EVENTS_RING_SIZE, ringSize)
                .set(Settings.EVENTS_WAIT_STRATEGY, WaitStrategy.LITE_BLOCKING)
                .set(Settings.EVENTS_OVERFLOW, OverflowPolicy.BLOCK)
                .set(Settings.THREAD_NAME_PREFIX, "test");
    }

    static EventBus bus(VelaConfig config, Executor executor) {
        return EventBus.create(config, executor, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
    }

    static ExecutorService executor() {
        return Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "test-offload");
            t.setDaemon(true);
            return t;
        });
    }
}
