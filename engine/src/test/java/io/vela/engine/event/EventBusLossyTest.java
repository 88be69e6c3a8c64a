package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vela.engine.ShutdownReport;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A lossy subscriber that cannot keep up: it never holds publishers back, and every slot is either delivered to it
 * or counted as dropped; a lossless subscriber on the same topic still gets everything.
 */
class EventBusLossyTest {
    static final class Value {
        long v;
        long check;
    }

    @Test
    void shouldCountEverySkippedEventOnTheDefaultTopic() {
        ExecutorService executor = Buses.executor();
        EventBus bus = Buses.bus(Buses.config(64).build(), executor);
        AtomicLong lossless = new AtomicLong();
        AtomicLong lastSeen = new AtomicLong(-1);
        AtomicLong outOfOrder = new AtomicLong();
        bus.subscribe(Long.class, x -> lossless.incrementAndGet());
        Subscription slow = bus.subscriber(Long.class).lossy().subscribe(x -> {
            if (x <= lastSeen.get()) {
                outOfOrder.incrementAndGet();
            }
            lastSeen.set(x);
            LockSupport.parkNanos(20_000);
        });
        int n = 50_000;
        for (long i = 0; i < n; i++) {
            bus.publish(i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> lossless.get() == n);
        ShutdownReport report = bus.shutdown(Duration.ofSeconds(10));
        executor.shutdownNow();
        assertThat(report.completed()).isTrue();
        SubscriberStats st = slow.stats();
        assertThat(st.dropped()).isPositive();
        assertThat(st.delivered() + st.dropped()).isEqualTo(n);
        assertThat(outOfOrder.get()).isZero();
    }

    @Test
    void shouldNeverHandAtornSlotToALossySubscriberOfAPreallocatedTopic() {
        ExecutorService executor = Buses.executor();
        EventBus bus = Buses.bus(Buses.config(32).build(), executor);
        Topic<Value> topic = bus.topic("values", Value::new, (from, to) -> {
            to.v = from.v;
            to.check = from.check;
        });
        AtomicLong torn = new AtomicLong();
        Subscription slow = bus.subscriber(topic).lossy().subscribe(x -> {
            if (x.check != ~x.v) {
                torn.incrementAndGet();
            }
            LockSupport.parkNanos(10_000);
        });
        int n = 50_000;
        for (long i = 0; i < n; i++) {
            topic.publish((slot, a) -> {
                slot.v = a;
                slot.check = ~a;
            }, i);
        }
        assertThat(bus.shutdown(Duration.ofSeconds(10)).completed()).isTrue();
        executor.shutdownNow();
        assertThat(torn.get()).isZero();
        assertThat(slow.stats().dropped()).isPositive();
        assertThat(slow.stats().delivered() + slow.stats().dropped()).isEqualTo(n);
        assertThat(topic.stats().published()).isEqualTo(n);
    }
}
