package io.vela.engine.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vela.engine.RingRejectedException;
import io.vela.engine.ShutdownReport;
import io.vela.engine.VelaRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Senders race several actors (one per overflow policy) for a bounded time; every message is accounted for:
 * handled once, dropped and counted, dead-lettered, or refused at tell. Also races {@code runtime.close()}.
 */
@Timeout(40)
class ActorStressTest {
    private static final int SENDERS = 3;

    /** One actor and its books. */
    private static final class Target {
        final AtomicLong handled = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final long[] lastSeq = new long[SENDERS];
        final AtomicReference<Thread> inside = new AtomicReference<>();
        final MailboxOverflow overflow;
        ActorRef<long[]> ref;

        Target(MailboxOverflow overflow) {
            this.overflow = overflow;
        }

        Behavior<long[]> behavior(ActorFixture.Failures failures) {
            java.util.Arrays.fill(lastSeq, -1);
            return Behaviors.receiveMessage(m -> {
                failures.check(inside.compareAndSet(null, Thread.currentThread()), "two threads in one actor");
                int sender = (int) m[0];
                failures.check(m[1] > lastSeq[sender], "sender " + sender + ": " + m[1] + " after " + lastSeq[sender]
                        + " (duplicate or reordered)");
                lastSeq[sender] = m[1];
                handled.incrementAndGet();
                inside.set(null);
                return Behaviors.same();
            });
        }
    }

    private static List<Target> spawn(VelaRuntime rt, ActorFixture.Failures failures) {
        List<Target> targets = new ArrayList<>();
        for (int copy = 0; copy < 4; copy++) { // 16 actors: more than an 8-slot executor ring holds
            for (MailboxOverflow o : MailboxOverflow.values()) {
                Target t = new Target(o);
                t.ref = rt.actors().spawn(t.behavior(failures), "t-" + o + "-" + copy, ActorOptions.builder()
                        .mailboxCapacity(64).overflow(o).blockTimeout(Duration.ofMillis(5)).throughput(16).build());
                targets.add(t);
            }
        }
        return targets;
    }

    private static List<Thread> senders(List<Target> targets, long untilNanos) {
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            Thread th = new Thread(() -> {
                long seq = 0;
                while (System.nanoTime() - untilNanos < 0) {
                    for (Target t : targets) {
                        long[] m = {sender, seq};
                        t.sent.incrementAndGet();
                        try {
                            t.ref.tell(m);
                        } catch (RingRejectedException e) {
                            t.refused.incrementAndGet();
                        }
                    }
                    seq++;
                }
            }, "sender-" + s);
            th.start();
            threads.add(th);
        }
        return threads;
    }

    /** @param ringSize the executor ring; 8 slots keep it full, so turns go through the pending stack */
    @ParameterizedTest(name = "executor ring {0}")
    @ValueSource(ints = {8, 1024})
    void everyMessageIsHandledDroppedOrRefused(int ringSize) throws Exception {
        ActorFixture.Failures failures = new ActorFixture.Failures();
        try (VelaRuntime rt = ActorFixture.runtime(2, ringSize)) {
            List<Target> targets = spawn(rt, failures);
            for (Thread th : senders(targets, System.nanoTime() + TimeUnit.SECONDS.toNanos(2))) {
                th.join(10_000);
            }
            for (Target t : targets) {
                ActorStats s = (ActorStats) t.ref;
                await().atMost(Duration.ofSeconds(10)).until(() -> t.handled.get() + s.dropped() + t.refused.get()
                        == t.sent.get());
                assertThat(s.processed()).isEqualTo(t.handled.get());
                long evicted = s.received() - t.handled.get(); // entered the mailbox but never handled
                switch (t.overflow) {
                    case DROP_OLDEST -> assertThat(evicted).isBetween(0L, s.dropped());
                    case DROP_NEWEST -> assertThat(evicted).isZero();
                    default -> assertThat(evicted + s.dropped()).isZero();
                }
                assertThat(s.depth()).isZero();
            }
            assertThat(rt.actors().deadLetters().count()).isZero();
            if (ringSize == 8) {
                assertThat(rt.actors().deferredTurns()).as("turns that met a full executor ring").isPositive();
            }
            failures.assertNone();
            assertThat(targets.get(0).handled.get()).as("progress").isPositive();
        }
    }

    @Test
    void closeWhileTellingLosesNothing() throws Exception {
        ActorFixture.Failures failures = new ActorFixture.Failures();
        VelaRuntime rt = ActorFixture.runtime(2);
        AtomicLong leftInMailbox = new AtomicLong();
        rt.actors().deadLetters().observe(d -> {
            if (d.reason().equals("left-in-mailbox")) {
                leftInMailbox.incrementAndGet();
            }
        });
        List<Target> targets = spawn(rt, failures);
        Target pinned = new Target(MailboxOverflow.BLOCK);
        pinned.ref = rt.actors().spawn(pinned.behavior(failures), "pinned", ActorOptions.builder()
                .mailboxCapacity(64).overflow(MailboxOverflow.BLOCK).blockTimeout(Duration.ofMillis(5))
                .pinned(io.vela.engine.WaitStrategy.BACKOFF).build());
        targets.add(pinned);
        List<Thread> threads = senders(targets, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600));
        Thread.sleep(200);
        List<ShutdownReport> reports = rt.shutdown(Duration.ofSeconds(4));
        for (Thread th : threads) {
            th.join(10_000);
        }
        ShutdownReport actors = reports.get(0);
        assertThat(actors.name()).isEqualTo("actors");
        assertThat(actors.notRun()).as("left in mailboxes").isEqualTo(leftInMailbox.get());
        assertThat(rt.stats().actors().actorCount()).isZero();
        long sent = 0;
        long accounted = rt.actors().deadLetters().count();
        for (Target t : targets) {
            sent += t.sent.get();
            accounted += t.handled.get() + ((ActorStats) t.ref).dropped() + t.refused.get();
        }
        assertThat(accounted).as("handled + dropped + refused + dead letters").isEqualTo(sent);
        assertThat(pinned.handled.get()).isPositive();
        failures.assertNone();
    }
}
