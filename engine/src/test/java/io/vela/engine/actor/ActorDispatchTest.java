package io.vela.engine.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vela.engine.OfferResult;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ActorDispatchTest {

    /** sender in the high bits, sequence in the low bits. */
    private static long msg(int sender, int seq) {
        return ((long) sender << 32) | seq;
    }

    @Test
    void anActorNeverRunsOnTwoThreadsAtOnceAndKeepsEachSendersOrder() throws Exception {
        int senders = 4;
        int perSender = 20_000;
        ActorFixture.Failures failures = new ActorFixture.Failures();
        try (VelaRuntime rt = ActorFixture.runtime(2)) {
            AtomicReference<Thread> inside = new AtomicReference<>();
            int[] next = new int[senders];
            AtomicLong handled = new AtomicLong();
            ActorRef<Long> a = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                failures.check(inside.compareAndSet(null, Thread.currentThread()), "two threads in one actor");
                int s = (int) (m >>> 32);
                int seq = (int) (long) m;
                failures.check(seq == next[s], "sender " + s + ": got " + seq + ", expected " + next[s]);
                next[s] = seq + 1;
                handled.incrementAndGet();
                inside.set(null);
                return Behaviors.same();
            }), "guarded", ActorOptions.builder().mailboxCapacity(256).overflow(MailboxOverflow.BLOCK)
                    .blockTimeout(Duration.ofSeconds(10)).throughput(8).build());
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                Thread t = new Thread(() -> {
                    for (int i = 0; i < perSender; i++) {
                        a.tell(msg(sender, i));
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(20));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == (long) senders * perSender);
            failures.assertNone();
            assertThat(((ActorStats) a).processed()).isEqualTo((long) senders * perSender);
        }
    }

    @Test
    void aTurnYieldsTheWorkerAfterThroughputMessages() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch gate = new CountDownLatch(1);
            ActorOptions two = ActorOptions.builder().throughput(2).build();
            ActorRef<String> a = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                order.add("a" + m);
                return Behaviors.same();
            }), "a", two);
            ActorRef<String> b = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                order.add("b" + m);
                return Behaviors.same();
            }), "b", two);
            // hold the single worker so both mailboxes fill before either actor gets a turn; the gate runs after
            // both actors' first (setup) turns have completed, since the worker runs the ring in order
            CountDownLatch holding = new CountDownLatch(1);
            rt.executor().execute(() -> {
                holding.countDown();
                try {
                    gate.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 6; i++) {
                a.tell(String.valueOf(i));
                b.tell(String.valueOf(i));
            }
            gate.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 12);
            assertThat(order).containsExactly("a0", "a1", "b0", "b1", "a2", "a3", "b2", "b3", "a4", "a5", "b4",
                    "b5");
        }
    }

    @Test
    void aFullExecutorRingDefersTurnsWithoutLosingMail() throws Exception {
        int actors = 64;
        int each = 50;
        try (VelaRuntime rt = ActorFixture.runtime(1, 4)) { // a 4-slot executor ring
            AtomicLong handled = new AtomicLong();
            List<ActorRef<Integer>> refs = new ArrayList<>();
            for (int i = 0; i < actors; i++) {
                refs.add(rt.actors().spawn(Behaviors.receiveMessage(m -> {
                    handled.incrementAndGet();
                    return Behaviors.same();
                }), "a" + i, ActorOptions.builder().mailboxCapacity(64).throughput(1).build()));
            }
            for (int round = 0; round < each; round++) {
                for (ActorRef<Integer> r : refs) {
                    assertThat(r.tryTell(round)).isEqualTo(OfferResult.ACCEPTED);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> handled.get() == (long) actors * each);
            assertThat(rt.actors().deferredTurns()).as("turns that met a full ring").isPositive();
        }
    }

    @Test
    void aTurnDeferredByARingFullOfOtherTasksRunsByTheDrainTimer() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1, 4)) {
            CompletableFuture<String> got = new CompletableFuture<>();
            ActorRef<String> a = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                got.complete(m);
                return Behaviors.same();
            }), "deferred");
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.executor().stats().remainingCapacity() == 4);
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            rt.executor().execute(() -> {
                holding.countDown();
                try {
                    gate.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
            while (rt.executor().tryExecute(() -> { }).accepted()) { // fill the ring with tasks that are not turns
                Thread.onSpinWait();
            }
            assertThat(a.tryTell("hello")).isEqualTo(OfferResult.ACCEPTED); // its turn finds the ring full
            assertThat(rt.actors().deferredTurns()).isEqualTo(1);
            gate.countDown(); // no actor turn ends after this: only the drain timer can give the actor a turn
            assertThat(got.get(5, TimeUnit.SECONDS)).isEqualTo("hello");
        }
    }

    @Test
    void aHandlersInterruptDoesNotLeakToTheNextActorOnTheWorker() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            CompletableFuture<Boolean> nextSaw = new CompletableFuture<>();
            ActorRef<String> second = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                nextSaw.complete(Thread.currentThread().isInterrupted());
                return Behaviors.same();
            }), "second");
            ActorRef<String> first = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                Thread.currentThread().interrupt(); // e.g. restored after catching InterruptedException
                second.tell("after");
                return Behaviors.same();
            }), "first");
            first.tell("go");
            assertThat(nextSaw.get(5, TimeUnit.SECONDS)).isFalse();
        }
    }

    @Test
    void aBlockedHandlerHoldsOnlyItsOwnActor() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(2)) {
            CountDownLatch release = new CountDownLatch(1);
            ActorRef<String> stuck = rt.actors().spawn(Behaviors.<String>receive((ctx, m) -> {
                release.await(10, TimeUnit.SECONDS);
                return Behaviors.same();
            }), "stuck");
            stuck.tell("block");
            CompletableFuture<String> other = new CompletableFuture<>();
            ActorRef<String> free = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                other.complete(m);
                return Behaviors.same();
            }), "free");
            free.tell("still served");
            assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo("still served");
            release.countDown();
        }
    }

    @Test
    void aPinnedActorRunsOnItsOwnThreadWhichEndsWhenItStops() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            AtomicReference<Thread> ran = new AtomicReference<>();
            AtomicInteger n = new AtomicInteger();
            ActorRef<String> p = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                ran.set(Thread.currentThread());
                n.incrementAndGet();
                return m.equals("stop") ? Behaviors.stopped() : Behaviors.same();
            }), "pinned", ActorOptions.builder().pinned(WaitStrategy.BACKOFF).build());
            for (int i = 0; i < 100; i++) {
                p.tell("m");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> n.get() == 100);
            assertThat(ran.get().getName()).isEqualTo("vela-actor/user/pinned");
            p.tell("stop");
            Thread t = ran.get();
            t.join(5_000);
            assertThat(t.isAlive()).isFalse();
            p.tell("late");
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.actors().deadLetters().count() == 1);
        }
    }

    @Test
    void tellOfAPreallocatedMessageAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            AtomicLong handled = new AtomicLong();
            AtomicLong workerId = new AtomicLong();
            ActorRef<Object> a = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                handled.lazySet(handled.get() + 1);
                workerId.lazySet(Thread.currentThread().getId());
                return Behaviors.same();
            }), "sink", ActorOptions.builder().mailboxCapacity(1 << 16).build());
            Object message = new Object();
            int n = 200_000;
            send(a, message, n); // warm-up: JIT, and the full-mailbox branch
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == n);
            long self = Thread.currentThread().getId();
            long worker = workerId.get();
            // the steady path: a round with (almost) no allocation on either side must come within a few rounds;
            // JIT recompilation may allocate a few KB in one round (deoptimisation materialises objects), while one
            // allocation per 100 messages would be > 30 KB in every round
            List<String> rounds = new ArrayList<>();
            for (int round = 2; round <= 6; round++) {
                long before = mx.getThreadAllocatedBytes(self);
                long workerBefore = mx.getThreadAllocatedBytes(worker);
                send(a, message, n);
                long bytes = mx.getThreadAllocatedBytes(self) - before;
                long total = (long) round * n;
                await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == total);
                long workerBytes = mx.getThreadAllocatedBytes(worker) - workerBefore;
                rounds.add(bytes + "/" + workerBytes);
                if (bytes < n / 100 && workerBytes < n / 100) {
                    return;
                }
            }
            throw new AssertionError("sender/worker bytes per round of " + n + " tells: " + rounds);
        }
    }

    private static void send(ActorRef<Object> a, Object m, int n) {
        for (int i = 0; i < n; i++) {
            while (!a.tryTell(m).accepted()) {
                Thread.onSpinWait();
            }
        }
    }
}
