package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OfferResult;
import io.vela.engine.RingClosedException;
import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
import io.vela.engine.VelaConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Adversarial review of the event bus (public API only). Each test but the stress race failed on the code it was
 * written against (review-bus @ 101fbea); the stress race passes and is kept as a regression guard.
 */
class EventBusAdversarialTest extends BusFixture {
    private static void await(java.util.function.BooleanSupplier cond, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!cond.getAsBoolean() && System.nanoTime() - end < 0) {
            Thread.sleep(5);
        }
    }

    // ---- 1. a never-completing async future jams the whole topic, and closing that subscription does not help ----

    @Test
    @Timeout(10)
    void closingAnAsyncSubscriptionStuckOnAFullWindowFreesTheTopicForItsNeighbours() throws Exception {
        EventBus bus = bus(Buses.config(64), executor());
        Topic<Slot> topic = bus.topic("jam", Slot::new);
        Subscription stuck = bus.subscriber(topic).maxInFlight(1)
                .subscribeAsync(s -> new CompletableFuture<Void>()); // never completes: a user fault
        Queue<Integer> seen = new ConcurrentLinkedQueue<>();
        bus.subscribe(topic, s -> seen.add(s.value));

        topic.publish(Slot::set, 1);   // fills the stuck subscription's window
        topic.publish(Slot::set, 2);   // the consumer now waits for a window slot that never frees
        await(() -> seen.size() >= 1, 2_000);
        stuck.close();                 // the user gives up on the faulty subscription
        topic.publish(Slot::set, 3);   // published after close: the stuck subscription must not even want it

        await(() -> seen.contains(3), 2_000);
        assertThat(seen).as("the neighbour on the same consumer after the faulty subscription was closed")
                .containsExactly(1, 2, 3);
    }

    @Test
    @Timeout(10)
    void closingAnOffloadedSubscriptionWhoseHandlerNeverReturnsFreesTheTopicForItsNeighbours() throws Exception {
        EventBus bus = bus(Buses.config(64), executor());
        Topic<Slot> topic = bus.topic("jam-offloaded", Slot::new);
        CountDownLatch never = new CountDownLatch(1);
        try {
            Subscription stuck = bus.subscriber(topic).mode(DeliveryMode.OFFLOADED).maxInFlight(1).subscribe(s -> {
                try {
                    never.await(); // a handler that does not return (until the test ends)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Queue<Integer> seen = new ConcurrentLinkedQueue<>();
            bus.subscribe(topic, s -> seen.add(s.value));
            topic.publish(Slot::set, 1); // taken by the stuck drain
            await(() -> stuck.stats().inFlight() == 1 && seen.size() == 1, 2_000);
            Thread.sleep(20);
            topic.publish(Slot::set, 2); // fills the window
            topic.publish(Slot::set, 3); // the consumer waits for the window
            await(() -> seen.size() >= 2, 500);
            stuck.close();
            topic.publish(Slot::set, 4);
            await(() -> seen.contains(4), 2_000);
            assertThat(seen).as("the neighbour after the stuck offloaded subscription was closed")
                    .containsExactly(1, 2, 3, 4);
        } finally {
            never.countDown();
        }
    }

    /**
     * Giving up on a stalled, closed subscription must not let publishers overwrite a preallocated slot its stuck
     * handler still holds: on such a topic the slot is the event.
     */
    @Test
    @Timeout(10)
    void abandonedSubscriptionsStuckHandlerKeepsItsPreallocatedSlot() throws Exception {
        EventBus bus = bus(Buses.config(64), executor());
        Topic<Slot> topic = bus.topic("abandon-prealloc", Slot::new);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> observed = new CompletableFuture<>();
        try {
            Subscription stuck = bus.subscriber(topic).mode(DeliveryMode.OFFLOADED).maxInFlight(1).subscribe(s -> {
                if (observed.isDone()) {
                    return;
                }
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                observed.complete(s.value); // reads its slot after the stall
            });
            Queue<Integer> seen = new ConcurrentLinkedQueue<>();
            bus.subscribe(topic, s -> seen.add(s.value));
            topic.publish(Slot::set, 1); // taken by the stuck drain
            await(() -> stuck.stats().inFlight() == 1 && seen.size() == 1, 2_000);
            Thread.sleep(20);
            topic.publish(Slot::set, 2); // fills the window
            topic.publish(Slot::set, 3); // the consumer waits for the window
            await(() -> seen.size() >= 2, 500);
            stuck.close();
            Thread.sleep(400); // past the stall limit: the subscription is given up
            for (int i = 100; i < 300; i++) { // more than the ring holds
                topic.tryPublish(Slot::set, i);
            }
            release.countDown();
            assertThat(observed.get(5, TimeUnit.SECONDS)).as("the value the stuck handler read from its slot")
                    .isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    // ---- 2. a closed offloaded subscription whose window is not drained vanishes from the shutdown's accounting ----

    @Test
    @Timeout(10)
    void shutdownAccountsForTheUndrainedWindowOfAClosedOffloadedSubscription() throws Exception {
        List<Runnable> held = new CopyOnWriteArrayList<>(); // an executor whose workers are busy: accepts, runs later
        EventBus bus = bus(Buses.config(64), held::add);
        Topic<Slot> topic = bus.topic("retired", Slot::new);
        AtomicIntegerArray got = new AtomicIntegerArray(8);
        Subscription off = bus.subscriber(topic).mode(DeliveryMode.OFFLOADED).maxInFlight(8)
                .subscribe(s -> got.incrementAndGet(s.value));
        Queue<Integer> inline = new ConcurrentLinkedQueue<>();
        bus.subscribe(topic, s -> inline.add(s.value));
        for (int i = 1; i <= 3; i++) {
            topic.publish(Slot::set, i);
        }
        await(() -> inline.size() == 3, 2_000);
        Thread.sleep(50); // the consumer finishes the batch's bookkeeping
        off.close();      // events 1..3 were published before: they are still owed to `off`
        await(() -> topic.stats().subscribers() == 1, 2_000);

        ShutdownReport report = bus.shutdown(Duration.ofMillis(300));
        long deliveredToOff = off.stats().delivered();

        assertThat(deliveredToOff).isZero(); // the drain is still held by the executor
        assertThat(!report.completed() || report.notRun() >= 3)
                .as("report %s while 3 accepted events were never delivered to '%s' (inFlight %d)", report,
                        off.name(), off.stats().inFlight())
                .isTrue();
        held.forEach(Runnable::run);
    }

    // ---- 3. the stop policy of an async subscription on an idle topic never terminates it ----

    @Test
    @Timeout(10)
    void asyncSubscriptionStoppedByItsPolicyTerminatesOnAnIdleTopic() throws Exception {
        EventBus bus = bus(Buses.config(64), executor());
        Topic<Slot> topic = bus.topic("stop", Slot::new);
        CompletableFuture<Void> stage = new CompletableFuture<>();
        Subscription async = bus.subscriber(topic).errorPolicy(ErrorPolicy.stop()).subscribeAsync(s -> stage);
        Queue<Integer> inline = new ConcurrentLinkedQueue<>();
        bus.subscribe(topic, s -> inline.add(s.value));
        topic.publish(Slot::set, 1);
        await(() -> inline.size() == 1, 2_000);
        Thread.sleep(50); // the consumer is idle now
        stage.completeExceptionally(new IllegalStateException("boom")); // the policy stops the subscription

        await(() -> async.terminated().toCompletableFuture().isDone(), 2_000);
        assertThat(async.isActive()).isFalse();
        assertThat(async.stats().failed()).isEqualTo(1);
        assertThat(async.terminated().toCompletableFuture().isDone())
                .as("terminated() of a subscription its stop policy ended, on an idle topic").isTrue();
    }

    // ---- 4. a lossy copier that throws a RuntimeException on an intact slot loses the event silently ----

    @Test
    @Timeout(10)
    void lossyCopierThatThrowsOnAnIntactSlotIsCountedNotSilentlySkipped() throws Exception {
        EventBus bus = bus(Buses.config(64), executor());
        BiConsumer<Slot, Slot> copier = (from, to) -> {
            if (from.value == 3) {
                throw new IllegalStateException("copier fails on 3");
            }
            to.value = from.value;
        };
        Topic<Slot> topic = bus.topic("copier", Slot::new, copier);
        Queue<Integer> seen = new ConcurrentLinkedQueue<>();
        Subscription lossy = bus.subscriber(topic).lossy().subscribe(s -> seen.add(s.value));
        for (int i = 1; i <= 5; i++) {
            topic.publish(Slot::set, i);
        }
        await(() -> seen.contains(5), 2_000);
        Thread.sleep(50);
        SubscriberStats st = lossy.stats();
        assertThat(seen).containsExactly(1, 2, 4, 5);
        assertThat(st.delivered() + st.dropped() + st.failed())
                .as("every slot of a lossy window is delivered, dropped or failed — never silent: %s", st)
                .isEqualTo(5);
    }

    // ---- 5. a lossy copier that throws an Error jams the lossy consumer on that slot for ever ----

    @Test
    @Timeout(10)
    void lossyCopierThatThrowsAnErrorDoesNotJamTheLossyConsumer() throws Exception {
        EventBus bus = bus(Buses.config(64), executor());
        AtomicBoolean armed = new AtomicBoolean(true);
        BiConsumer<Slot, Slot> copier = (from, to) -> {
            if (from.value == 3 && armed.get()) {
                throw new AssertionError("copier Error on 3");
            }
            to.value = from.value;
        };
        Topic<Slot> topic = bus.topic("copier-error", Slot::new, copier);
        Queue<Integer> seen = new ConcurrentLinkedQueue<>();
        bus.subscriber(topic).lossy().subscribe(s -> seen.add(s.value));
        for (int i = 1; i <= 5; i++) {
            topic.publish(Slot::set, i);
        }
        List<Integer> before;
        try {
            await(() -> seen.contains(5), 500);
            before = new ArrayList<>(seen);
        } finally {
            armed.set(false); // stop the log flood of the re-tried slot
        }
        assertThat(before).as("events after the slot whose copier threw an Error (while it still throws)")
                .contains(4, 5);
    }

    // ---- 6. an async stage that fires its callback twice is counted twice and frees a slot that is not its own ----

    @Test
    @Timeout(10)
    void asyncStageCompletingTwiceIsCountedOnce() throws Exception {
        EventBus bus = bus(Buses.config(64), executor());
        Topic<Slot> topic = bus.topic("twice", Slot::new);
        Subscription async = bus.subscriber(topic).maxInFlight(1).subscribeAsync(s -> new TwiceStage());
        for (int i = 1; i <= 10; i++) {
            topic.publish(Slot::set, i);
        }
        await(() -> async.stats().delivered() >= 10 && async.stats().inFlight() == 0, 2_000);
        Thread.sleep(50);
        assertThat(async.stats().delivered()).as("delivered for 10 events").isEqualTo(10);
    }

    /** A user's stage that calls its whenComplete action twice (a broken, but user-supplied, CompletionStage). */
    static final class TwiceStage extends CompletableFuture<Object> {
        TwiceStage() {
            complete("done");
        }

        @Override
        public CompletableFuture<Object> whenComplete(java.util.function.BiConsumer<? super Object, ? super Throwable> a) {
            a.accept("done", null);
            a.accept("done", null);
            return this;
        }
    }

    // ---- 7. tryPublish racing the first use of the default topic and close() throws instead of answering CLOSED ----

    @Test
    @Timeout(10)
    void tryPublishRacingCloseOnAnUnusedDefaultTopicAnswersClosedInsteadOfThrowing() throws Exception {
        List<Object> outcomes = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            CountDownLatch inFactory = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean blockNext = new AtomicBoolean(true);
            EventBus bus = EventBus.create(Buses.config(64).build(), Runnable::run, r -> {
                if (blockNext.compareAndSet(true, false)) { // the first topic's thread: the bus lock is held
                    inFactory.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                Thread t = new Thread(r);
                t.setDaemon(true);
                return t;
            });
            buses.add(bus);
            Thread declarer = new Thread(() -> bus.topic("other", Slot::new));
            declarer.start();
            inFactory.await();
            AtomicReference<Object> result = new AtomicReference<>();
            Thread publisher = new Thread(() -> {
                try {
                    result.set(bus.tryPublish("event"));
                } catch (Throwable t) {
                    result.set(t);
                }
            });
            publisher.start();
            awaitState(publisher, Thread.State.BLOCKED);
            Thread closer = new Thread(() -> bus.shutdown(Duration.ofMillis(500)));
            closer.start();
            awaitState(closer, Thread.State.BLOCKED);
            release.countDown();
            declarer.join(5_000);
            publisher.join(5_000);
            closer.join(5_000);
            outcomes.add(result.get());
            if (result.get() != OfferResult.ACCEPTED) {
                break; // the close won the lock: the interleaving under test happened
            }
        }
        assertThat(outcomes).as("tryPublish never throws a refusal")
                .noneMatch(o -> o instanceof Throwable);
    }

    private static void awaitState(Thread t, Thread.State state) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (t.getState() != state && System.nanoTime() - end < 0) {
            Thread.sleep(1);
        }
    }

    // ---- 8. an offloaded handler that unsubscribed itself, then publishes into its own full topic, waits for itself ----

    @Test
    @Timeout(10)
    void offloadedHandlerThatClosedItsSubscriptionIsStillRefusedOnItsOwnFullTopic() throws Exception {
        EventBus bus = bus(Buses.config(8), executor());
        Topic<Slot> topic = bus.topic("self-close", Slot::new);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Subscription> self = new AtomicReference<>();
        AtomicReference<Object> outcome = new AtomicReference<>();
        self.set(bus.subscriber(topic).mode(DeliveryMode.OFFLOADED).maxInFlight(8).subscribe(s -> {
            if (s.value != 1) {
                return;
            }
            try {
                go.await();
                self.get().close(); // unsubscribes itself; its window still holds events 2..8
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                while (topic.stats().subscribers() != 0 && System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
                topic.publish(Slot::set, 100); // its own topic, full because of its own window
                outcome.set("accepted");
            } catch (Throwable t) {
                outcome.set(t);
            }
        }));
        for (int i = 1; i <= 8; i++) {
            topic.publish(Slot::set, i); // fills the ring: the window holds slot 0 until event 1 is handled
        }
        go.countDown();
        await(() -> outcome.get() != null, 2_000);
        assertThat(outcome.get()).as("publish from the subscription's own drain into its full topic (remaining %d)",
                topic.stats().remainingCapacity()).isInstanceOf(io.vela.engine.RingFullException.class);
    }

    // ---- 9. an async retry runs on an executor thread, which may then wait for itself on the full topic ----

    @Test
    @Timeout(10)
    void asyncRetryPublishingIntoItsOwnFullTopicIsRefusedInsteadOfDeadlocking() throws Exception {
        EventBus bus = bus(Buses.config(8), executor());
        Topic<Slot> topic = bus.topic("retry-self", Slot::new);
        AtomicReference<Object> outcome = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        bus.subscriber(topic).maxInFlight(8).errorPolicy(ErrorPolicy.retry(1, Duration.ofMillis(200)))
                .subscribeAsync(s -> {
                    if (s.value == 1 && calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("first attempt fails");
                    }
                    if (s.value == 1) { // the retry, on an executor thread: the window still holds slot 0
                        try {
                            topic.publish(Slot::set, 100);
                            outcome.set("accepted");
                        } catch (Throwable t) {
                            outcome.set(t);
                        }
                    }
                    return CompletableFuture.completedFuture(null);
                });
        for (int i = 1; i <= 8; i++) {
            topic.publish(Slot::set, i);
        }
        await(() -> outcome.get() != null, 2_000);
        assertThat(calls.get()).as("the retry of event 1 ran").isEqualTo(2);
        assertThat(outcome.get()).as("publish from an async retry into its own full topic (remaining %d)",
                        topic.stats().remainingCapacity())
                .isInstanceOf(io.vela.engine.RingFullException.class);
    }

    // ---- regression guard: publishers x churning subscriptions x close, every id accounted per subscription ----

    /** An object event. */
    record Ev(int p, int id) {
    }

    @Test
    @Timeout(10)
    void publishersChurningSubscriptionsAndCloseAccountForEveryEventPerSubscription() throws Exception {
        final int publishers = 2;
        final int maxIds = 40_000;
        EventBus bus = bus(Buses.config(256).set(Settings.EVENTS_CONSUMER_THREADS, 2), executor());
        AtomicIntegerArray started = new AtomicIntegerArray(publishers); // id about to be published (+1)
        AtomicIntegerArray lastAccepted = new AtomicIntegerArray(publishers);
        for (int p = 0; p < publishers; p++) {
            lastAccepted.set(p, -1);
        }
        List<Tracked> tracked = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int pp = p;
            threads.add(new Thread(() -> {
                try {
                    for (int id = 0; id < maxIds && !stop.get(); id++) {
                        started.set(pp, id + 1);
                        try {
                            bus.publish(new Ev(pp, id));
                        } catch (RingClosedException closed) {
                            return;
                        }
                        lastAccepted.set(pp, id);
                        if ((id & 7) == 0) {
                            LockSupport.parkNanos(20_000);
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "adv-pub-" + p));
        }
        threads.add(new Thread(() -> {
            Random rnd = new Random(42);
            List<Tracked> live = new ArrayList<>();
            try {
                while (!stop.get()) {
                    if (live.size() < 4 || rnd.nextBoolean() && live.size() < 8) {
                        Tracked t = new Tracked(publishers, maxIds);
                        SubscriptionBuilder<Ev> b = bus.subscriber(Ev.class);
                        if (rnd.nextInt(3) == 0) {
                            b.mode(DeliveryMode.OFFLOADED).maxInFlight(16);
                        }
                        try {
                            t.sub = b.subscribe(e -> t.counts[e.p()].incrementAndGet(e.id()));
                        } catch (EventBusException closed) {
                            return;
                        }
                        for (int p = 0; p < publishers; p++) {
                            t.lo[p] = started.get(p); // ids above the one in progress started after subscribe
                        }
                        tracked.add(t);
                        live.add(t);
                    } else {
                        Tracked t = live.remove(rnd.nextInt(live.size()));
                        for (int p = 0; p < publishers; p++) {
                            t.hi[p] = lastAccepted.get(p); // returned before close(): owed
                        }
                        t.sub.close();
                        for (int p = 0; p < publishers; p++) {
                            t.forbidden[p] = started.get(p); // started after close() returned: never delivered
                        }
                        t.closedByUs = true;
                    }
                    LockSupport.parkNanos(rnd.nextInt(2_000_000));
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "adv-churn"));
        threads.forEach(Thread::start);
        Thread.sleep(1_500);
        ShutdownReport report = bus.shutdown(Duration.ofSeconds(3));
        stop.set(true);
        for (Thread t : threads) {
            t.join(3_000);
        }
        assertThat(failure.get()).isNull();
        assertThat(report.completed()).as("%s", report).isTrue();
        assertThat(tracked).hasSizeGreaterThan(4);
        for (Tracked t : tracked) {
            for (int p = 0; p < publishers; p++) {
                int hi = t.closedByUs ? t.hi[p] : lastAccepted.get(p);
                int forbidden = t.closedByUs ? t.forbidden[p] : lastAccepted.get(p) + 1;
                for (int id = 0; id < maxIds; id++) {
                    int c = t.counts[p].get(id);
                    assertThat(c).as("%s publisher %d id %d delivered more than once", t.sub.name(), p, id)
                            .isLessThanOrEqualTo(1);
                    if (id >= t.lo[p] && id <= hi) {
                        assertThat(c).as("%s publisher %d id %d (owed: %d..%d) lost", t.sub.name(), p, id,
                                t.lo[p], hi).isEqualTo(1);
                    }
                    if (id >= forbidden || id > lastAccepted.get(p)) {
                        assertThat(c).as("%s publisher %d id %d delivered though published after close or refused",
                                t.sub.name(), p, id).isZero();
                    }
                }
            }
        }
    }

    static final class Tracked {
        Subscription sub;
        final int[] lo;
        final int[] hi;
        final int[] forbidden;
        volatile boolean closedByUs;
        final AtomicIntegerArray[] counts;

        Tracked(int publishers, int maxIds) {
            lo = new int[publishers];
            hi = new int[publishers];
            forbidden = new int[publishers];
            counts = new AtomicIntegerArray[publishers];
            for (int p = 0; p < publishers; p++) {
                counts[p] = new AtomicIntegerArray(maxIds);
            }
        }
    }
}
