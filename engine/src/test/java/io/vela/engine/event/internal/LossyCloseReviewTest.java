package io.vela.engine.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.event.EventBus;
import io.vela.engine.event.SubscriberStats;
import io.vela.engine.event.Subscription;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * A lossy subscription closed while it lags a ring or more behind (it is overrun): every event published before the
 * close is delivered to it or counted as dropped, once; nothing published after the close is delivered or counted;
 * {@code terminated()} completes and the counts no longer move.
 */
@Timeout(30)
class LossyCloseReviewTest {

    @RepeatedTest(3)
    void aLossySubscriptionClosedWhileOverrunAccountsForItsWindowExactly() throws Exception {
        ExecutorService offload = Executors.newSingleThreadExecutor();
        EventBus bus = RaceBus.create(offload, "lossy-close");
        try {
            AtomicLong last = new AtomicLong(-1);
            AtomicLong outOfOrder = new AtomicLong();
            Subscription slow = bus.subscriber(Long.class).lossy().subscribe(x -> {
                outOfOrder.addAndGet(x > last.getAndSet(x) ? 0 : 1);
                LockSupport.parkNanos(20_000); // slower than the publisher: overrun
            });
            int before = 5_000;
            for (long i = 0; i < before; i++) {
                bus.publish(i);
            }
            slow.close(); // the publisher is idle: the window ends at the last event published
            for (long i = before; i < 2 * before; i++) {
                bus.publish(i);
            }
            slow.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
            SubscriberStats st = slow.stats();
            long delivered = st.delivered();
            long dropped = st.dropped();
            assertThat(dropped).as("overrun").isPositive();
            assertThat(delivered + dropped).as("delivered %d + dropped %d", delivered, dropped).isEqualTo(before);
            assertThat(last.get()).isLessThan(before);
            assertThat(outOfOrder.get()).isZero();
            Thread.sleep(50);
            assertThat(st.delivered()).isEqualTo(delivered);
            assertThat(st.dropped()).isEqualTo(dropped);
        } finally {
            bus.shutdown(Duration.ofMillis(500));
            offload.shutdownNow();
        }
    }
}
