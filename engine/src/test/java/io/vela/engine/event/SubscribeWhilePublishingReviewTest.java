package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Review (found through issue #13's counters tests): an offloaded or async subscription made while a publisher fills
 * the ring must not stop the topic. Its gating sequence holds the ring from the moment it is added; if the consumer
 * thread delivers a ring's worth of events with a snapshot that does not list it yet, nobody moves that gating
 * sequence on, the publisher waits for it and the consumer waits for the publisher.
 */
@Timeout(30)
public class SubscribeWhilePublishingReviewTest {

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"OFFLOADED", "ASYNC"})
    void aWindowedSubscriptionMadeWhileTheRingFillsGetsEventsAndThePublisherGoesOn(DeliveryMode mode)
            throws Exception {
        try (VelaRuntime vela = VelaRuntime.start(VelaConfig.builder().set(Settings.COUNTERS_FILE, false)
                .set(Settings.EXECUTOR_WORKERS, 1).set(Settings.EVENTS_RING_SIZE, 16).build())) {
            Topic<long[]> topic = vela.events().topic("ticks", () -> new long[1]);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong published = new AtomicLong();
            CompletableFuture<Long> publisher = publishUntil(topic, stop, published);
            try {
                for (int round = 0; round < 200; round++) {
                    AtomicLong handled = new AtomicLong();
                    SubscriptionBuilder<long[]> b = vela.events().subscriber(topic).name("s" + round);
                    Subscription sub = mode == DeliveryMode.ASYNC
                            ? b.subscribeAsync(e -> {
                                handled.incrementAndGet();
                                return CompletableFuture.completedFuture(null);
                            })
                            : b.mode(mode).subscribe(e -> handled.incrementAndGet());
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (handled.get() == 0 && System.nanoTime() < deadline) {
                        Thread.sleep(0, 100_000);
                    }
                    assertThat(handled.get()).as("round %d: events handled (published %d)", round, published.get())
                            .isPositive();
                    sub.close();
                    sub.terminated().toCompletableFuture().get(5, TimeUnit.SECONDS);
                    assertThat(sub.stats().delivered()).isEqualTo(handled.get());
                }
            } finally {
                stop.set(true);
            }
            assertThat(publisher.get(5, TimeUnit.SECONDS)).isPositive();
        }
    }

    /**
     * Publishes on a thread of its own, as fast as the ring lets it, until {@code stop}.
     *
     * @return completes with the number published, or with what publishing threw
     */
    public static CompletableFuture<Long> publishUntil(Topic<long[]> topic, AtomicBoolean stop, AtomicLong count) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                while (!stop.get()) {
                    topic.publish((slot, v) -> slot[0] = v, count.getAndIncrement());
                }
                done.complete(count.get());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "publisher");
        t.start();
        return done;
    }
}
