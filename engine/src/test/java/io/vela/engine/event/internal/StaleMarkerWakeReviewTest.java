package io.vela.engine.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.WaitStrategy;
import io.vela.engine.event.DeliveryMode;
import io.vela.engine.event.EventBus;
import io.vela.engine.event.Subscription;
import io.vela.engine.event.SubscriptionBuilder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A closer that read the cursor long ago ends a subscription below its consumer's batch marker
 * ({@code ConsumerThread.delivering}, left from the last batch) while the consumer is idle: the closer leaves the
 * retire to the consumer and wakes it. Under every ring wait strategy and for every kind of subscription the woken
 * consumer retires it: {@code terminated()} completes, though no event follows.
 */
@Timeout(30)
class StaleMarkerWakeReviewTest {

    static Stream<Arguments> cases() {
        return Stream.of(WaitStrategy.values()).filter(WaitStrategy::forRings)
                .flatMap(w -> Stream.of("inline", "lossy", "offloaded", "async").map(k -> Arguments.of(w, k)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void anIdleConsumerWokenByACloseBelowItsMarkerRetiresTheSubscription(WaitStrategy wait, String kind)
            throws Exception {
        ExecutorService offload = Executors.newSingleThreadExecutor();
        EventBus bus = RaceBus.create(offload, "stale-marker-consumer", wait);
        try {
            AtomicInteger handled = new AtomicInteger();
            SubscriptionBuilder<Integer> b = bus.subscriber(Integer.class);
            Subscription sub = switch (kind) {
                case "inline" -> b.subscribe(x -> handled.incrementAndGet());
                case "lossy" -> b.lossy().subscribe(x -> handled.incrementAndGet());
                case "offloaded" -> b.mode(DeliveryMode.OFFLOADED).subscribe(x -> handled.incrementAndGet());
                default -> b.subscribeAsync(x -> {
                    handled.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                });
            };
            for (int i = 0; i < 5; i++) {
                bus.publish(i);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((handled.get() < 5 || sub.stats().lag() > 0 || sub.stats().inFlight() > 0)
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(handled.get()).isEqualTo(5);
            Thread.sleep(20); // the consumer goes idle: its marker stays at the last batch's last slot

            ((Subscriber) sub).end(0); // a closer that read the cursor after the first event

            sub.terminated().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(sub.isActive()).isFalse();
            assertThat(sub.stats().delivered()).isEqualTo(handled.get());
        } finally {
            bus.shutdown(Duration.ofMillis(500));
            offload.shutdownNow();
        }
    }
}
