package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.VelaConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Adversarial review, second round (public API only): attacks the mechanisms added by c39d706 / 9202dac. Each test
 * failed on the code it was written against (review-bus-2 @ 9202dac).
 */
class EventBusAdversarialRound2Test extends BusFixture {
    // ---- 1. the thread that completes a failed async stage runs the dead-letter sink while the ring waits for that
    // very entry: a sink publishing into its own full topic waits for itself for ever (no enterDelivery marker) ----

    @Test
    @Timeout(10)
    void deadLetterSinkOfAFailedAsyncStageIsNotLeftWaitingForItselfOnAFullTopic() throws Exception {
        EventBus bus = bus(Buses.config(8), executor());
        CompletableFuture<Object> first = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Throwable> sinkOutcome = new AtomicReference<>();
        CountDownLatch sinkReturned = new CountDownLatch(1);
        DeadLetterSink sink = (sub, event, error) -> {
            try {
                bus.publish("dead:" + event); // re-publish into the same (full) topic
            } catch (Throwable t) {
                sinkOutcome.set(t); // refused at once is fine: the point is not to wait for itself
                throw t;
            } finally {
                sinkReturned.countDown();
            }
        };
        bus.subscriber(String.class).maxInFlight(1).errorPolicy(ErrorPolicy.deadLetter(sink))
                .subscribeAsync(e -> calls.getAndIncrement() == 0 ? first : CompletableFuture.completedFuture(e));
        for (int i = 0; i < 8; i++) { // ring of 8, window of 1 holding seq 0: the ring is now full
            bus.publish("e" + i);
        }
        assertThat(bus.tryPublish("probe")).as("the topic is full").isEqualTo(io.vela.engine.OfferResult.FULL);
        // a user thread fails the stage; the Completion runs fail() -> sink on it, before complete(index)
        Thread completer = new Thread(() -> first.completeExceptionally(new IllegalStateException("stage failed")),
                "user-completer");
        completer.setDaemon(true);
        completer.start();
        boolean returned = sinkReturned.await(3, TimeUnit.SECONDS);
        assertThat(returned).as("the dead-letter sink (run by the thread completing the stage, whose window entry "
                + "gates the full ring) returned instead of waiting for itself; it is at %s", stack(completer))
                .isTrue();
    }

    // ---- 2. a lossy copier's failure hands the dead-letter sink the live ring slot: the lossy consumer does not
    // gate, so publishers overwrite it while the sink still reads it (another event's contents) ----

    @Test
    @Timeout(10)
    void deadLetterSinkOfAFailedLossyCopyNeverSeesAnotherEventsContents() throws Exception {
        EventBus bus = bus(Buses.config(8), executor());
        BiConsumer<Slot, Slot> copier = (from, to) -> {
            if (from.value == 3) {
                throw new IllegalStateException("copier fails on 3");
            }
            to.value = from.value;
        };
        Topic<Slot> topic = bus.topic("lossy-dl", Slot::new, copier);
        CountDownLatch inSink = new CountDownLatch(1);
        AtomicReference<Object> received = new AtomicReference<>();
        DeadLetterSink sink = (sub, event, error) -> {
            received.set(event);
            inSink.countDown();
        };
        bus.subscriber(topic).lossy().errorPolicy(ErrorPolicy.deadLetter(sink)).subscribe(s -> { });
        for (int i = 1; i <= 3; i++) {
            topic.publish(Slot::set, i);
        }
        assertThat(inSink.await(3, TimeUnit.SECONDS)).as("sink called for the failed copy").isTrue();
        // not the live slot (publishers may overwrite it while the sink reads): what it was, by topic and sequence
        assertThat(received.get()).as("what the dead-letter sink received")
                .isEqualTo(new UnreadableEvent("lossy-dl", 2));
    }

    // ---- 3. an unbounded first shutdown waits for a stuck lossy handler with no look at the halt flag: a later,
    // bounded shutdown halts the bus, but the first call never "notices the halt within 10 ms" ----

