package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.RingClosedException;
import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bus consumer that catches up with a streaming publisher pauses, then takes what was published meanwhile in one
 * batch (ADR 0017, "Bus consumers"). These tests hold the pause to the consumer's contract: an event published
 * while (or just before, or just after) the consumer pauses or waits is delivered within a bound — no wake-up is
 * lost, under every kind of wait strategy — and a close racing streaming publishers loses and repeats nothing.
 */
class ConsumerPauseTest extends BusFixture {
    /** A preallocated slot: publisher and value. */
    static final class Slot {
        long p;
        long n;
    }

    private static final EventTranslatorTwoArg<Slot, Long, Long> FILL = (s, p, n) -> {
        s.p = p;
        s.n = n;
    };

    /** How long a lone event may take to be delivered: a lost wake-up would take for ever (nothing else comes). */
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(2);

    /**
     * A publisher streams a burst (the consumer catches up and pauses), waits a random 0–3 µs (around and past the
     * 200 ns pause, and into the consumer's probe and wait), then publishes one lone event and waits for it: it
     * must be delivered within {@link #BOUND_NANOS}, although no other event follows that could wake the consumer.
     */
    @ParameterizedTest(name = "{0}, single publisher {1}")
    @CsvSource({"YIELDING, true", "YIELDING, false", "SLEEPING, true", "LITE_BLOCKING, true",
            "LITE_BLOCKING, false", "BLOCKING, true", "TIMEOUT_BLOCKING, false", "BUSY_SPIN, true"})
    @Timeout(30)
    void aLoneEventPublishedAroundThePauseIsDeliveredWithinABound(WaitStrategy wait, boolean single)
            throws Exception {
        EventBus bus = bus(Buses.config(1024).set(Settings.EVENTS_WAIT_STRATEGY, wait), executor());
        TopicOptions<Slot> options = TopicOptions.of(Slot::new);
        Topic<Slot> t = bus.topic("lone", single ? options.singlePublisher() : options);
        AtomicLong seen = new AtomicLong(-1);
        AtomicLong disorder = new AtomicLong();
        bus.subscribe(t, s -> {
            if (s.n != seen.get() + 1) {
                disorder.incrementAndGet();
            }
            seen.set(s.n);
        });
        SplittableRandom rnd = new SplittableRandom(wait.ordinal() * 2L + (single ? 1 : 0));
        long n = 0;
        long worst = 0;
        int rounds = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (rounds < 30 || System.nanoTime() < end && rounds < 2_000) {
            int burst = 8 + rnd.nextInt(120);
            for (int i = 0; i < burst; i++) {
                t.publish(FILL, 0L, n++);
            }
            long gap = rnd.nextLong(3_000);
            long until = System.nanoTime() + gap;
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            long lone = n++;
            long sent = System.nanoTime();
            t.publish(FILL, 0L, lone);
            while (seen.get() < lone) {
                long waited = System.nanoTime() - sent;
                assertThat(waited).as("lone event %d (round %d, %d ns after a burst of %d) not delivered; last seen %d",
                        lone, rounds, gap, burst, seen.get()).isLessThan(BOUND_NANOS);
                Thread.onSpinWait();
            }
            worst = Math.max(worst, System.nanoTime() - sent);
            rounds++;
        }
        assertThat(disorder.get()).isZero();
        assertThat(seen.get()).isEqualTo(n - 1);
        assertThat(worst).isLessThan(BOUND_NANOS);
    }

    /**
     * Close races streaming publishers of single events (one on a single-publisher topic, two on a multi-publisher
     * one), with subscriptions of every lossless kind on two consumer threads: each publish that returned is
     * delivered exactly once, in publisher order, to every subscription (and counted once in its live
     * {@code delivered()}); each refused one is delivered to none.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"YIELDING", "SLEEPING", "LITE_BLOCKING", "BLOCKING"})
    @Timeout(40)
    void everyAcceptedEventIsDeliveredOnceWhenCloseRacesStreamingPublishers(WaitStrategy wait) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
        int round = 0;
        while (round < 3 || System.nanoTime() < end) {
            race(wait, round % 2 == 0, round % 4 < 2 ? 64 : 1024, round);
            round++;
        }
    }

    /** Per publisher, the next value a subscription expects; counts anything out of order or repeated. */
    private static final class Expect {
        final AtomicLong[] next;
        final AtomicLong disorder = new AtomicLong();

