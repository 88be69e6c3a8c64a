package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.ShutdownReport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Review of ADR 0004, "Shutdown from a handler": when the thread meant to wait for the drain cannot be started (the
 * factory refuses), the close the handler began must still end — a later {@code shutdown} from an ordinary thread
 * drains, finishes the subscriptions and reports, instead of waiting for a closer that does not exist.
 */
@Timeout(30)
class ShutdownFromHandlerNoThreadReviewTest {
    @Test
    void shouldFinishTheCloseOnALaterCallWhenTheCloseThreadCouldNotStart() throws Exception {
        AtomicBoolean refuse = new AtomicBoolean();
        ExecutorService executor = Buses.executor();
        EventBus bus = EventBus.create(Buses.config(64).build(), executor, r -> {
            if (refuse.get()) {
                throw new IllegalStateException("no more threads (test)");
            }
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        try {
            CountDownLatch published = new CountDownLatch(1);
            AtomicInteger got = new AtomicInteger();
            CompletableFuture<ShutdownReport> inner = new CompletableFuture<>();
            Subscription sub = bus.subscribe(Integer.class, x -> {
                if (x == 0) {
                    published.await();
                    refuse.set(true);
                    inner.complete(bus.shutdown(Duration.ofSeconds(4)));
                }
                got.incrementAndGet();
            });
            for (int i = 0; i < 10; i++) {
                bus.publish(i);
            }
            published.countDown();
            assertThat(inner.get(10, TimeUnit.SECONDS).completed()).isFalse();
            long t0 = System.nanoTime();
            ShutdownReport last = bus.shutdown(Duration.ofSeconds(3));
            assertThat(got.get()).as("every accepted event delivered").isEqualTo(10);
            assertThat(last.completed()).as("%s", last).isTrue();
            assertThat(last.notRun()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("waited for a closer that never started")
                    .isLessThan(Duration.ofSeconds(2));
            sub.terminated().toCompletableFuture().get(2, TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
        }
    }
}
