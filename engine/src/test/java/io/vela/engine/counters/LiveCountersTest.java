package io.vela.engine.counters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vela.engine.OfferResult;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingFullException;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.actor.ActorRef;
import io.vela.engine.actor.Behaviors;
import io.vela.engine.channel.Channel;
import io.vela.engine.channel.ChannelStats;
import io.vela.engine.event.DeliveryMode;
import io.vela.engine.event.SubscriberStats;
import io.vela.engine.event.Subscription;
import io.vela.engine.event.Topic;
import io.vela.engine.event.TopicStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running totals of topics, subscriptions, channels, the actor system and the blocking pool are counters of the
 * file, written by their owners: the sampler is slowed to once a minute (it samples once at start), so a value seen
 * in the file before then was written live.
 */
@Timeout(30)
class LiveCountersTest {
    /** Sampled once, at start: what the file shows after that its owners wrote themselves. */
    private static final long SAMPLE_RARELY_MS = 60_000L;

    @TempDir
    Path dir;

    private VelaConfig.Builder config() {
        return VelaConfig.builder().set(Settings.COUNTERS_SAMPLE_MS, SAMPLE_RARELY_MS)
                .set(Settings.COUNTERS_DIR, dir.toString()).set(Settings.EXECUTOR_WORKERS, 1);
    }

    private static Map<String, Long> values(CountersFileReader reader) {
        return CountersFileTest.values(reader);
    }

    private static long value(CountersFileReader reader, String label) {
        return values(reader).getOrDefault(label, -1L);
    }

    @Test
    void aSubscriptionsTotalsAreLiveInTheFileEqualToStatsAndFreedWhenItFinishes() {
        try (VelaRuntime vela = VelaRuntime.start(config().build());
                CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow())) {
            Topic<long[]> topic = vela.events().topic("orders", () -> new long[1]);
            Subscription inline = vela.events().subscriber(topic).name("audit")
                    .filter(e -> e[0] % 10 != 0) // 10 of 100 filtered out
                    .subscribe(e -> {
                        if (e[0] % 3 == 0) {
                            throw new IllegalStateException("odd one " + e[0]); // 30 of the 90 passing fail
                        }
                    });
            AtomicLong offloadedSeen = new AtomicLong();
            Subscription offloaded = vela.events().subscriber(topic).name("mirror").mode(DeliveryMode.OFFLOADED)
                    .subscribe(e -> offloadedSeen.incrementAndGet());
            for (long i = 0; i < 100; i++) {
                topic.publish((slot, v) -> slot[0] = v, i);
            }
            Map<String, Long> expected = Map.of("subscriber orders/audit delivered", 60L,
                    "subscriber orders/audit filtered", 10L, "subscriber orders/audit failed", 30L,
                    "subscriber orders/audit dropped", 0L, "subscriber orders/mirror delivered", 100L);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(values(reader)).containsAllEntriesOf(expected));
            assertThat(offloadedSeen).hasValue(100);
            // stats() reads the same counters
            SubscriberStats audit = inline.stats();
            assertThat(audit.delivered()).isEqualTo(60);
            assertThat(audit.filteredOut()).isEqualTo(10);
            assertThat(audit.failed()).isEqualTo(30);
            assertThat(offloaded.stats().delivered()).isEqualTo(100);

