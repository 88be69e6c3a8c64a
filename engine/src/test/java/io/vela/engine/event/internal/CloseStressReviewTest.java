package io.vela.engine.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.RingRejectedException;
import io.vela.engine.ShutdownReport;
import io.vela.engine.WaitStrategy;
import io.vela.engine.event.DeliveryMode;
import io.vela.engine.event.EventBus;
import io.vela.engine.ShutdownReport;
import io.vela.engine.event.Subscription;
import io.vela.engine.event.SubscriptionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Subscriptions of every kind (inline, offloaded, async, lossy) on two consumer threads, closed — some twice, from
 * two threads — while one publisher publishes and while the bus shuts down. Every event is accounted for: a
 * subscription gets a gap-free prefix of the accepted events (lossy: increasing, no duplicates), no event twice, no
 * handler call after its {@code terminated()}, which always completes, and its {@code delivered()} equals its
 * handler calls; a subscription nobody closed gets every accepted event.
 */
@Timeout(60)
class CloseStressReviewTest {
    private static final int ROUNDS = 8;
    private static final int EVENTS = 2_000;

    /** One subscription's record of what its handler saw. */
    private static final class Probe {
        final ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
        final AtomicInteger afterTerminated = new AtomicInteger();
        volatile CompletableFuture<Void> terminated;
        boolean lossy;
        boolean closed;
        Subscription sub;

        void saw(int x) {
            CompletableFuture<Void> t = terminated;
            if (t != null && t.isDone()) {
                afterTerminated.incrementAndGet();
            }
            got.add(x);
        }
    }

    @Test
    void closesRacingPublishesAndTheShutdownAccountForEveryEvent() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            round(round);
        }
    }

    private void round(int round) throws Exception {
        ExecutorService offload = Executors.newFixedThreadPool(2);
        ExecutorService completer = Executors.newSingleThreadExecutor();
        EventBus bus = RaceBus.create(offload, "close-stress-" + round, WaitStrategy.LITE_BLOCKING, 2);
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            List<Probe> probes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Probe p = new Probe();
                SubscriptionBuilder<Integer> b = bus.subscriber(Integer.class).consumerThread(i % 2);
                switch (i % 4) {
                    case 0 -> p.sub = b.subscribe(x -> p.saw(x));
                    case 1 -> p.sub = b.mode(DeliveryMode.OFFLOADED).subscribe(x -> p.saw(x));
                    case 2 -> p.sub = b.subscribeAsync(x -> {
                        p.saw(x);
                        return (x & 1) == 0 ? CompletableFuture.completedFuture(null)
                                : CompletableFuture.runAsync(() -> { }, completer);
                    });
                    default -> {
                        p.lossy = true;
                        p.sub = bus.subscriber(Integer.class).lossy().subscribe(x -> p.saw(x));
                    }
                }
                p.terminated = p.sub.terminated().toCompletableFuture();
                p.closed = i < 4 || i == 6;
                probes.add(p);
            }
            AtomicInteger accepted = new AtomicInteger();
            AtomicBoolean publisherDone = new AtomicBoolean();
            Thread publisher = new Thread(() -> {
                try {
                    for (int x = 0; x < EVENTS; x++) {
                        bus.publish(x);
                        accepted.incrementAndGet();
                    }
                } catch (RingRejectedException closed) {
                    // the shutdown began: later events are refused
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    publisherDone.set(true);
                }
            }, "close-stress-publisher");
            threads.add(publisher);
            for (Probe p : probes) {
                if (!p.closed) {
                    continue;
                }
                for (int k = 0; k < (p.lossy ? 1 : 2); k++) { // lossless ones are closed from two threads at once
                    threads.add(new Thread(() -> {
                        try {
                            awaitAccepted(accepted, publisherDone, ThreadLocalRandom.current().nextInt(EVENTS));
                            p.sub.close();
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        }
                    }, "close-stress-closer"));
                }
            }
            threads.forEach(Thread::start);
            awaitAccepted(accepted, publisherDone, ThreadLocalRandom.current().nextInt(EVENTS / 2, EVENTS));
            ShutdownReport report = bus.shutdown(Duration.ofSeconds(5));
            for (Thread t : threads) {
                t.join(5_000);
                assertThat(t.isAlive()).as(t.getName()).isFalse();
            }
            assertThat(failure.get()).isNull();
            assertThat(report.completed()).as("round %d: %s", round, report).isTrue();
            int n = accepted.get();
            for (Probe p : probes) {
                p.terminated.get(5, TimeUnit.SECONDS);
                String what = "round " + round + ", " + p.sub;
                List<Integer> got = new ArrayList<>(p.got);
                assertThat(p.afterTerminated.get()).as("handler calls after terminated(): " + what).isZero();
                assertThat(p.sub.stats().delivered()).as("delivered(): " + what).isEqualTo(got.size());
                assertThat(p.sub.stats().inFlight()).as(what).isZero();
                for (int i = 1; i < got.size(); i++) {
                    if (p.lossy) {
                        assertThat(got.get(i)).as(what).isGreaterThan(got.get(i - 1));
                    } else {
                        assertThat(got.get(i)).as("gap-free prefix: " + what).isEqualTo(i);
                    }
                }
                if (!p.lossy && !p.closed) {
                    assertThat(got).as("every accepted event: " + what).hasSize(n);
                }
                assertThat(got.size()).as(what).isLessThanOrEqualTo(n);
            }
        } finally {
            bus.shutdown(Duration.ofMillis(200));
            for (Thread t : threads) {
                t.interrupt();
            }
            offload.shutdownNow();
            completer.shutdownNow();
        }
    }

    /** Waits (up to 5 s) until the publisher has had {@code n} events accepted, or has stopped. */
    private static void awaitAccepted(AtomicInteger accepted, AtomicBoolean done, int n) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (accepted.get() < n && !done.get() && System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