        Expect(int publishers) {
            next = new AtomicLong[publishers];
            for (int p = 0; p < publishers; p++) {
                next[p] = new AtomicLong();
            }
        }

        void see(Slot s) {
            if (!next[(int) s.p].compareAndSet(s.n, s.n + 1)) {
                disorder.incrementAndGet();
            }
        }
    }

    private void race(WaitStrategy wait, boolean single, int ringSize, int round) throws Exception {
        int publishers = single ? 1 : 2;
        ExecutorService executor = executor();
        EventBus bus = Buses.bus(Buses.config(ringSize).set(Settings.EVENTS_WAIT_STRATEGY, wait)
                .set(Settings.EVENTS_CONSUMER_THREADS, 2).build(), executor);
        TopicOptions<Slot> options = TopicOptions.of(Slot::new);
        Topic<Slot> t = bus.topic("race", single ? options.singlePublisher() : options);
        List<Expect> expects = new ArrayList<>();
        List<Subscription> subs = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            Expect inline = new Expect(publishers);
            expects.add(inline);
            subs.add(bus.subscriber(t).consumerThread(c).subscribe(inline::see));
        }
        Expect offloaded = new Expect(publishers);
        expects.add(offloaded);
        subs.add(bus.subscriber(t).consumerThread(0).mode(DeliveryMode.OFFLOADED).maxInFlight(8)
                .subscribe(offloaded::see));
        Expect async = new Expect(publishers);
        expects.add(async);
        subs.add(bus.subscriber(t).consumerThread(1).maxInFlight(8).subscribeAsync(s -> {
            async.see(s);
            return CompletableFuture.completedFuture(null);
        }));
        AtomicLong[] accepted = new AtomicLong[publishers];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[publishers];
        for (int p = 0; p < publishers; p++) {
            AtomicLong acc = accepted[p] = new AtomicLong();
            Long pid = (long) p;
            threads[p] = new Thread(() -> {
                try {
                    for (long n = 0; ; n++) {
                        try {
                            t.publish(FILL, pid, n);
                        } catch (RingClosedException closed) {
                            return;
                        }
                        acc.lazySet(n + 1);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "test-streaming-publisher-" + p);
            threads[p].setDaemon(true); // a publisher the close failed to stop must not keep the test JVM alive
        }
        for (Thread th : threads) {
            th.start();
        }
        long closeAfter = new SplittableRandom(round).nextLong(0, 30_000);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (accepted[0].get() < closeAfter && System.nanoTime() < giveUp) {
            Thread.yield();
        }
        ShutdownReport r = bus.shutdown(Duration.ofSeconds(10));
        for (Thread th : threads) {
            th.join(10_000);
            assertThat(th.isAlive()).as("publisher %s ended", th.getName()).isFalse();
        }
        executor.shutdownNow();
        assertThat(failure.get()).isNull();
        assertThat(r.completed()).as(r.toString()).isTrue();
        long total = 0;
        for (int p = 0; p < publishers; p++) {
            total += accepted[p].get();
        }
        for (int k = 0; k < expects.size(); k++) {
            Expect e = expects.get(k);
            assertThat(e.disorder.get()).as("subscription %d: out of order or repeated", k).isZero();
            for (int p = 0; p < publishers; p++) {
                assertThat(e.next[p].get()).as("subscription %d, publisher %d (%s, ring %d)", k, p, wait, ringSize)
                        .isEqualTo(accepted[p].get());
            }
            assertThat(subs.get(k).stats().delivered()).as("subscription %d delivered()", k).isEqualTo(total);
        }
        assertThat(t.stats().published()).isEqualTo(total);
    }
}
