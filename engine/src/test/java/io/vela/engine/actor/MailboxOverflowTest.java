package io.vela.engine.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vela.engine.OfferResult;
import io.vela.engine.RingFullException;
import io.vela.engine.VelaRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each overflow policy on a mailbox held full by a handler that waits on a latch. */
@Timeout(20)
class MailboxOverflowTest {

    /** An actor whose first message ("hold") blocks until released; records everything else. */
    private static ActorRef<Integer> held(VelaRuntime rt, MailboxOverflow overflow, CountDownLatch entered,
            CountDownLatch release, List<Integer> seen) {
        return rt.actors().spawn(Behaviors.<Integer>receive((ctx, m) -> {
            if (m < 0) {
                entered.countDown();
                release.await(10, TimeUnit.SECONDS);
            } else {
                seen.add(m);
            }
            return Behaviors.same();
        }), "held-" + overflow, ActorOptions.builder().mailboxCapacity(4).overflow(overflow)
                .blockTimeout(Duration.ofMillis(100)).build());
    }

    @Test
    void failRefusesWithACodeOrAnExceptionNamingTheActorAndCapacity() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(2)) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Integer> seen = new CopyOnWriteArrayList<>();
            ActorRef<Integer> a = held(rt, MailboxOverflow.FAIL, entered, release, seen);
            a.tell(-1);
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 4; i++) {
                assertThat(a.tryTell(i)).isEqualTo(OfferResult.ACCEPTED);
            }
            assertThat(a.tryTell(4)).isEqualTo(OfferResult.FULL);
            assertThatThrownBy(() -> a.tell(5)).isInstanceOf(RingFullException.class)
                    .hasMessageContaining("/user/held-FAIL").hasMessageContaining("capacity 4")
                    .satisfies(e -> assertThat(((RingFullException) e).result()).isEqualTo(OfferResult.FULL));
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 4);
            assertThat(seen).containsExactly(0, 1, 2, 3);
            assertThat(((ActorStats) a).dropped()).isZero();
        }
    }

    @Test
    void dropNewestKeepsTheOldestAndCountsTheDrops() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(2)) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Integer> seen = new CopyOnWriteArrayList<>();
            ActorRef<Integer> a = held(rt, MailboxOverflow.DROP_NEWEST, entered, release, seen);
            a.tell(-1);
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 10; i++) {
                a.tell(i);
            }
            assertThat(a.tryTell(10)).isEqualTo(OfferResult.FULL);
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 4);
            assertThat(seen).containsExactly(0, 1, 2, 3);
            assertThat(((ActorStats) a).dropped()).isEqualTo(7);
        }
    }

    @Test
    void dropOldestKeepsTheNewestAndCountsTheDrops() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(2)) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Integer> seen = new CopyOnWriteArrayList<>();
            ActorRef<Integer> a = held(rt, MailboxOverflow.DROP_OLDEST, entered, release, seen);
            a.tell(-1);
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 10; i++) {
                a.tell(i);
            }
            assertThat(a.tryTell(10)).isEqualTo(OfferResult.ACCEPTED);
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 4);
            assertThat(seen).containsExactly(7, 8, 9, 10);
            ActorStats s = (ActorStats) a;
            assertThat(s.dropped()).isEqualTo(7);
            assertThat(s.received()).isEqualTo(12); // the hold, 0..10; 7 of them evicted
            await().atMost(Duration.ofSeconds(5)).until(() -> s.processed() == 5);
        }
    }

    @Test
    void blockWaitsForRoomThenTimesOut() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(2)) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Integer> seen = new CopyOnWriteArrayList<>();
            ActorRef<Integer> a = held(rt, MailboxOverflow.BLOCK, entered, release, seen);
            a.tell(-1);
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 4; i++) {
                a.tell(i);
            }
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> a.tell(99)).isInstanceOf(RingFullException.class)
                    .hasMessageContaining("stayed full for 100 ms").hasMessageContaining("/user/held-BLOCK");
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(90));
            assertThat(a.tryTell(98)).isEqualTo(OfferResult.FULL); // tryTell never waits
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> a.tell(4));
            Thread.sleep(20);
            assertThat(waiting).isNotDone();
            release.countDown();
            waiting.get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 5);
            assertThat(seen).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void aRingWorkerTellingAFullBlockingMailboxIsRefusedAtOnce() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(2)) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Integer> seen = new CopyOnWriteArrayList<>();
            ActorRef<Integer> a = held(rt, MailboxOverflow.BLOCK, entered, release, seen);
            a.tell(-1);
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 4; i++) {
                a.tell(i);
            }
            CompletableFuture<String> onWorker = rt.executor().submit(() -> {
                long t0 = System.nanoTime();
                try {
                    a.tell(5);
                    return "accepted";
                } catch (RingFullException e) {
                    return (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(50)) + " " + e.getMessage();
                }
            });
            assertThat(onWorker.get(5, TimeUnit.SECONDS)).startsWith("true").contains("ring worker");
            release.countDown();
        }
    }

    @Test
    void anActorTellingItselfIntoAFullMailboxIsRefusedNotDeadlocked() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            CompletableFuture<String> outcome = new CompletableFuture<>();
            ActorRef<Integer> self = rt.actors().spawn(Behaviors.receive((ctx, m) -> {
                if (m == 0) {
                    try {
                        for (int i = 1; i <= 5; i++) {
                            ctx.self().tell(i);
                        }
                        outcome.complete("no refusal");
                    } catch (RingFullException e) {
                        outcome.complete(e.getMessage());
                    }
                }
                return Behaviors.same();
            }), "selfish", ActorOptions.builder().mailboxCapacity(4).overflow(MailboxOverflow.BLOCK).build());
            self.tell(0);
            assertThat(outcome.join()).contains("/user/selfish").contains("never waits");
        }
    }
}
