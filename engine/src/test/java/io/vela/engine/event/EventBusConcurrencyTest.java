package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingClosedException;
import io.vela.engine.RingFullException;
import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several publishers, subscribe/unsubscribe churn and a racing {@code close()}, round after round for a bounded
 * time. Every publish is accounted for: it returned (accepted) or threw (refused). Every stable subscription gets
 * every accepted event exactly once, in order per publisher; every churning subscription gets every accepted event
 * published after its {@code subscribe} returned and before its {@code close} was called, in order, no duplicates;
 * the close report says nothing was left undelivered.
 */
class EventBusConcurrencyTest {
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(6);
    private static final int PUBLISHERS = 3;
    private static final int MAX_PER_PUBLISHER = 40_000;

    record Ev(int publisher, int n) {
    }

    /** Per-publisher order and count, for one subscription; written by one handler call at a time. */
    static final class Recorder {
        final long[] count = new long[PUBLISHERS];
        final int[] last = {-1, -1, -1};
        final List<int[]> received = new ArrayList<>();
        final boolean keep;
        volatile long violations;

        Recorder(boolean keep) {
            this.keep = keep;
        }

        void on(Ev e) {
            if (e.n() <= last[e.publisher()]) {
                violations++;
            }
            last[e.publisher()] = e.n();
            count[e.publisher()]++;
            if (keep) {
                received.add(new int[] {e.publisher(), e.n()});
            }
        }
    }

    static final class Publisher extends Thread {
        final int id;
        final EventBus bus;
        final boolean[] accepted = new boolean[MAX_PER_PUBLISHER];
        final CountDownLatch go;
        volatile int started = -1;
        volatile int lastAccepted = -1;
        long acceptedCount;
        long refusedFull;
        long refusedClosed;

        Publisher(int id, EventBus bus, CountDownLatch go) {
            super("test-publisher-" + id);
            this.id = id;
            this.bus = bus;
            this.go = go;
        }

        @Override
        public void run() {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            for (int n = 0; n < MAX_PER_PUBLISHER; n++) {
                started = n;
                try {
                    bus.publish(new Ev(id, n));
                    accepted[n] = true;
                    acceptedCount++;
                    lastAccepted = n;
                } catch (RingFullException e) {
                    refusedFull++;
                } catch (RingClosedException e) {
                    refusedClosed++;
                    return;
                }
            }
        }
    }

    @Test
    void shouldAccountForEveryEventUnderPublishersChurnAndRacingClose() throws Exception {
        race(BUDGET_NANOS);
    }

    /** The same race for a minute (tagged slow: the build leaves it out; `-Dtest.excludedGroups=none` runs it). */
    @Test
    @Tag("slow")
    @Timeout(120)
    void shouldAccountForEveryEventInHalfAMinuteOfRaces() throws Exception {
        race(TimeUnit.SECONDS.toNanos(30));
    }

