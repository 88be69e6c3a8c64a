package io.vela.engine.event;

import io.vela.engine.VelaConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/** Buses and executors a test makes, shut down after each test (a 200 ms deadline: a test's stuck handlers). */
abstract class BusFixture {
    final List<EventBus> buses = new CopyOnWriteArrayList<>();
    final List<ExecutorService> executors = new CopyOnWriteArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void tearDown() {
        for (EventBus b : buses) {
            b.shutdown(Duration.ofMillis(200));
        }
        for (ExecutorService e : executors) {
            e.shutdownNow();
        }
    }

    EventBus bus(VelaConfig.Builder config, Executor executor) {
        EventBus b = Buses.bus(config.build(), executor);
        buses.add(b);
        return b;
    }

    ExecutorService executor() {
        ExecutorService e = Buses.executor();
        executors.add(e);
        return e;
    }

    /** A preallocated slot. */
    static final class Slot {
        volatile int value;

        static void set(Slot s, Integer v) {
            s.value = v;
        }
    }
}
