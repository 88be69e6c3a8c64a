package io.vela.engine.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vela.engine.OfferResult;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bounded-time races from the actor review: thousands of actors on a two-slot executor ring (turns through the
 * pending stack under racing senders), and stops racing tells. Every message is accounted for.
 */
@Timeout(40)
class ActorRaceStressTest {
    private static final int SENDERS = 3;

    record Msg(int sender, long seq) {
    }

    /** An actor that checks it never runs on two threads at once and that each sender's order is kept. */
    static final class Checked {
        final AtomicBoolean busy = new AtomicBoolean();
        final AtomicLong handled = new AtomicLong();
        final long[] lastSeq = new long[SENDERS];
        ActorRef<Msg> ref;

        Behavior<Msg> behavior(ActorFixture.Failures failures) {
            java.util.Arrays.fill(lastSeq, -1);
            return Behaviors.receiveMessage(m -> {
                failures.check(busy.compareAndSet(false, true), ref.path() + " ran on two threads at once");
                failures.check(m.seq() > lastSeq[m.sender()], ref.path() + " saw sender " + m.sender()
                        + " out of order");
                lastSeq[m.sender()] = m.seq();
                handled.incrementAndGet();
                busy.set(false);
                return Behaviors.same();
            });
        }
    }

    private static List<Thread> senders(List<Checked> actors, int perSender, AtomicLong sent, AtomicLong refused) {
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            Thread t = new Thread(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (long i = 0; i < perSender; i++) {
                    Checked c = actors.get(rnd.nextInt(actors.size()));
                    sent.incrementAndGet();
                    if (c.ref.tryTell(new Msg(sender, i)) == OfferResult.FULL) {
                        refused.incrementAndGet();
                    }
                }
            }, "sender-" + s);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    @Test
    void thousandsOfActorsOnATwoSlotRingLoseNothingAndNeverRunTwice() throws Exception {
        ActorFixture.Failures failures = new ActorFixture.Failures();
        try (VelaRuntime rt = ActorFixture.runtime(2, 2)) {
            List<Checked> actors = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                Checked c = new Checked();
                c.ref = rt.actors().spawn(c.behavior(failures), "a" + i,
                        ActorOptions.builder().mailboxCapacity(64).throughput(4).build());
                actors.add(c);
            }
            AtomicLong sent = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            for (Thread t : senders(actors, 6_000, sent, refused)) {
                t.join(20_000);
            }
            try {
                await().atMost(Duration.ofSeconds(25)).until(() -> actors.stream().mapToLong(c -> c.handled.get())
                        .sum() + refused.get() == sent.get());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(stuck(rt, actors, sent.get(), refused.get()), e);
            }
            for (Checked c : actors) {
                ActorStats s = (ActorStats) c.ref;
                assertThat(s.processed()).isEqualTo(c.handled.get());
                assertThat(s.depth()).isZero();
            }
            assertThat(rt.actors().deferredTurns()).as("turns that met the full two-slot ring").isPositive();
            assertThat(rt.actors().deadLetters().count()).isZero();
            failures.assertNone();
        }
    }

    /** @return what a failure needs: the counts, some actors with mail, and whether anything still moves */
    private static String stuck(VelaRuntime rt, List<Checked> actors, long sent, long refused)
            throws InterruptedException {
        long handled = actors.stream().mapToLong(c -> c.handled.get()).sum();
        StringBuilder b = new StringBuilder("sent " + sent + ", refused " + refused + ", handled " + handled
                + ", deferred turns " + rt.actors().deferredTurns() + "; actors with mail:");
        actors.stream().map(c -> (ActorCell<?>) c.ref).filter(c -> c.depth() > 0).limit(10).forEach(c ->
                b.append(' ').append(c.path()).append(" depth ").append(c.depth()).append(" quiescent ")
                        .append(c.quiescent()));
        Thread.sleep(1000);
        return b.append("; handled in the next second: ")
                .append(actors.stream().mapToLong(c -> c.handled.get()).sum() - handled).toString();
    }

    @Test
    void stopsRacingTellsAccountForEveryMessage() throws Exception {
        ActorFixture.Failures failures = new ActorFixture.Failures();
        VelaRuntime rt = ActorFixture.runtime(2, 8);
        try {
            List<Checked> actors = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                Checked c = new Checked();
                ActorOptions.Builder o = ActorOptions.builder().mailboxCapacity(16);
                if (i % 100 == 0) {
                    o.pinned(WaitStrategy.YIELDING);
                }
                c.ref = rt.actors().spawn(c.behavior(failures), "s" + i, o.build());
                actors.add(c);
            }
            AtomicLong sent = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            List<Thread> threads = senders(actors, 60_000, sent, refused);
            for (Checked c : actors) { // stop them one by one while the senders run
                rt.actors().stop(c.ref);
                Thread.sleep(0, 200_000);
            }
            for (Thread t : threads) {
                t.join(20_000);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> rt.actors().actorCount() == 0);
            // late mail of a stopped actor reaches the dead letters on a later turn
            await().atMost(Duration.ofSeconds(10)).until(() -> actors.stream().mapToLong(c -> c.handled.get()).sum()
                    + refused.get() + rt.actors().deadLetters().count() == sent.get());
            assertThat(rt.actors().deadLetters().count()).as("told after the stop").isPositive();
            failures.assertNone();
        } finally {
            assertThat(rt.shutdown(Duration.ofSeconds(5))).allMatch(r -> r.completed());
        }
    }
}
