package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vela.engine.OfferResult;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingClosedException;
import io.vela.engine.RingFullException;
import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Batch publish ({@link Topic#publish(EventTranslatorOneArg, Object[], int, int)} and its forms): one claim for the
 * batch, order kept, all or nothing under every refusal, a batch larger than the ring refused by name, no allocation,
 * and a close racing batch publishers that loses and repeats nothing.
 */
class TopicBatchPublishTest extends BusFixture {
    /** A slot with two fields (the two-argument form; the race's publisher id). */
    static final class Slot {
        long n;
        long m;
    }

    private static final EventTranslatorOneArg<Slot, Long> ONE = (s, v) -> s.n = v;
    private static final EventTranslatorTwoArg<Slot, Long, Long> TWO = (s, a, b) -> {
        s.n = a;
        s.m = b;
    };

    private static Long[] values(int from, int count) {
        Long[] a = new Long[count];
        for (int i = 0; i < count; i++) {
            a[i] = (long) (from + i);
        }
        return a;
    }

    @Test
    void shouldDeliverABatchRangeInArrayOrderInEveryForm() throws Exception {
        EventBus bus = bus(Buses.config(64), executor());
        Topic<Slot> t = bus.topic("batch", Slot::new);
        List<Long> got = Collections.synchronizedList(new ArrayList<>());
        List<Long> second = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(t, s -> {
            got.add(s.n);
            second.add(s.m);
        });
        t.publish(ONE, values(100, 20), 2, 10);          // 102..111
        t.publish(TWO, values(200, 5), values(300, 5), 1, 3); // (201, 301) .. (203, 303)
        bus.publishAll(t, ONE, values(400, 4));            // 400..403
        t.publish(ONE, values(0, 3), 3, 0);               // nothing
        assertThat(t.tryPublish(ONE, values(500, 2), 0, 2)).isEqualTo(OfferResult.ACCEPTED);
        assertThat(t.tryPublish(ONE, values(600, 2), 0, 0)).isEqualTo(OfferResult.ACCEPTED);
        await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 19);
        assertThat(got).containsExactly(102L, 103L, 104L, 105L, 106L, 107L, 108L, 109L, 110L, 111L,
                201L, 202L, 203L, 400L, 401L, 402L, 403L, 500L, 501L);
        assertThat(second.subList(10, 13)).containsExactly(301L, 302L, 303L);
        assertThat(t.stats().published()).isEqualTo(19);
        assertThat(bus.shutdown(Duration.ofSeconds(5)).completed()).isTrue();
    }

    @Test
    void shouldRefuseABatchLargerThanTheRingOrOutsideItsArrayByName() throws Exception {
        EventBus bus = bus(Buses.config(16), executor());
        Topic<Slot> t = bus.topic("small", Slot::new);
        AtomicLong got = new AtomicLong();
        bus.subscribe(t, s -> got.incrementAndGet());
        assertThatThrownBy(() -> t.publishAll(ONE, values(0, 17)))
                .isInstanceOf(EventBusException.class)
                .hasMessageContaining("17").hasMessageContaining("events.ring-size = 16");
        assertThatThrownBy(() -> t.tryPublish(ONE, values(0, 17), 0, 17))
                .isInstanceOf(EventBusException.class).hasMessageContaining("events.ring-size = 16");
        assertThatThrownBy(() -> t.publish(ONE, values(0, 4), 2, 3))
                .isInstanceOf(EventBusException.class).hasMessageContaining("length 4");
        assertThatThrownBy(() -> t.publish(ONE, values(0, 4), -1, 2)).isInstanceOf(EventBusException.class);
        assertThatThrownBy(() -> t.publish(ONE, values(0, 4), 0, -1)).isInstanceOf(EventBusException.class);
        assertThatThrownBy(() -> t.publish(TWO, values(0, 4), values(0, 2), 0, 3))
                .isInstanceOf(EventBusException.class);
        t.publishAll(ONE, values(0, 16)); // exactly the ring's size is fine
        await().atMost(Duration.ofSeconds(10)).until(() -> got.get() == 16);
        assertThat(t.stats().published()).isEqualTo(16);
        assertThat(bus.shutdown(Duration.ofSeconds(5)).completed()).isTrue();
    }

    @Test
    void shouldRefuseAWholeBatchOnAFullRingUnderFailFastAndTryPublish() throws Exception {
        EventBus bus = bus(Buses.config(16).set(Settings.EVENTS_OVERFLOW, OverflowPolicy.FAIL_FAST), executor());
        CountDownLatch release = new CountDownLatch(1);
        try {
            Topic<Slot> t = bus.topic("full", Slot::new);
            List<Long> got = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch first = new CountDownLatch(1);
            bus.subscribe(t, s -> {
                first.countDown();
                release.await(10, TimeUnit.SECONDS); // holds the ring
                got.add(s.n);
            });
            t.publish(ONE, 0L);
            assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
            t.publishAll(ONE, values(1, 10)); // 1..10: 11 of 16 slots taken
            assertThatThrownBy(() -> t.publishAll(ONE, values(11, 6)))
                    .isInstanceOf(RingFullException.class).hasMessageContaining("batch of 6");
            assertThat(t.tryPublish(ONE, values(11, 6), 0, 6)).isEqualTo(OfferResult.FULL);
            t.publishAll(ONE, values(11, 5)); // exactly what is left
            long rejected = t.stats().rejected();
            assertThat(rejected).isEqualTo(12); // every event of both refused batches
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 16);
            assertThat(got).containsExactlyElementsOf(List.of(values(0, 16)));
            assertThat(t.stats().published()).isEqualTo(16);
            assertThat(bus.shutdown(Duration.ofSeconds(5)).completed()).isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldWaitForTheWholeBatchUnderBlock() throws Exception {
        EventBus bus = bus(Buses.config(16), executor());
        CountDownLatch release = new CountDownLatch(1);
        try {
            Topic<Slot> t = bus.topic("blocking", Slot::new);
            List<Long> got = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch first = new CountDownLatch(1);
            bus.subscribe(t, s -> {
                first.countDown();
                release.await(10, TimeUnit.SECONDS);
                got.add(s.n);
            });
            t.publishAll(ONE, values(0, 12));
            assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> batch = CompletableFuture.runAsync(() -> t.publishAll(ONE, values(12, 8)));
            Thread.sleep(100);
            assertThat(batch).isNotDone(); // 4 free slots, 8 wanted: it waits for all 8
            assertThat(t.stats().published()).isEqualTo(12);
            release.countDown();
            batch.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 20);
            assertThat(got).containsExactlyElementsOf(List.of(values(0, 20)));
            assertThat(bus.shutdown(Duration.ofSeconds(5)).completed()).isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldDeliverNoneOfABatchWhoseTranslatorThrows() throws Exception {
        EventBus bus = bus(Buses.config(64), executor());
        Topic<Slot> t = bus.topic("throwing", Slot::new);
        List<Long> got = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(t, s -> got.add(s.n));
        EventTranslatorOneArg<Slot, Long> failsAtThird = (s, v) -> {
            if (v == 2L) {
                throw new IllegalStateException("bad value " + v);
            }
            s.n = v;
        };
        assertThatThrownBy(() -> t.publishAll(failsAtThird, values(0, 5)))
                .isInstanceOf(IllegalStateException.class).hasMessage("bad value 2");
        assertThatThrownBy(() -> t.tryPublish(failsAtThird, values(0, 5), 0, 5))
                .isInstanceOf(IllegalStateException.class);
        t.publishAll(ONE, values(10, 3));
        await().atMost(Duration.ofSeconds(10)).until(() -> got.size() >= 3);
        assertThat(bus.shutdown(Duration.ofSeconds(5)).completed()).isTrue();
        assertThat(got).containsExactly(10L, 11L, 12L);
        assertThat(t.stats().published()).isEqualTo(3);
        assertThat(t.stats().rejected()).isEqualTo(10);
    }

    @Test
    void shouldRefuseBatchesOnAClosedBus() {
        EventBus bus = bus(Buses.config(64), executor());
        Topic<Slot> t = bus.topic("closed", Slot::new);
        bus.close();
        assertThatThrownBy(() -> t.publishAll(ONE, values(0, 3))).isInstanceOf(RingClosedException.class);
        assertThat(t.tryPublish(ONE, values(0, 3), 0, 3)).isEqualTo(OfferResult.CLOSED);
        assertThat(t.stats().published()).isZero();
    }

    @Test
    void shouldAllocateNothingPerBatchPublish() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        EventBus bus = bus(Buses.config(1024), executor());
        Topic<Slot> t = bus.topic("alloc", Slot::new);
        AtomicLong got = new AtomicLong();
        bus.subscribe(t, s -> got.lazySet(got.get() + 1));
        Long[] batch = values(0, 100);
        int rounds = 20_000;
        long accepted = publishBatches(t, batch, rounds); // warm-up: JIT, the full-ring wait's first use
        long self = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(self);
        accepted += publishBatches(t, batch, rounds);
        long bytes = mx.getThreadAllocatedBytes(self) - before;
        // a few hundred bytes of slack for the measurement itself
        assertThat(bytes).as("publisher bytes for %d batches", 2 * rounds).isLessThan(2_000);
        long total = accepted;
        await().atMost(Duration.ofSeconds(10)).until(() -> got.get() == total);
    }

    /** @return events accepted: {@code rounds} batches of 50, and what {@code rounds} try-batches of 10 got in */
    private static long publishBatches(Topic<Slot> t, Long[] batch, int rounds) {
        long accepted = 0;
        for (int r = 0; r < rounds; r++) {
            t.publish(ONE, batch, r % 50, 50);
            accepted += 50;
            if (t.tryPublish(ONE, batch, 0, 10).accepted()) {
                accepted += 10;
            }
        }
        return accepted;
    }

    /**
     * Close races publishers of random-sized batches (two publishers on a multi-publisher topic, one on a
     * single-publisher topic): every batch whose publish returned is delivered whole, in order, exactly once, to an
     * inline and an offloaded subscription; every refused batch is delivered not at all.
     */
    @Test
    void shouldDeliverEveryAcceptedBatchExactlyOnceWhenCloseRacesPublishers() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        int rounds = 0;
        while (System.nanoTime() < end || rounds < 6) {
            boolean single = rounds % 2 == 1;
            int ring = rounds % 4 < 2 ? 32 : 512;
            race(single ? 1 : 2, single, ring, rounds);
            rounds++;
        }
    }

    private void race(int publishers, boolean single, int ringSize, int round) throws Exception {
        ExecutorService executor = executor();
        EventBus bus = Buses.bus(Buses.config(ringSize).build(), executor);
        TopicOptions<Slot> options = TopicOptions.of(Slot::new);
        Topic<Slot> t = bus.topic("race", single ? options.singlePublisher() : options);
        // per publisher: next value expected by each subscription, and anything out of order
        long[] inlineNext = new long[publishers];
        AtomicLong[] offloadedNext = new AtomicLong[publishers];
        for (int p = 0; p < publishers; p++) {
            offloadedNext[p] = new AtomicLong();
        }
        AtomicLong disorder = new AtomicLong();
        AtomicLong inline = new AtomicLong();
        AtomicLong offloaded = new AtomicLong();
        bus.subscribe(t, s -> {
            int p = (int) s.m;
            if (s.n != inlineNext[p]) {
                disorder.incrementAndGet();
            }
            inlineNext[p] = s.n + 1;
            inline.incrementAndGet();
        });
        bus.subscriber(t).mode(DeliveryMode.OFFLOADED).maxInFlight(8).subscribe(s -> {
            if (!offloadedNext[(int) s.m].compareAndSet(s.n, s.n + 1)) {
                disorder.incrementAndGet();
            }
            offloaded.incrementAndGet();
        });
        AtomicLong[] accepted = new AtomicLong[publishers];
        Thread[] threads = new Thread[publishers];
        for (int p = 0; p < publishers; p++) {
            AtomicLong acc = accepted[p] = new AtomicLong();
            Long pid = (long) p;
            Long[] ids = new Long[ringSize];
            Long[] pids = new Long[ringSize];
            java.util.Arrays.fill(pids, pid);
            threads[p] = new Thread(() -> {
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(round * 31L + pid);
                long next = 0;
                while (true) {
                    int n = 1 + rnd.nextInt(ringSize);
                    for (int i = 0; i < n; i++) {
                        ids[i] = next + i;
                    }
                    try {
                        t.publish(TWO, ids, pids, 0, n);
                    } catch (RingClosedException closed) {
                        return;
                    }
                    next += n;
                    acc.lazySet(next);
                }
            }, "test-batch-publisher-" + p);
        }
        for (Thread th : threads) {
            th.start();
        }
        long closeAfter = new java.util.SplittableRandom(round).nextLong(0, 20_000);
        while (accepted[0].get() < closeAfter) {
            Thread.yield();
        }
        ShutdownReport r = bus.shutdown(Duration.ofSeconds(10));
        for (Thread th : threads) {
            th.join(10_000);
            assertThat(th.isAlive()).isFalse();
        }
        executor.shutdownNow();
        long total = 0;
        for (int p = 0; p < publishers; p++) {
            total += accepted[p].get();
            assertThat(inlineNext[p]).as("inline, publisher %d", p).isEqualTo(accepted[p].get());
            assertThat(offloadedNext[p].get()).as("offloaded, publisher %d", p).isEqualTo(accepted[p].get());
        }
        assertThat(r.completed()).as(r.toString()).isTrue();
        assertThat(disorder.get()).isZero();
        assertThat(inline.get()).isEqualTo(total);
        assertThat(offloaded.get()).isEqualTo(total);
        assertThat(t.stats().published()).isEqualTo(total);
    }
}
