package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
import io.vela.engine.VelaConfig;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Adversarial review of issue #12's changes (batch publish, the consumers' probe): each test failed on the code it
 * was written against (main @ cb855eb, perf-bus merged).
 */
class BusBatchProbeReviewTest {
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<EventBus> buses = new CopyOnWriteArrayList<>();
    private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        for (EventBus b : buses) {
            b.shutdown(Duration.ofMillis(200));
        }
        for (ExecutorService e : executors) {
            e.shutdownNow();
        }
    }

    /** A bus whose threads this test can watch. */
    private EventBus bus(VelaConfig.Builder config) {
        ExecutorService executor = Buses.executor();
        executors.add(executor);
        EventBus b = EventBus.create(config.build(), executor, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
        buses.add(b);
        return b;
    }

    private List<Thread> consumerThreads() {
        return threads.stream().filter(t -> t.getName().contains("-events-")).toList();
    }

    // ---- 1. a halted consumer with published slots still ahead of it: the probe finds them available before it
    // looks at the alert, processBatch stops at once on the halt flag, and the loop probes again — for ever ----

    @Test
    @Timeout(20)
    void aHaltedConsumerWithEventsStillQueuedEndsInsteadOfSpinning() throws Exception {
        EventBus bus = bus(Buses.config(64));
        CountDownLatch entered = new CountDownLatch(1);
        bus.subscribe(Integer.class, x -> {
            entered.countDown();
            Thread.sleep(60_000); // returns when the halt interrupts it
        });
        for (int i = 0; i < 10; i++) {
            bus.publish(i);
        }
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        ShutdownReport r = bus.shutdown(Duration.ofMillis(100));
        assertThat(r.completed()).isFalse();
        List<Thread> consumers = consumerThreads();
        assertThat(consumers).isNotEmpty();
        for (Thread t : consumers) {
            t.join(3_000);
            assertThat(t.isAlive()).as("consumer %s ended after the halt; it is %s at %s", t.getName(),
                    t.getState(), List.of(t.getStackTrace())).isFalse();
        }
    }

    // ---- 2. the same, and a consumer that went idle being woken, under every wait strategy a topic can use ----

    /** One slot; the batch translator stores the argument. */
    static final class Cell {
        long v;
    }

    private static final EventTranslatorOneArg<Cell, Long> SET = (c, v) -> c.v = v;

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BUSY_SPIN", "YIELDING", "PHASED_BACKOFF", "SLEEPING",
            "LITE_BLOCKING", "BLOCKING", "TIMEOUT_BLOCKING"})
    @Timeout(20)
    void anIdleConsumerIsWokenAndAHaltedOneEndsUnderEveryWaitStrategy(WaitStrategy strategy) throws Exception {
        EventBus bus = bus(Buses.config(64).set(Settings.EVENTS_WAIT_STRATEGY, strategy));
        Topic<Cell> t = bus.topic("cells", Cell::new);
        java.util.concurrent.atomic.AtomicLong sum = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        CountDownLatch entered = new CountDownLatch(1);
        bus.subscribe(t, c -> {
            if (c.v < 0) {
                entered.countDown();
                Thread.sleep(60_000); // returns when the halt interrupts it
                return;
            }
            sum.addAndGet(c.v);
            count.incrementAndGet();
        });
        Long[] batch = new Long[10];
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < batch.length; i++) {
                batch[i] = (long) (round * 10 + i);
            }
            t.publishAll(SET, batch);
            t.publish(SET, 1000L);
            long want = 11L * (round + 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (count.get() < want && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(count.get()).as("round %d delivered after the consumer idled", round).isEqualTo(want);
            Thread.sleep(30); // long enough for a parking strategy to park
        }
        assertThat(sum.get()).isEqualTo(435L + 3 * 1000L);
        t.publishAll(SET, new Long[] {-1L, 1L, 2L, 3L});
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(bus.shutdown(Duration.ofMillis(100)).completed()).isFalse();
        for (Thread c : consumerThreads()) {
            c.join(3_000);
            assertThat(c.isAlive()).as("consumer %s ended after the halt (%s)", c.getName(), strategy).isFalse();
        }
        assertThat(count.get()).as("nothing after the halted slot ran").isEqualTo(33L);
    }

    // ---- 3. a batch refused on a single-publisher topic (a second publishing thread) counted 1 in rejected, not
    // every event of it as the docs say ("stats().rejected() counts every event of a refused batch") ----

    @Test
    @Timeout(10)
    void aBatchFromASecondThreadOfASinglePublisherTopicCountsEveryEventRejected() throws Exception {
        EventBus bus = bus(Buses.config(64));
        Topic<Cell> t = bus.topic("single", TopicOptions.of(Cell::new).singlePublisher());
        t.publish(SET, 1L); // this thread is the publisher now
        java.util.concurrent.CompletableFuture<Throwable> other = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    Throwable thrown = null;
                    try {
                        t.publish(SET, new Long[] {1L, 2L, 3L, 4L, 5L}, 0, 5);
                    } catch (Throwable e) {
                        thrown = e;
                    }
                    try {
                        t.tryPublish(SET, new Long[] {1L, 2L, 3L}, 0, 3);
                    } catch (EventBusException e) {
                        return thrown;
                    }
                    return new AssertionError("tryPublish of a batch from a second thread was not refused");
                }, r -> new Thread(r, "test-second-publisher").start());
        assertThat(other.get(5, TimeUnit.SECONDS)).isInstanceOf(EventBusException.class);
        assertThat(t.stats().rejected()).as("5 + 3 events refused").isEqualTo(8);
        assertThat(t.stats().published()).isEqualTo(1);
    }

    // ---- 4. (held) the counts agree when close races batches refused every way (full, a throwing translator,
    // closed): every event counted once, as published or as rejected ----

    /** A slot carrying the publisher and its running id. */
    static final class Pair {
        long id;
        long pid;
    }

    private static final EventTranslatorTwoArg<Pair, Long, Long> PAIR = (s, id, pid) -> {
        if (id < 0) {
            throw new IllegalStateException("a translator failing mid-batch");
        }
        s.id = id;
        s.pid = pid;
    };

    @Test
    @Timeout(30)
    void everyEventIsCountedOnceAsPublishedOrRejectedWhenCloseRacesRefusedBatches() throws Exception {
        for (int round = 0; round < 24; round++) {
            boolean single = round % 2 == 1;
            countsRace(single ? 1 : 2, single, round);
        }
    }

    private void countsRace(int publishers, boolean single, int round) throws Exception {
        int ring = 32;
        EventBus bus = bus(Buses.config(ring).set(Settings.EVENTS_OVERFLOW, io.vela.engine.OverflowPolicy.FAIL_FAST));
        TopicOptions<Pair> options = TopicOptions.of(Pair::new);
        Topic<Pair> t = bus.topic("counts", single ? options.singlePublisher() : options);
        long[] next = new long[publishers];
        java.util.concurrent.atomic.AtomicLong disorder = new java.util.concurrent.atomic.AtomicLong();
        Subscription sub = bus.subscribe(t, s -> {
            int p = (int) s.pid;
            if (s.id != next[p]) {
                disorder.incrementAndGet();
            }
            next[p] = s.id + 1;
        });
        long[] accepted = new long[publishers];
        long[] refused = new long[publishers];
        java.util.concurrent.atomic.AtomicLong progress = new java.util.concurrent.atomic.AtomicLong();
        Thread[] threads = new Thread[publishers];
        for (int p = 0; p < publishers; p++) {
            int me = p;
            threads[p] = new Thread(() -> {
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(round * 17L + me);
                Long[] ids = new Long[ring];
                Long[] pids = new Long[ring];
                java.util.Arrays.fill(pids, (long) me);
                while (true) {
                    int n = 1 + rnd.nextInt(ring / 2);
                    boolean failing = rnd.nextInt(8) == 0;
                    for (int i = 0; i < n; i++) {
                        ids[i] = accepted[me] + i;
                    }
                    if (failing) {
                        ids[rnd.nextInt(n)] = -1L;
                    }
                    try {
                        t.publish(PAIR, ids, pids, 0, n);
                        accepted[me] += n;
                    } catch (io.vela.engine.RingFullException | IllegalStateException e) {
                        refused[me] += n;
                    } catch (io.vela.engine.RingClosedException e) {
                        refused[me] += n;
                        return;
                    }
                    progress.incrementAndGet();
                }
            }, "test-counts-publisher-" + p);
        }
        for (Thread th : threads) {
            th.start();
        }
        long closeAfter = new java.util.SplittableRandom(round).nextLong(100, 3_000);
        while (progress.get() < closeAfter) {
            Thread.yield();
        }
        ShutdownReport r = bus.shutdown(Duration.ofSeconds(10));
        long acc = 0;
        long ref = 0;
        for (int p = 0; p < publishers; p++) {
            threads[p].join(10_000);
            assertThat(threads[p].isAlive()).isFalse();
            acc += accepted[p];
            ref += refused[p];
            assertThat(next[p]).as("round %d publisher %d: delivered in order up to what it had accepted", round, p)
                    .isEqualTo(accepted[p]);
        }
        assertThat(r.completed()).as(r.toString()).isTrue();
        assertThat(disorder.get()).isZero();
        assertThat(t.stats().published()).as("round %d published", round).isEqualTo(acc);
        assertThat(t.stats().rejected()).as("round %d rejected", round).isEqualTo(ref);
        assertThat(sub.stats().delivered()).isEqualTo(acc);
    }

    // ---- 5. (held) subscribers that throw, stop, or close themselves in the middle of a batch; null elements ----

    @Test
    @Timeout(10)
    void subscribersFailingOrLeavingMidBatchAffectOnlyThemselves() throws Exception {
        EventBus bus = bus(Buses.config(64));
        Topic<Cell> t = bus.topic("mid", Cell::new);
        List<Long> all = new CopyOnWriteArrayList<>();
        List<Long> throwing = new CopyOnWriteArrayList<>();
        List<Long> stopping = new CopyOnWriteArrayList<>();
        List<Long> leaving = new CopyOnWriteArrayList<>();
        Subscription thrower = bus.subscriber(t).errorPolicy(ErrorPolicy.logAndContinue()).subscribe(c -> {
            throwing.add(c.v);
            if (c.v == 2) {
                throw new IllegalStateException("handler fails at 2");
            }
        });
        Subscription stopper = bus.subscriber(t).errorPolicy(ErrorPolicy.stop()).subscribe(c -> {
            stopping.add(c.v);
            if (c.v == 2) {
                throw new IllegalStateException("handler fails at 2 and stops");
            }
        });
        Subscription[] self = new Subscription[1];
        CountDownLatch made = new CountDownLatch(1);
        self[0] = bus.subscribe(t, c -> {
            made.await();
            leaving.add(c.v);
            if (c.v == 2) {
                self[0].close(); // events published before this call are still delivered: the rest of the batch
            }
        });
        made.countDown();
        bus.subscribe(t, c -> all.add(c.v));
        EventTranslatorOneArg<Cell, Long> nullable = (c, v) -> c.v = v == null ? -7 : v;
        t.publish(nullable, new Long[] {0L, 1L, 2L, null, 4L}, 0, 5);
        self[0].terminated().toCompletableFuture().get(5, TimeUnit.SECONDS);
        t.publish(nullable, new Long[] {5L, 6L}, 0, 2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (all.size() < 7 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(all).containsExactly(0L, 1L, 2L, -7L, 4L, 5L, 6L);
        assertThat(throwing).isEqualTo(all);
        assertThat(thrower.stats().failed()).isEqualTo(1);
        assertThat(thrower.stats().delivered()).isEqualTo(6);
        assertThat(stopping).containsExactly(0L, 1L, 2L);
        assertThat(stopper.isActive()).isFalse();
        assertThat(leaving).containsExactly(0L, 1L, 2L, -7L, 4L);
        assertThat(bus.shutdown(Duration.ofSeconds(5)).completed()).isTrue();
    }

    // ---- 6. (held) a batch waiting under block-timeout, or interrupted under block, is refused whole ----

    @Test
    @Timeout(10)
    void aBatchWaitingForRoomIsRefusedWholeOnTimeoutAndOnInterrupt() throws Exception {
        for (io.vela.engine.OverflowPolicy policy : List.of(io.vela.engine.OverflowPolicy.BLOCK_TIMEOUT,
                io.vela.engine.OverflowPolicy.BLOCK)) {
            EventBus bus = bus(Buses.config(16).set(Settings.EVENTS_OVERFLOW, policy)
                    .set(Settings.EVENTS_BLOCK_TIMEOUT_MS, 100L));
            Topic<Cell> t = bus.topic("wait", Cell::new);
            CountDownLatch release = new CountDownLatch(1);
            List<Long> got = new CopyOnWriteArrayList<>();
            bus.subscribe(t, c -> {
                release.await();
                got.add(c.v);
            });
            t.publish(SET, new Long[] {0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L}, 0, 10);
            java.util.concurrent.CompletableFuture<Throwable> refused = new java.util.concurrent.CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    t.publish(SET, new Long[] {10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L}, 0, 8);
                    refused.complete(null);
                } catch (Throwable e) {
                    refused.complete(Thread.currentThread().isInterrupted() || policy
                            == io.vela.engine.OverflowPolicy.BLOCK_TIMEOUT ? e : new AssertionError("flag lost", e));
                }
            }, "test-batch-waiter");
            waiter.start();
            if (policy == io.vela.engine.OverflowPolicy.BLOCK) {
                Thread.sleep(50);
                waiter.interrupt();
            }
            assertThat(refused.get(5, TimeUnit.SECONDS)).as("%s", policy)
                    .isInstanceOf(io.vela.engine.RingFullException.class);
            assertThat(t.stats().rejected()).as("%s: every event of the batch", policy).isEqualTo(8);
            release.countDown();
            t.publish(SET, new Long[] {20L, 21L}, 0, 2);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.size() < 12 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(got).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 20L, 21L);
            assertThat(t.stats().published()).isEqualTo(12);
        }
    }

    // ---- 7. a translator that publishes on its own single-publisher topic: the nested publish moves the
    // single-producer cursor past the outer claim, so subscribers get the outer slots before they are written (and
    // the outer publish then moves the cursor back). It must be refused; a multi-publisher topic copes already ----

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    @Timeout(10)
    void aTranslatorPublishingOnItsOwnSinglePublisherTopicIsRefusedNotHalfDelivered(boolean batch) throws Exception {
        EventBus bus = bus(Buses.config(64));
        Topic<Cell> t = bus.topic("nested", TopicOptions.of(Cell::new).singlePublisher());
        List<Long> got = new CopyOnWriteArrayList<>();
        bus.subscribe(t, c -> got.add(c.v));
        t.publish(SET, 0L);
        java.util.concurrent.atomic.AtomicReference<Throwable> nested = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch nestedReturned = new CountDownLatch(1);
        EventTranslatorOneArg<Cell, Long> publishesInside = (c, v) -> {
            if (v == 1L) {
                try {
                    t.publish(SET, 99L);
                } catch (Throwable e) {
                    nested.set(e);
                }
                nestedReturned.countDown();
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // shown now: read unwritten
            }
            c.v = v;
        };
        if (batch) {
            t.publish(publishesInside, new Long[] {1L, 2L, 3L}, 0, 3);
        } else {
            t.publish(publishesInside, 1L);
        }
        assertThat(nestedReturned.await(5, TimeUnit.SECONDS)).isTrue();
        t.publish(SET, 4L);
        List<Long> want = batch ? List.of(0L, 1L, 2L, 3L, 4L) : List.of(0L, 1L, 4L);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (got.size() < want.size() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Thread.sleep(20);
        assertThat(got).as("nothing unwritten delivered, nothing out of order").isEqualTo(want);
        assertThat(nested.get()).as("the nested publish is refused by name").isInstanceOf(EventBusException.class)
                .hasMessageContaining("nested");
        assertThat(t.stats().published()).isEqualTo(want.size());
    }
}
