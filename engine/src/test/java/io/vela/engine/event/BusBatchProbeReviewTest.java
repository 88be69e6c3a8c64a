package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.ShutdownReport;
import io.vela.engine.VelaConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Adversarial review of issue #12's changes (batch publish, the consumers' probe): each test failed on the code it
 * was written against (main @ cb855eb, perf-bus merged).
 */
class BusBatchProbeReviewTest {
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<EventBus> buses = new CopyOnWriteArrayList<>();
    private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        for (EventBus b : buses) {
            b.shutdown(Duration.ofMillis(200));
        }
        for (ExecutorService e : executors) {
            e.shutdownNow();
        }
    }

    /** A bus whose threads this test can watch. */
    private EventBus bus(VelaConfig.Builder config) {
        ExecutorService executor = Buses.executor();
        executors.add(executor);
        EventBus b = EventBus.create(config.build(), executor, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
        buses.add(b);
        return b;
    }

    private List<Thread> consumerThreads() {
        return threads.stream().filter(t -> t.getName().contains("-events-")).toList();
    }

    // ---- 1. a halted consumer with published slots still ahead of it: the probe finds them available before it
    // looks at the alert, processBatch stops at once on the halt flag, and the loop probes again — for ever ----

    @Test
    @Timeout(20)
    void aHaltedConsumerWithEventsStillQueuedEndsInsteadOfSpinning() throws Exception {
        EventBus bus = bus(Buses.config(64));
        CountDownLatch entered = new CountDownLatch(1);
        bus.subscribe(Integer.class, x -> {
            entered.countDown();
            Thread.sleep(60_000); // returns when the halt interrupts it
        });
        for (int i = 0; i < 10; i++) {
            bus.publish(i);
        }
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        ShutdownReport r = bus.shutdown(Duration.ofMillis(100));
        assertThat(r.completed()).isFalse();
        List<Thread> consumers = consumerThreads();
        assertThat(consumers).isNotEmpty();
        for (Thread t : consumers) {
            t.join(3_000);
            assertThat(t.isAlive()).as("consumer %s ended after the halt; it is %s at %s", t.getName(),
                    t.getState(), List.of(t.getStackTrace())).isFalse();
        }
    }
}
