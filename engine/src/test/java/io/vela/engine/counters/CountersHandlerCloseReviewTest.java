package io.vela.engine.counters;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.channel.Channel;
import io.vela.engine.event.DeliveryMode;
import io.vela.engine.event.Subscription;
import io.vela.engine.event.Topic;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Review of issue #13: a subscription closed from its own handler while events keep coming counts exactly what it
 * handled, and its counters leave the file; a channel closed by its receiver keeps its refusals.
 */
@Timeout(20)
class CountersHandlerCloseReviewTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"INLINE", "OFFLOADED"})
    void aSubscriptionClosedByItsOwnHandlerCountsWhatItHandledAndLeavesTheFile(DeliveryMode mode) throws Exception {
        try (VelaRuntime vela = VelaRuntime.start(VelaConfig.builder().set(Settings.COUNTERS_DIR, dir.toString())
                .set(Settings.EXECUTOR_WORKERS, 1).set(Settings.COUNTERS_SAMPLE_MS, 60_000L).build());
                CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow())) {
            Topic<long[]> topic = vela.events().topic("ticks", () -> new long[1]);
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Long> publisher = io.vela.engine.event.SubscribeWhilePublishingReviewTest.publishUntil(
                    topic, stop, new AtomicLong());
            try {
                for (int round = 0; round < 20; round++) {
                    AtomicLong handled = new AtomicLong();
                    AtomicReference<Subscription> self = new AtomicReference<>();
                    long closeAt = 50 + round * 7;
                    Subscription sub = vela.events().subscriber(topic).name("s" + round).mode(mode)
                            .subscribe(e -> {
                                if (handled.incrementAndGet() == closeAt) {
                                    while (self.get() == null) {
                                        Thread.onSpinWait();
                                    }
                                    self.get().close();
                                }
                            });
                    self.set(sub);
                    sub.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    assertThat(handled.get()).isGreaterThanOrEqualTo(closeAt);
                    assertThat(sub.stats().delivered()).as("round " + round).isEqualTo(handled.get());
                    String delivered = "subscriber ticks/s" + round + " delivered"; // the owner's (levels: sampled)
                    assertThat(reader.snapshot()).noneMatch(s -> s.label().equals(delivered));
                }
            } finally {
                stop.set(true);
            }
            assertThat(publisher.get(10, TimeUnit.SECONDS)).isPositive();
        }
    }

    @org.junit.jupiter.api.Test
    void aChannelClosedByItsReceiverMidStreamKeepsEveryRefusalAfterItLeavesTheRegistry() throws Exception {
        try (VelaRuntime vela = VelaRuntime.start(VelaConfig.builder().set(Settings.COUNTERS_DIR, dir.toString())
                .set(Settings.EXECUTOR_WORKERS, 1).build())) {
            Channel<Integer> ch = vela.channels().<Integer>builder("jobs").capacity(4).build();
            AtomicLong refusedSeen = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            Thread sender = new Thread(() -> {
                long refused = 0;
                while (!stop.get()) {
                    if (ch.trySend(1) != io.vela.engine.OfferResult.ACCEPTED) {
                        refused++;
                    }
                }
                refusedSeen.set(refused);
            }, "sender");
            sender.start();
            for (int i = 0; i < 100; i++) {
                ch.receive();
            }
            ch.close(); // the receiver closes it while the sender goes on
            while (!ch.isDrained()) { // drain what was accepted
                ch.poll();
            }
            assertThat(ch.isDrained()).isTrue();
            Channel<Integer> next = vela.channels().<Integer>builder("jobs").capacity(4).build(); // drops `ch`
            Thread.sleep(20);
            stop.set(true);
            sender.join(5_000);
            assertThat(ch.stats().refused()).isEqualTo(refusedSeen.get());
            assertThat(next.stats().refused()).isZero();
        }
    }
}
