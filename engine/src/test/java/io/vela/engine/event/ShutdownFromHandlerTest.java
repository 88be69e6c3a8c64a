package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.RingClosedException;
import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
import io.vela.engine.VelaRuntime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code shutdown()} / {@code runtime.close()} called from inside a handler must not wait for the very thread it runs
 * on (ADR 0004, "Shutdown from a handler"), while a shutdown from any other thread still waits and reports.
 */
@Timeout(30)
class ShutdownFromHandlerTest {
    private static final int EVENTS = 10;

    /** Publishes 0..EVENTS-1; the handler of event 0 calls {@code shutdown} once all are published. */
    private static void shutdownFromHandler(DeliveryMode mode) throws Exception {
        ExecutorService executor = Buses.executor();
        EventBus bus = Buses.bus(Buses.config(64).build(), executor);
        try {
            CountDownLatch published = new CountDownLatch(1);
            AtomicInteger got = new AtomicInteger();
            CompletableFuture<Long> callNanos = new CompletableFuture<>();
            CompletableFuture<ShutdownReport> inner = new CompletableFuture<>();
            bus.subscriber(Integer.class).mode(mode).subscribe(x -> {
                if (x == 0) {
                    published.await();
                    long t0 = System.nanoTime();
                    try {
                        inner.complete(bus.shutdown(Duration.ofSeconds(4)));
                    } catch (Throwable t) {
                        inner.completeExceptionally(t);
                    }
                    callNanos.complete(System.nanoTime() - t0);
                }
                got.incrementAndGet();
            });
            for (int i = 0; i < EVENTS; i++) {
                bus.publish(i);
            }
            published.countDown();
            long took = callNanos.get(20, TimeUnit.SECONDS);
            ShutdownReport interim = inner.get(1, TimeUnit.SECONDS);
            // before the fix the call waited for its own consumer (or its own window entry) for the whole deadline,
            // then halted the bus: events 1..9 were never delivered
            assertThat(Duration.ofNanos(took)).as("shutdown called from the handler waited for itself")
                    .isLessThan(Duration.ofSeconds(2));
            assertThat(interim.name()).isEqualTo("events");
            assertThat(interim.completed()).as("%s", interim).isFalse();
            assertThatThrownBy(() -> bus.publish(99)).isInstanceOf(RingClosedException.class);
            // a later call from an ordinary thread waits for the close the handler began, and gets its final report
            ShutdownReport last = bus.shutdown(Duration.ofSeconds(8));
            assertThat(last.completed()).as("%s", last).isTrue();
            assertThat(last.notRun()).isZero();
            assertThat(got.get()).as("every accepted event delivered").isEqualTo(EVENTS);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldNotWaitForItsOwnConsumerWhenAnInlineHandlerShutsTheBusDown() throws Exception {
        shutdownFromHandler(DeliveryMode.INLINE);
    }

    @Test
    void shouldNotWaitForItsOwnDeliveryWhenAnOffloadedHandlerShutsTheBusDown() throws Exception {
        shutdownFromHandler(DeliveryMode.OFFLOADED);
    }

    @Test
    void shouldStillWaitForDeliveriesWhenAnOrdinaryThreadShutsDown() throws Exception {
        ExecutorService executor = Buses.executor();
        EventBus bus = Buses.bus(Buses.config(64).build(), executor);
        try {
            AtomicInteger got = new AtomicInteger();
            CountDownLatch entered = new CountDownLatch(1);
            bus.subscribe(Integer.class, x -> {
                entered.countDown();
                Thread.sleep(30);
                got.incrementAndGet();
            });
            for (int i = 0; i < EVENTS; i++) {
                bus.publish(i);
            }
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            long t0 = System.nanoTime();
            ShutdownReport r = bus.shutdown(Duration.ofSeconds(10));
            long took = System.nanoTime() - t0;
            assertThat(r.completed()).as("%s", r).isTrue();
            assertThat(got.get()).as("delivered before shutdown returned").isEqualTo(EVENTS);
            assertThat(Duration.ofNanos(took)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * The handler of event 0 ({@code mode}) calls {@code runtime.close()} once all are published: the call returns
     * without waiting for itself, and every accepted event is delivered.
     *
     * @return the runtime, closing or closed
     */
    private static VelaRuntime closeRuntimeFromHandler(DeliveryMode mode) throws Exception {
        VelaRuntime rt = VelaRuntime.start(Buses.config(64).set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.SHUTDOWN_DEADLINE_MS, 4_000L).build());
        EventBus bus = rt.events();
        CountDownLatch published = new CountDownLatch(1);
        AtomicLong got = new AtomicLong();
        CompletableFuture<Long> closeNanos = new CompletableFuture<>();
        bus.subscriber(Integer.class).mode(mode).subscribe(x -> {
            if (x == 0) {
                published.await();
                long t0 = System.nanoTime();
                rt.close();
                closeNanos.complete(System.nanoTime() - t0);
            }
            got.incrementAndGet();
        });
        for (int i = 0; i < EVENTS; i++) {
            bus.publish(i);
        }
        published.countDown();
        assertThat(Duration.ofNanos(closeNanos.get(20, TimeUnit.SECONDS)))
                .as("runtime.close() called from a %s handler waited for its own consumer or worker", mode)
                .isLessThan(Duration.ofSeconds(2));
        ShutdownReport last = bus.shutdown(Duration.ofSeconds(8)); // waits for the close the handler began
        assertThat(last.completed()).as("%s", last).isTrue();
        assertThat(got.get()).as("every accepted event delivered").isEqualTo(EVENTS);
        return rt;
    }

    @Test
    void shouldCloseTheRuntimeFromAnInlineHandlerWithoutWaitingForItself() throws Exception {
        VelaRuntime rt = closeRuntimeFromHandler(DeliveryMode.INLINE);
        // the close runs on a thread of its own (a consumer thread is one the close waits for): wait for its reports
        java.util.List<ShutdownReport> reports = rt.shutdown(Duration.ofSeconds(8));
        assertThat(reports).extracting(ShutdownReport::name).contains("events");
        assertThat(rt.shutdownReports()).isEqualTo(reports);
    }

    /**
     * An offloaded handler runs on a worker of the runtime's executor: {@code runtime.close()} from it must not wait
     * for that worker either (the executor's drain needs the worker to return).
     */
    @Test
    void shouldCloseTheRuntimeFromAnOffloadedHandlerWithoutWaitingForItsOwnWorker() throws Exception {
        VelaRuntime rt = closeRuntimeFromHandler(DeliveryMode.OFFLOADED);
        java.util.List<ShutdownReport> reports = rt.shutdown(Duration.ofSeconds(8)); // the close on its own thread
        assertThat(reports).as("%s", reports).isNotEmpty().allSatisfy(r -> assertThat(r.completed()).isTrue());
    }

    /**
     * Publishers race a handler that shuts the bus down (two consumer threads, one subscription each, one of them
     * calling {@code shutdown} from its handler): every event whose publish returned reaches both subscriptions
     * exactly once, no refused one reaches either, and nothing waits for itself.
     */
    @Test
    void shouldDeliverEveryAcceptedEventOnceWhenAHandlerShutsDownWhilePublishersRace() throws Exception {
        for (int round = 0; round < 5; round++) {
            ExecutorService executor = Buses.executor();
            EventBus bus = Buses.bus(Buses.config(256).set(Settings.EVENTS_CONSUMER_THREADS, 2).build(), executor);
            try {
                int perPublisher = 20_000;
                int publishers = 2;
                java.util.concurrent.atomic.AtomicIntegerArray seenA =
                        new java.util.concurrent.atomic.AtomicIntegerArray(perPublisher * publishers);
                java.util.concurrent.atomic.AtomicIntegerArray seenB =
                        new java.util.concurrent.atomic.AtomicIntegerArray(perPublisher * publishers);
                java.util.concurrent.atomic.AtomicIntegerArray accepted =
                        new java.util.concurrent.atomic.AtomicIntegerArray(perPublisher * publishers);
                AtomicInteger delivered = new AtomicInteger();
                int trigger = 1_000 + round * 3_000;
                CompletableFuture<Long> callNanos = new CompletableFuture<>();
                bus.subscriber(Integer.class).consumerThread(0).subscribe(x -> {
                    seenA.incrementAndGet(x);
                    if (delivered.incrementAndGet() == trigger) {
                        long t0 = System.nanoTime();
                        bus.shutdown(Duration.ofSeconds(10));
                        callNanos.complete(System.nanoTime() - t0);
                    }
                });
                bus.subscriber(Integer.class).consumerThread(1).subscribe(x -> seenB.incrementAndGet(x));
                Thread[] threads = new Thread[publishers];
                for (int p = 0; p < publishers; p++) {
                    int base = p * perPublisher;
                    threads[p] = new Thread(() -> {
                        for (int k = 0; k < perPublisher; k++) {
                            try {
                                bus.publish(base + k);
                                accepted.set(base + k, 1);
                            } catch (RingClosedException e) {
                                return; // closed: every later publish is refused too
                            }
                        }
                    });
                    threads[p].start();
                }
                for (Thread t : threads) {
                    t.join(20_000);
                    assertThat(t.isAlive()).isFalse();
                }
                assertThat(Duration.ofNanos(callNanos.get(20, TimeUnit.SECONDS))).isLessThan(Duration.ofSeconds(2));
                ShutdownReport last = bus.shutdown(Duration.ofSeconds(10));
                assertThat(last.completed()).as("%s", last).isTrue();
                for (int id = 0; id < accepted.length(); id++) {
                    int want = accepted.get(id);
                    assertThat(seenA.get(id)).as("event %d (accepted %d) at subscription A", id, want).isEqualTo(want);
                    assertThat(seenB.get(id)).as("event %d (accepted %d) at subscription B", id, want).isEqualTo(want);
                }
            } finally {
                executor.shutdownNow();
            }
        }
    }
}