    @Test
    @Timeout(10)
    void unboundedShutdownReturnsOnceALaterShutdownHaltsTheBusWithAStuckLossyHandler() throws Exception {
        EventBus bus = bus(Buses.config(64), executor());
        java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch entered = new CountDownLatch(1);
        bus.subscriber(String.class).lossy().subscribe(e -> {
            entered.countDown();
            while (!release.get()) { // ignores interrupts (a handler blocked in a library that swallows them)
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ignored) {
                    // swallowed
                }
            }
        });
        CountDownLatch firstReturned = new CountDownLatch(1);
        try {
            bus.publish("stuck");
            assertThat(entered.await(3, TimeUnit.SECONDS)).isTrue();
            Thread first = new Thread(() -> {
                bus.shutdown(Duration.ofMillis(Long.MAX_VALUE));
                firstReturned.countDown();
            }, "unbounded-close");
            first.setDaemon(true);
            first.start();
            Thread.sleep(200); // the first call is in its drain/finish
            long t0 = System.nanoTime();
            io.vela.engine.ShutdownReport second = bus.shutdown(Duration.ofMillis(300));
            assertThat(System.nanoTime() - t0).as("the second call returns by its deadline")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(1_000));
            assertThat(second.completed()).isFalse();
            assertThat(firstReturned.await(2, TimeUnit.SECONDS))
                    .as("the first (unbounded) shutdown returned after the second one halted the bus; it is at %s",
                            stack(first)).isTrue();
        } finally {
            release.set(true);
        }
    }

    // ---- 4. same hole on the refused-retry path: the dead-letter sink runs on the JDK's shared delay thread while
    // the entry still gates the full ring; it waits for itself (and holds every delayed task of the JVM) ----

    @Test
    @Timeout(10)
    void deadLetterSinkOfARefusedAsyncRetryIsNotLeftWaitingForItselfOnAFullTopic() throws Exception {
        Executor refusing = r -> {
            throw new java.util.concurrent.RejectedExecutionException("busy");
        };
        EventBus bus = bus(Buses.config(8), refusing);
        AtomicReference<Thread> sinkThread = new AtomicReference<>();
        CountDownLatch sinkReturned = new CountDownLatch(1);
        DeadLetterSink sink = (sub, event, error) -> {
            sinkThread.set(Thread.currentThread());
            try {
                bus.publish("dead:" + event);
            } finally {
                sinkReturned.countDown();
            }
        };
        AtomicInteger calls = new AtomicInteger();
        bus.subscriber(String.class).maxInFlight(1)
                .errorPolicy(ErrorPolicy.retry(1, Duration.ofMillis(300), ErrorPolicy.deadLetter(sink)))
                .subscribeAsync(e -> calls.getAndIncrement() == 0
                        ? CompletableFuture.failedFuture(new IllegalStateException("first attempt fails"))
                        : CompletableFuture.completedFuture(e));
        for (int i = 0; i < 8; i++) { // window of 1 holds seq 0 until its retry is settled: the ring is full
            bus.publish("e" + i);
        }
        assertThat(bus.tryPublish("probe")).as("the topic is full").isEqualTo(io.vela.engine.OfferResult.FULL);
        boolean returned = sinkReturned.await(3, TimeUnit.SECONDS);
        Thread t = sinkThread.get();
        assertThat(returned).as("the dead-letter sink of a refused retry returned instead of waiting for itself; "
                + "it runs on %s at %s", t, t == null ? "-" : stack(t)).isTrue();
    }

    // ---- 5. a busy executor makes the consumer steal the offloaded drain; the stuck handler then runs on the consumer
    // thread itself, where closing the subscription (abandonment) cannot reach it: its neighbours stay jammed ----

    private static String stack(Thread t) {
        StringBuilder b = new StringBuilder();
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(st.length, 14); i++) {
            b.append("\n    ").append(st[i]);
        }
        return b.toString();
    }
}
