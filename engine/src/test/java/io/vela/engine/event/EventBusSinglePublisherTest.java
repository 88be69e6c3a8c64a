package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.RingClosedException;
import io.vela.engine.ShutdownReport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Single-publisher topics: only one thread may publish, and a racing close still loses no accepted event. */
class EventBusSinglePublisherTest {
    static final class Slot {
        long n;
    }

    @Test
    void shouldRefuseASecondPublisherThreadAndLossySubscriptions() throws Exception {
        ExecutorService executor = Buses.executor();
        EventBus bus = Buses.bus(Buses.config(64).build(), executor);
        try {
            Topic<Slot> t = bus.topic("solo", TopicOptions.of(Slot::new).singlePublisher());
            AtomicLong got = new AtomicLong();
            bus.subscribe(t, s -> got.incrementAndGet());
            t.publish((s, n) -> s.n = n, 1L);
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> t.publish((s, n) -> s.n = n, 2L));
            assertThatThrownBy(() -> other.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(EventBusException.class);
            assertThatThrownBy(() -> bus.subscriber(t).lossy().subscribe(s -> { }))
                    .isInstanceOf(EventBusException.class).hasMessageContaining("single-publisher");
            assertThat(bus.shutdown(Duration.ofSeconds(5)).completed()).isTrue();
            assertThat(got.get()).isEqualTo(1);
            assertThat(t.stats().published()).isEqualTo(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldDeliverEveryAcceptedEventWhenCloseRacesThePublisher() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        int rounds = 0;
        while (System.nanoTime() < end || rounds < 5) {
            ExecutorService executor = Buses.executor();
            EventBus bus = Buses.bus(Buses.config(rounds % 2 == 0 ? 32 : 512).build(), executor);
            Topic<Slot> t = bus.topic("solo", TopicOptions.of(Slot::new).singlePublisher());
            AtomicLong inline = new AtomicLong();
            AtomicLong offloaded = new AtomicLong();
            AtomicLong last = new AtomicLong(-1);
            AtomicLong disorder = new AtomicLong();
            bus.subscribe(t, s -> {
                if (s.n <= last.get()) {
                    disorder.incrementAndGet();
                }
                last.set(s.n);
                inline.incrementAndGet();
            });
            bus.subscriber(t).mode(DeliveryMode.OFFLOADED).maxInFlight(8).subscribe(s -> offloaded.incrementAndGet());
            AtomicLong accepted = new AtomicLong();
            Thread publisher = new Thread(() -> {
                for (long n = 0; ; n++) {
                    try {
                        t.publish((s, v) -> s.n = v, n);
                        accepted.lazySet(n + 1);
                    } catch (RingClosedException closed) {
                        return;
                    }
                }
            }, "test-solo-publisher");
            publisher.start();
            long closeAfter = ThreadLocalRandom.current().nextLong(0, 20_000);
            while (accepted.get() < closeAfter) {
                Thread.yield();
            }
            ShutdownReport r = bus.shutdown(Duration.ofSeconds(10));
            publisher.join(10_000);
            executor.shutdownNow();
            assertThat(publisher.isAlive()).isFalse();
            assertThat(r.completed()).as(r.toString()).isTrue();
            assertThat(inline.get()).isEqualTo(accepted.get());
            assertThat(offloaded.get()).isEqualTo(accepted.get());
            assertThat(t.stats().published()).isEqualTo(accepted.get());
            assertThat(disorder.get()).isZero();
            rounds++;
        }
    }
}