            inline.close();
            inline.terminated().toCompletableFuture().join();
            offloaded.close();
            offloaded.terminated().toCompletableFuture().join();
            // the totals its owner wrote are freed at once, not at the next sample (the sampler's own levels, lag
            // and in-flight, are there if its first pass came late on a busy machine: they go at its next pass);
            // the subscription still reads its final values
            assertThat(values(reader).keySet()).noneMatch(l -> l.startsWith("subscriber orders/")
                    && StatFormatter.isTotal(l.substring(l.lastIndexOf(' ') + 1)));
            assertThat(audit.delivered()).isEqualTo(60);
            assertThat(audit.failed()).isEqualTo(30);
            assertThat(offloaded.stats().delivered()).isEqualTo(100);
        }
    }

    @Test
    void aTopicsDeadAndRejectedCountsAreLiveInTheFile() throws Exception {
        try (VelaRuntime vela = VelaRuntime.start(config().set(Settings.EVENTS_RING_SIZE, 4)
                .set(Settings.EVENTS_OVERFLOW, OverflowPolicy.FAIL_FAST).build());
                CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow())) {
            vela.events().publish("nobody listens"); // the default topic: dead
            vela.events().publish(42L);
            await().atMost(Duration.ofSeconds(5)).until(() -> value(reader, "topic default dead") == 2);

            Topic<long[]> topic = vela.events().topic("slow", () -> new long[1]);
            CountDownLatch release = new CountDownLatch(1);
            vela.events().subscriber(topic).name("stuck").subscribe(e -> release.await());
            int refused = 0;
            for (int i = 0; i < 20; i++) {
                if (topic.tryPublish((slot, v) -> slot[0] = v, (long) i) != OfferResult.ACCEPTED) {
                    refused++;
                }
            }
            release.countDown();
            assertThat(refused).isPositive();
            assertThat(value(reader, "topic slow rejected")).isEqualTo(refused);
            TopicStats slow = vela.events().stats().stream().filter(t -> t.name().equals("slow")).findFirst()
                    .orElseThrow();
            assertThat(slow.rejected()).isEqualTo(refused);
            TopicStats dflt = vela.events().stats().stream().filter(t -> t.name().equals("default")).findFirst()
                    .orElseThrow();
            assertThat(dflt.dead()).isEqualTo(value(reader, "topic default dead"));
        }
    }

    @Test
    void aChannelsRefusalsAreLiveAndTheCounterIsFreedWhenTheDrainedChannelLeaves() {
        try (VelaRuntime vela = VelaRuntime.start(config().build());
                CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow())) {
            Channel<Integer> ch = vela.channels().<Integer>builder("jobs").capacity(2).build();
            int refused = 0;
            for (int i = 0; i < 5; i++) {
                if (ch.trySend(i) != OfferResult.ACCEPTED) {
                    refused++;
                }
            }
            assertThat(refused).isEqualTo(3);
            assertThat(value(reader, "channel jobs refused")).isEqualTo(3);
            ChannelStats stats = vela.stats().channels().get(0);
            assertThat(stats.refused()).isEqualTo(3);
            ch.close();
            assertThat(ch.trySend(9)).isEqualTo(OfferResult.CLOSED);
            assertThat(value(reader, "channel jobs refused")).isEqualTo(4);
            ch.receive();
            ch.receive(Duration.ofMillis(1));
            assertThat(ch.isDrained()).isTrue();
            // the next build drops the drained channel from the registry and frees its counter
            Channel<Integer> next = vela.channels().<Integer>builder("jobs").capacity(2).build();
            assertThat(values(reader).get("channel jobs refused")).isZero(); // the new channel's, at 0
            assertThat(values(reader).keySet().stream().filter(l -> l.equals("channel jobs refused"))).hasSize(1);
            // the old channel keeps its count (and keeps counting) off the file
            assertThat(ch.trySend(10)).isEqualTo(OfferResult.CLOSED);
            assertThat(ch.stats().refused()).isEqualTo(5);
            assertThat(next.stats().refused()).isZero();
        }
    }

    @Test
    void aStandaloneChannelCountsOnTheHeap() {
        Channel<String> ch = Channel.<String>builder("alone").capacity(2).build();
        assertThat(ch.trySend("a")).isEqualTo(OfferResult.ACCEPTED);
        assertThat(ch.trySend("a")).isEqualTo(OfferResult.ACCEPTED);
        assertThat(ch.trySend("b")).isEqualTo(OfferResult.FULL);
        assertThat(ch.trySend("c")).isEqualTo(OfferResult.FULL);
        assertThat(ch.stats().refused()).isEqualTo(2);
        ch.close();
    }

    @Test
    void theActorSystemsDeadLettersAndThePoolsRefusalsAreLiveInTheFile() throws Exception {
        try (VelaRuntime vela = VelaRuntime.start(config().set(Settings.BLOCKING_MAX_THREADS, 1)
                .set(Settings.BLOCKING_BACKLOG, 0).build());
                CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow())) {
            ActorRef<String> once = vela.actors().spawn(Behaviors.receiveMessage(m -> Behaviors.stopped()), "once");
            once.tell("stop");
            await().atMost(Duration.ofSeconds(5)).until(() -> vela.actors().actorCount() == 0);
            once.tell("late 1");
            once.tell("late 2");
            await().atMost(Duration.ofSeconds(5)).until(() -> vela.actors().deadLetters().count() == 2);
            assertThat(value(reader, "actors actors dead-letters")).isEqualTo(2);
            assertThat(vela.stats().actors().deadLetters()).isEqualTo(2);

            CountDownLatch release = new CountDownLatch(1);
            var busy = vela.blocking(() -> release.await(10, TimeUnit.SECONDS));
            assertThatThrownBy(() -> vela.blocking(() -> 1)).isInstanceOf(RingFullException.class);
            assertThat(value(reader, "pool blocking rejected")).isEqualTo(1);
            release.countDown();
            assertThat(busy.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void subscriptionsClosedWhilePublishingFreeTheirSlotsForTheNextAndKeepExactTotals() throws Exception {
        // 40 subscriptions of 4 counters each would not fit in 64 counters unless each one's slots are reused (at
        // once here: counters.reuse-ms = 0; by default a freed slot waits a second, see CountersReuseReviewTest)
        try (VelaRuntime vela = VelaRuntime.start(config().set(Settings.COUNTERS_CAPACITY, 64)
                .set(Settings.COUNTERS_REUSE_MS, 0L).build());
                CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow())) {
            Topic<long[]> topic = vela.events().topic("ticks", () -> new long[1]);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.CompletableFuture<Long> publisher = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        long n = 0;
                        while (!stop.get()) {
                            topic.publish((slot, v) -> slot[0] = v, n++);
                        }
                        return n;
                    });
            for (int round = 0; round < 40; round++) {
                AtomicLong handled = new AtomicLong();
                Subscription sub = vela.events().subscriber(topic).name("s" + round)
                        .subscribe(e -> handled.incrementAndGet());
                String label = "subscriber ticks/s" + round + " delivered";
                await().atMost(Duration.ofSeconds(10)).until(() -> value(reader, label) > 0); // in the file
                sub.close(); // while the publisher goes on
                sub.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(sub.stats().delivered()).isEqualTo(handled.get()); // nothing lost or counted twice
                assertThat(values(reader)).doesNotContainKey(label);
            }
            stop.set(true);
            assertThat(publisher.get(10, TimeUnit.SECONDS)).isPositive();
            assertThat(values(reader).keySet()).noneMatch(l -> l.startsWith("subscriber ") // a late first sample's
                    && StatFormatter.isTotal(l.substring(l.lastIndexOf(' ') + 1))); // levels go at its next pass
        }
    }
}
