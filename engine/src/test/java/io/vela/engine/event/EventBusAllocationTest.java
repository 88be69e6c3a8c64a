package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Translator publish and inline delivery allocate nothing per event in steady state, on either side of the ring. */
class EventBusAllocationTest {
    static final class Tick {
        long id;
        long price;

        static void fill(Tick t, Holder h) {
            t.id = h.id;
            t.price = h.price;
        }
    }

    static final class Holder {
        long id;
        long price;
    }

    private static final EventTranslatorOneArg<Tick, Holder> FILL = Tick::fill;

    @Test
    void shouldAllocateNothingPerTranslatorPublishOrInlineDelivery() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ExecutorService executor = Buses.executor();
        EventBus bus = Buses.bus(Buses.config(1024).build(), executor);
        try {
            Topic<Tick> ticks = bus.topic("ticks", Tick::new);
            AtomicLong sum = new AtomicLong();
            AtomicLong consumerThread = new AtomicLong();
            Subscription s = bus.subscriber(ticks).filter(t -> t.id >= 0).subscribe(t -> {
                sum.lazySet(sum.get() + t.price);
                consumerThread.lazySet(Thread.currentThread().getId());
            });
            Holder h = new Holder();
            int n = 200_000;
            publish(ticks, h, n); // warm-up: JIT, and the consumer's first batch
            await().atMost(Duration.ofSeconds(10)).until(() -> s.stats().delivered() == n);
            long consumer = consumerThread.get();
            long self = Thread.currentThread().getId();
            long pubBefore = mx.getThreadAllocatedBytes(self);
            long conBefore = mx.getThreadAllocatedBytes(consumer);
            publish(ticks, h, n);
            long pubBytes = mx.getThreadAllocatedBytes(self) - pubBefore;
            await().atMost(Duration.ofSeconds(10)).until(() -> s.stats().delivered() == 2L * n);
            long tryBefore = mx.getThreadAllocatedBytes(self);
            long accepted = 0;
            for (int i = 0; i < n; i++) {
                h.id = i;
                if (ticks.tryPublish(FILL, h).accepted()) {
                    accepted++;
                }
            }
            long tryBytes = mx.getThreadAllocatedBytes(self) - tryBefore;
            assertThat(tryBytes).as("tryPublish bytes for %d offers", n).isLessThan(n / 100);
            long total = 2L * n + accepted;
            await().atMost(Duration.ofSeconds(10)).until(() -> s.stats().delivered() == total);
            long conBytes = mx.getThreadAllocatedBytes(consumer) - conBefore;
            // a few hundred bytes of slack for the measurement itself (and Awaitility on this thread)
            assertThat(pubBytes).as("publisher bytes for %d publishes", n).isLessThan(n / 100);
            assertThat(conBytes).as("consumer bytes for %d deliveries", n).isLessThan(n / 100);
        } finally {
            bus.close();
            executor.shutdownNow();
        }
    }

    private static void publish(Topic<Tick> ticks, Holder h, int n) {
        for (int i = 0; i < n; i++) {
            h.id = i;
            h.price = i * 3L;
            ticks.publish(FILL, h);
        }
    }
}
