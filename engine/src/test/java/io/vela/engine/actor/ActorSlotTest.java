package io.vela.engine.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The next-turn slot (ADR 0008): hand-offs between actors on one worker, its bound, and that nothing gets stuck. */
@Timeout(30)
class ActorSlotTest {

    private static VelaRuntime spinning(int workers, int ringSize) {
        return VelaRuntime.start(VelaConfig.builder()
                .set(Settings.EXECUTOR_WORKERS, workers)
                .set(Settings.EXECUTOR_RING_SIZE, ringSize)
                .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.BUSY_SPIN)
                .set(Settings.SHUTDOWN_DEADLINE_MS, 5_000L)
                .build());
    }

    /** A ping-pong partner: checks that each number is the one after the last it sent, and answers with the next. */
    private static Behavior<Long> partner(AtomicReference<ActorRef<Long>> other, long last, AtomicLong handled,
            CountDownLatch done, ActorFixture.Failures failures) {
        long[] expected = {-1};
        return Behaviors.receiveMessage(m -> {
            failures.check(expected[0] < 0 || m == expected[0], "got " + m + ", expected " + expected[0]);
            expected[0] = m + 2;
            handled.incrementAndGet();
            if (m >= last) {
                done.countDown();
            } else {
                other.get().tell(m + 1);
            }
            return Behaviors.same();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void pingPongMakesProgressAndStaysInOrder(int workers) throws Exception {
        long rounds = 20_000;
        ActorFixture.Failures failures = new ActorFixture.Failures();
        try (VelaRuntime rt = ActorFixture.runtime(workers)) {
            AtomicReference<ActorRef<Long>> a = new AtomicReference<>();
            AtomicReference<ActorRef<Long>> b = new AtomicReference<>();
            AtomicLong handled = new AtomicLong();
            CountDownLatch done = new CountDownLatch(1);
            a.set(rt.actors().spawn(partner(b, 2 * rounds, handled, done, failures), "ping"));
            b.set(rt.actors().spawn(partner(a, 2 * rounds, handled, done, failures), "pong"));
            a.get().tell(0L);
            assertThat(done.await(20, TimeUnit.SECONDS)).as("ping-pong finished").isTrue();
            failures.assertNone();
            assertThat(handled.get()).isEqualTo(2 * rounds + 1);
        }
    }

    @Test
    void theToldActorRunsOnTheTellersWorkerWhileTheOtherWorkerSpins() throws Exception {
        int requests = 200;
        ActorFixture.Failures failures = new ActorFixture.Failures();
        try (VelaRuntime rt = spinning(2, 1024)) {
            AtomicReference<Thread> teller = new AtomicReference<>();
            AtomicInteger sameThread = new AtomicInteger();
            AtomicInteger handled = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(requests);
            ActorRef<Integer> b = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                if (Thread.currentThread() == teller.get()) {
                    sameThread.incrementAndGet();
                }
                handled.incrementAndGet();
                done.countDown();
                return Behaviors.same();
            }), "told");
            ActorRef<Integer> a = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                teller.set(Thread.currentThread());
                b.tell(m);
                // stay busy: an idle spinning worker would take b's turn from the ring long before this ends
                long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(300);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return Behaviors.same();
            }), "teller", ActorOptions.builder().throughput(1).build());
            for (int i = 0; i < requests; i++) {
                a.tell(i);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (handled.get() <= i && System.nanoTime() < deadline) { // one hand-off at a time
                    Thread.onSpinWait();
                }
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            failures.assertNone();
            assertThat(sameThread.get()).as("turns of the told actor on the teller's worker").isEqualTo(requests);
        }
    }

    @Test
    void aChainLongerThanTheBoundLetsQueuedWorkRun() throws Exception {
        int length = 10 * TurnLoop.MAX_HAND_OFFS;
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            AtomicInteger hops = new AtomicInteger();
            AtomicInteger hopsWhenTaskRan = new AtomicInteger(-1);
            CountDownLatch done = new CountDownLatch(1);
            AtomicReferenceArray<ActorRef<Integer>> chain = new AtomicReferenceArray<>(length);
            for (int i = length - 1; i >= 0; i--) {
                int at = i;
                chain.set(i, rt.actors().spawn(Behaviors.<Integer>receiveMessage(m -> {
                    hops.incrementAndGet();
                    if (at == 0) { // queued on the ring behind this turn, before the chain starts
                        rt.executor().execute(() -> hopsWhenTaskRan.set(hops.get()));
                    }
                    if (at + 1 < length) {
                        chain.get(at + 1).tell(m + 1);
                    } else {
                        done.countDown();
                    }
                    return Behaviors.same();
                }), "link" + i));
            }
            chain.get(0).tell(0);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> hopsWhenTaskRan.get() >= 0);
            assertThat(hops.get()).isEqualTo(length);
            // the first turn plus MAX_HAND_OFFS hand-offs, then the chain goes behind the task on the ring
            assertThat(hopsWhenTaskRan.get()).isEqualTo(TurnLoop.MAX_HAND_OFFS + 1);
        }
    }

    @Test
    void actorsTellingEachOtherInCyclesLoseAndDuplicateNothing() throws Exception {
        int actors = 64;
        int tokens = 512;
        ActorFixture.Failures failures = new ActorFixture.Failures();
        try (VelaRuntime rt = ActorFixture.runtime(2, 64)) { // a small ring: the pending list is in play too
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong handled = new AtomicLong();
            AtomicIntegerArray retired = new AtomicIntegerArray(tokens);
            AtomicLong hopsOfRetired = new AtomicLong();
            AtomicReferenceArray<ActorRef<Long>> refs = new AtomicReferenceArray<>(actors);
            ActorOptions options = ActorOptions.builder().mailboxCapacity(1024).throughput(8).build();
            for (int i = 0; i < actors; i++) {
                int at = i;
                AtomicReference<Thread> inside = new AtomicReference<>();
                refs.set(i, rt.actors().spawn(Behaviors.<Long>receiveMessage(m -> {
                    failures.check(inside.compareAndSet(null, Thread.currentThread()), "two threads in actor " + at);
                    handled.incrementAndGet();
                    int token = (int) (m >>> 32);
                    int hops = (int) (long) m;
                    if (stop.get()) {
                        retired.incrementAndGet(token);
                        hopsOfRetired.addAndGet(hops + 1L);
                    } else { // two successors: one turn fills the slot twice and displaces the older
                        int next = (hops & 1) == 0 ? (at + 1) % actors : (at + 7) % actors;
                        refs.get(next).tell(((long) token << 32) | (hops + 1));
                    }
                    inside.set(null);
                    return Behaviors.same();
                }), "cycle" + i, options));
            }
            for (int t = 0; t < tokens; t++) {
                refs.get(t % actors).tell((long) t << 32);
            }
            Thread.sleep(1_500);
            stop.set(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> allRetired(retired));
            failures.assertNone();
            for (int t = 0; t < tokens; t++) {
                assertThat(retired.get(t)).as("token " + t + " retired").isEqualTo(1);
            }
            assertThat(hopsOfRetired.get()).as("each message handled once").isEqualTo(handled.get());
            assertThat(handled.get()).isGreaterThan(10L * tokens);
        }
    }

    private static boolean allRetired(AtomicIntegerArray retired) {
        for (int i = 0; i < retired.length(); i++) {
            if (retired.get(i) == 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aTurnThatThrowsAfterFillingTheSlotStillHandsOff() throws Exception {
        int requests = 1_000;
        try (VelaRuntime rt = ActorFixture.runtime(2)) {
            AtomicInteger told = new AtomicInteger();
            AtomicInteger thrown = new AtomicInteger();
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            CountDownLatch done = new CountDownLatch(requests);
            ActorRef<Integer> b = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                told.incrementAndGet();
                done.countDown();
                return Behaviors.same();
            }), "told");
            ActorRef<Integer> a = rt.actors().spawn(Behaviors.<Integer>supervise(Behaviors.receiveMessage(m -> {
                threads.add(Thread.currentThread());
                b.tell(m);
                thrown.incrementAndGet();
                if ((m & 1) == 0) {
                    throw new IllegalStateException("after filling the slot " + m);
                }
                throw new AssertionError("an Error after filling the slot " + m);
            })).onFailure(SupervisorStrategy.resume()), "thrower");
            for (int i = 0; i < requests; i++) {
                a.tell(i);
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).as("every hand-off ran").isTrue();
            assertThat(thrown.get()).isEqualTo(requests);
            assertThat(told.get()).isEqualTo(requests);
        }
    }

    @Test
    void closeWhilePingPongingProcessesOrReportsEveryMessage() throws Exception {
        VelaRuntime rt = ActorFixture.runtime(2);
        AtomicLong sent = new AtomicLong();
        AtomicLong handled = new AtomicLong();
        AtomicReferenceArray<ActorRef<Long>> pair = new AtomicReferenceArray<>(2);
        for (int i = 0; i < 2; i++) {
            int other = 1 - i;
            pair.set(i, rt.actors().spawn(Behaviors.<Long>receiveMessage(m -> {
                handled.incrementAndGet();
                sent.incrementAndGet();
                pair.get(other).tell(m + 1);
                return Behaviors.same();
            }), "p" + i));
        }
        for (int k = 0; k < 8; k++) { // eight balls in play
            sent.incrementAndGet();
            pair.get(0).tell(0L);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() > 50_000);
        List<ShutdownReport> reports = rt.shutdown(Duration.ofSeconds(5));
        assertThat(reports.get(0).name()).isEqualTo("actors");
        // an endless ping-pong never drains: the balls in play are reported as not run (and dead-lettered)
        assertThat(reports.get(0).notRun()).isBetween(1L, 8L);
        assertThat(rt.stats().actors().actorCount()).isZero();
        DeadLetters dead = rt.actors().deadLetters();
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.get() == handled.get() + dead.count());
        assertThat(dead.count()).as("balls in play when the actors stopped").isBetween(1L, 8L);
        assertThat(dead.count()).isGreaterThanOrEqualTo(reports.get(0).notRun());
    }
}