    private void race(long budgetNanos) throws Exception {
        long end = System.nanoTime() + budgetNanos;
        int rounds = 0;
        long totalAccepted = 0;
        long totalRefused = 0;
        long churnChecked = 0;
        while (System.nanoTime() < end || rounds < 4) {
            int consumers = 1 + rounds % 2;
            OverflowPolicy policy = rounds % 3 == 2 ? OverflowPolicy.FAIL_FAST : OverflowPolicy.BLOCK;
            ExecutorService executor = Buses.executor();
            EventBus bus = Buses.bus(Buses.config(rounds % 2 == 0 ? 64 : 256)
                    .set(Settings.EVENTS_CONSUMER_THREADS, consumers)
                    .set(Settings.EVENTS_OVERFLOW, policy).build(), executor);
            Recorder inline = new Recorder(false);
            Recorder offloaded = new Recorder(false);
            Recorder asyncRec = new Recorder(false);
            Recorder last = new Recorder(false);
            bus.subscriber(Ev.class).consumerThread(0).subscribe(inline::on);
            bus.subscriber(Ev.class).mode(DeliveryMode.OFFLOADED).maxInFlight(16).subscribe(offloaded::on);
            bus.subscriber(Ev.class).maxInFlight(8).subscribeAsync(e -> {
                asyncRec.on(e);
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            });
            bus.subscriber(Object.class).consumerThread(consumers - 1).filter(o -> o instanceof Ev)
                    .subscribe(o -> last.on((Ev) o));
            CountDownLatch go = new CountDownLatch(1);
            Publisher[] pubs = new Publisher[PUBLISHERS];
            for (int p = 0; p < PUBLISHERS; p++) {
                pubs[p] = new Publisher(p, bus, go);
                pubs[p].start();
            }
            AtomicBoolean stopChurn = new AtomicBoolean();
            List<ChurnResult> churn = new ArrayList<>();
            Thread churner = new Thread(() -> churn(bus, pubs, stopChurn, churn), "test-churner");
            churner.start();
            go.countDown();
            long closeAfter = ThreadLocalRandom.current().nextLong(500, 60_000);
            while (acceptedSoFar(pubs) < closeAfter && anyAlive(pubs)) {
                Thread.yield();
            }
            ShutdownReport report = bus.shutdown(Duration.ofSeconds(10));
            stopChurn.set(true);
            for (Publisher p : pubs) {
                p.join(10_000);
                assertThat(p.isAlive()).as("publisher ended").isFalse();
            }
            churner.join(10_000);
            executor.shutdownNow();

            assertThat(report.completed()).as(report.toString()).isTrue();
            assertThat(report.notRun()).isZero();
            long accepted = 0;
            for (Publisher p : pubs) {
                accepted += p.acceptedCount;
                totalRefused += p.refusedFull + p.refusedClosed;
                for (Recorder r : List.of(inline, offloaded, asyncRec, last)) {
                    assertThat(r.count[p.id]).as("deliveries from publisher %d", p.id).isEqualTo(p.acceptedCount);
                }
            }
            for (Recorder r : List.of(inline, offloaded, asyncRec, last)) {
                assertThat(r.violations).as("order violations").isZero();
            }
            assertThat(bus.stats().get(0).published()).isEqualTo(accepted);
            for (ChurnResult c : churn) {
                c.verify(pubs);
                churnChecked++;
            }
            totalAccepted += accepted;
            rounds++;
        }
        assertThat(totalAccepted).isPositive();
        assertThat(churnChecked).isPositive();
        System.getLogger("test").log(System.Logger.Level.INFO, "rounds " + rounds + ", accepted " + totalAccepted
                + ", refused " + totalRefused + ", churn subscriptions checked " + churnChecked);
    }

    /** One churning subscription: what publishers had started when it subscribed and accepted when it closed. */
    record ChurnResult(int[] startedAtSubscribe, int[] acceptedAtClose, Recorder rec) {
        void verify(Publisher[] pubs) {
            assertThat(rec.violations).isZero();
            boolean[][] got = new boolean[PUBLISHERS][MAX_PER_PUBLISHER];
            for (int[] e : rec.received) {
                assertThat(pubs[e[0]].accepted[e[1]]).as("received only accepted events").isTrue();
                got[e[0]][e[1]] = true;
            }
            for (Publisher p : pubs) {
                for (int n = startedAtSubscribe[p.id] + 1; n <= acceptedAtClose[p.id]; n++) {
                    if (p.accepted[n]) {
                        assertThat(got[p.id][n]).as("publisher %d event %d", p.id, n).isTrue();
                    }
                }
            }
        }
    }

    private static void churn(EventBus bus, Publisher[] pubs, AtomicBoolean stop, List<ChurnResult> out) {
        while (!stop.get()) {
            Recorder rec = new Recorder(true);
            Subscription s;
            try {
                s = bus.subscribe(Ev.class, rec::on);
            } catch (EventBusException closed) {
                return;
            }
            int[] started = new int[PUBLISHERS];
            for (Publisher p : pubs) {
                started[p.id] = p.started;
            }
            long until = acceptedSoFar(pubs) + ThreadLocalRandom.current().nextInt(10, 2_000);
            while (acceptedSoFar(pubs) < until && anyAlive(pubs) && !stop.get()) {
                Thread.yield();
            }
            int[] accepted = new int[PUBLISHERS];
            for (Publisher p : pubs) {
                accepted[p.id] = p.lastAccepted;
            }
            s.close();
            try {
                s.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("churn subscription did not terminate", e);
            }
            synchronized (out) {
                out.add(new ChurnResult(started, accepted, rec));
            }
        }
    }

    private static long acceptedSoFar(Publisher[] pubs) {
        long n = 0;
        for (Publisher p : pubs) {
            n += p.lastAccepted + 1;
        }
        return n;
    }

    private static boolean anyAlive(Publisher[] pubs) {
        for (Publisher p : pubs) {
            if (p.isAlive()) {
                return true;
            }
        }
        return false;
    }
}
