package io.vela.engine.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vela.engine.RingClosedException;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What users get wrong, and what the actors must survive: each test was a bug found in review (ADR 0008). */
@Timeout(30)
class ActorAdversarialTest {

    private static final ActorOptions PINNED = ActorOptions.builder().pinned(WaitStrategy.BACKOFF).build();

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @Test
    void aPinnedHandlerThatRestoresItsInterruptKeepsItsThread() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            ActorRef<String> p = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                seen.add(m);
                Thread.currentThread().interrupt(); // e.g. restored after catching InterruptedException
                return Behaviors.same();
            }), "restorer", PINNED);
            p.tell("first");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
            // the pinned loop idles between the two messages: Agrona's AgentRunner ends a loop whose thread is
            // interrupted when it has no work, which stranded the actor (alive, mail never handled)
            await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> true);
            p.tell("second");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
            assertThat(rt.actors().shutdown(Duration.ofSeconds(3)).completed()).isTrue();
        }
    }

    @Test
    void aStackOverflowInAHandlerIsSupervisedLikeAnyFailure() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            List<String> events = new CopyOnWriteArrayList<>();
            AtomicInteger setups = new AtomicInteger();
            ActorRef<String> a = rt.actors().spawn(Behaviors.supervise(Behaviors.<String>setup(ctx -> {
                int incarnation = setups.incrementAndGet();
                return Behaviors.receiveMessage(m -> {
                    if (m.equals("deep")) {
                        recurse(0);
                    }
                    events.add(incarnation + ":" + m);
                    return Behaviors.same();
                });
            })).onFailure(SupervisorStrategy.restart()), "deep");
            a.tell("deep");
            a.tell("after");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("2:after"));
            ActorStats s = (ActorStats) a;
            assertThat(s.restarts()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> s.processed() == 2); // the failed message counts too
        }
    }

    @Test
    void aStackOverflowOnAPinnedThreadStopsTheActorCleanly() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            AtomicReference<Thread> thread = new AtomicReference<>();
            ActorRef<String> p = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                thread.set(Thread.currentThread());
                recurse(0);
                return Behaviors.same();
            }), "pinned-deep", PINNED);
            CompletableFuture<ActorPath> terminated = watch(rt, p);
            p.tell("deep");
            assertThat(terminated.get(5, TimeUnit.SECONDS)).isEqualTo(p.path());
            thread.get().join(5_000);
            assertThat(thread.get().isAlive()).isFalse();
            assertThat(rt.actors().actorCount()).isEqualTo(1); // only the watcher
        }
    }

    @Test
    void aPostStopHandlerThatThrowsAnErrorStillFinishesTheStop() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            ActorRef<String> a = rt.actors().spawn(Behaviors.<String>receive((c, m) -> Behaviors.stopped())
                    .onSignal((c, s) -> {
                        if (s instanceof PostStop) {
                            throw new StackOverflowError("in PostStop");
                        }
                        return Behaviors.same();
                    }), "bad-poststop");
            CompletableFuture<ActorPath> terminated = watch(rt, a);
            a.tell("stop");
            assertThat(terminated.get(5, TimeUnit.SECONDS)).isEqualTo(a.path());
            assertThat(rt.actors().find(a.path())).isEmpty();
        }
    }

    @Test
    void aDeadLetterObserverThatThrowsAnErrorDoesNotStrandTheStop() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            AtomicInteger observed = new AtomicInteger();
            rt.actors().deadLetters().observe(d -> {
                observed.incrementAndGet();
                throw new AssertionError("observer bug");
            });
            CountDownLatch gate = new CountDownLatch(1);
            ActorRef<String> a = rt.actors().spawn(Behaviors.receive((c, m) -> {
                gate.await(5, TimeUnit.SECONDS);
                return Behaviors.stopped();
            }), "left-mail");
            CompletableFuture<ActorPath> terminated = watch(rt, a);
            a.tell("stop");
            for (int i = 0; i < 10; i++) {
                a.tell("left " + i);
            }
            gate.countDown();
            assertThat(terminated.get(5, TimeUnit.SECONDS)).isEqualTo(a.path());
            assertThat(rt.actors().deadLetters().count()).isEqualTo(10);
            assertThat(observed.get()).isEqualTo(10);
        }
    }

    /**
     * A supervised actor restarting after a back-off: "boom" throws, "watch" watches {@code target}, others are
     * recorded as {@code incarnation:message}, and {@link Terminated} as {@code incarnation:terminated name}.
     *
     * @param onStart run by each incarnation's setup
     */
    private static Behavior<String> recordingRestarts(List<String> events, ActorRef<?> target, Duration backoff,
            java.util.function.Consumer<ActorContext<String>> onStart) {
        AtomicInteger setups = new AtomicInteger();
        return Behaviors.supervise(Behaviors.<String>setup(ctx -> {
            int incarnation = setups.incrementAndGet();
            onStart.accept(ctx);
            return Behaviors.<String>receive((c, m) -> {
                switch (m) {
                    case "watch" -> c.watch(target);
                    case "boom" -> throw new IllegalStateException("boom");
                    default -> events.add(incarnation + ":" + m);
                }
                return Behaviors.same();
            }).onSignal((c, s) -> {
                if (s instanceof Terminated t) {
                    events.add(incarnation + ":terminated " + t.ref().name());
                }
                return Behaviors.same();
            });
        })).onFailure(SupervisorStrategy.restart().withBackoff(backoff, backoff));
    }

    @Test
    void aTerminatedThatArrivesDuringARestartBackoffIsDeliveredAfterTheRestart() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            ActorRef<String> target = rt.actors().spawn(Behaviors.receiveMessage(m -> Behaviors.stopped()), "target");
            List<String> events = new CopyOnWriteArrayList<>();
            ActorRef<String> w = rt.actors().spawn(recordingRestarts(events, target, Duration.ofMillis(300),
                    ctx -> { }), "watcher");
            w.tell("watch");
            w.tell("boom"); // restart after 300 ms; watches are kept (docs/actors.md)
            await().atMost(Duration.ofSeconds(5)).until(() -> ((ActorStats) w).restarts() == 1);
            target.tell("stop"); // stops during the back-off
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.actors().find(target.path()).isEmpty());
            w.tell("restarted");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("2:restarted"));
            await().atMost(Duration.ofSeconds(2)).until(() -> events.contains("2:terminated target"));
        }
    }

    @Test
    void theChildrenARestartStopsSendNoTerminatedToTheNewIncarnation() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            List<String> events = new CopyOnWriteArrayList<>();
            ActorRef<String> parent = rt.actors().spawn(recordingRestarts(events, null, Duration.ofMillis(100),
                    ctx -> ctx.watch(ctx.spawn(Behaviors.<String>ignore(), "child"))), "parent");
            parent.tell("boom");
            parent.tell("after");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("2:after"));
            parent.tell("flush");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("2:flush"));
            assertThat(events).containsExactly("2:after", "2:flush");
        }
    }

    @Test
    void aTimerStartedInPostStopIsCancelledWithTheActor() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            AtomicInteger ticks = new AtomicInteger();
            ActorRef<String> probe = rt.actors().spawn(Behaviors.receiveMessage(m -> {
                ticks.incrementAndGet();
                return Behaviors.same();
            }), "probe");
            ActorRef<String> a = rt.actors().spawn(Behaviors.<String>receive((c, m) -> Behaviors.stopped())
                    .onSignal((c, s) -> {
                        if (s instanceof PostStop) {
                            c.scheduleAtFixedRate(Duration.ofMillis(5), Duration.ofMillis(5), probe, "tick");
                        }
                        return Behaviors.same();
                    }), "timer-in-poststop");
            CompletableFuture<ActorPath> terminated = watch(rt, a);
            a.tell("stop");
            terminated.get(5, TimeUnit.SECONDS);
            Thread.sleep(200); // 40 periods
            assertThat(ticks.get()).as("ticks of a timer of a stopped actor").isZero();
        }
    }

    @Test
    void askingAStoppedActorFailsAtOnceInsteadOfWaitingForTheTimeout() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            ActorRef<String> a = rt.actors().spawn(Behaviors.receiveMessage(m -> Behaviors.stopped()), "gone");
            CompletableFuture<ActorPath> terminated = watch(rt, a);
            a.tell("stop");
            terminated.get(5, TimeUnit.SECONDS);
            CompletableFuture<String> reply = a.ask(r -> "question", Duration.ofSeconds(30));
            assertThat(reply).failsWithin(Duration.ofSeconds(2)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(RingClosedException.class).withMessageContaining("/user/gone");
            assertThat(rt.actors().deadLetters().count()).isEqualTo(1);
        }
    }

    @Test
    void anAskWhoseRequestBuilderReturnsNullSaysSo() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            ActorRef<String> a = rt.actors().spawn(Behaviors.ignore(), "ignorer");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.<String>ask(r -> null, Duration.ofSeconds(1)))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("toMessage")
                    .hasMessageContaining("/user/ignorer");
        }
    }

    /**
     * A sender that saw the pinned actor alive, then offered after its stop (simulated here with the mailbox's own
     * offer and the sender's schedule call): the late mail must be drained by one thread at a time. The pinned
     * thread used to hand over to ring turns as soon as the actor was stopped, while it was itself still draining.
     */
    @Test
    void latePinnedMailIsDrainedByOneThreadAtATime() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(2)) {
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            AtomicInteger lateLetters = new AtomicInteger();
            AtomicInteger pinnedSawLate = new AtomicInteger();
            AtomicReference<ActorCell<String>> current = new AtomicReference<>();
            rt.actors().deadLetters().observe(d -> {
                ActorCell<String> p = current.get();
                if (p == null || d.recipient() != p.path()) {
                    return;
                }
                if (inside.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                try {
                    if (d.message().toString().startsWith("late")) {
                        lateLetters.incrementAndGet();
                        if (d.message().equals("late-1")
                                && Thread.currentThread().getName().endsWith(p.path().toString())) {
                            pinnedSawLate.incrementAndGet();
                            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                            while (System.nanoTime() - end < 0 && overlaps.get() == 0) {
                                Thread.onSpinWait(); // hold the pinned thread in its drain: does a worker join in?
                            }
                        }
                    }
                } finally {
                    inside.decrementAndGet();
                }
            });
            // many watchers lengthen the pinned thread's work after the stop (it tells each), as a loaded machine would
            AtomicReference<CountDownLatch> watching = new AtomicReference<>();
            List<ActorRef<ActorRef<String>>> watchers = new java.util.ArrayList<>();
            for (int i = 0; i < 500; i++) {
                watchers.add(rt.actors().spawn(Behaviors.receive((c, target) -> {
                    c.watch(target);
                    watching.get().countDown();
                    return Behaviors.same();
                }), "w" + i));
            }
            int rounds = 0;
            for (int round = 0; round < 40 && pinnedSawLate.get() < 3; round++) {
                rounds++;
                ActorCell<String> p = (ActorCell<String>) rt.actors().spawn(Behaviors.<String>ignore(), "p" + round,
                        PINNED);
                current.set(p);
                lateLetters.set(0);
                watching.set(new CountDownLatch(watchers.size()));
                watchers.forEach(w -> w.tell(p));
                assertThat(watching.get().await(5, TimeUnit.SECONDS)).isTrue();
                Thread late = new Thread(() -> { // a sender that saw the actor alive, then offers after its stop
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (p.lifeState() != ActorCell.STOPPED && System.nanoTime() - end < 0) {
                        Thread.onSpinWait();
                    }
                    p.mailbox.offer("late-1");
                    p.mailbox.offer("late-2");
                    p.schedule();
                });
                late.start();
                rt.actors().stop(p); // handled at the top of a pinned turn, which then drains the mailbox
                late.join(5_000);
                await().atMost(Duration.ofSeconds(5)).until(() -> lateLetters.get() >= 2 && inside.get() == 0);
                assertThat(overlaps.get()).as("drains of one actor on two threads at once (round %d)", round)
                        .isZero();
            }
            assertThat(pinnedSawLate.get()).as("rounds where the pinned thread drained late mail").isPositive();
            int n = rounds;
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.actors().deadLetters().count() >= 2L * n);
            assertThat(rt.actors().deadLetters().count()).as("late-1, late-2 once each per round")
                    .isEqualTo(2L * n);
        }
    }

    @Test
    void aPinnedActorWhoseThreadCannotStartLeavesNoZombie() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            java.util.concurrent.ThreadFactory noThreads = r -> {
                throw new OutOfMemoryError("unable to create native thread (test)");
            };
            ActorSystem actors = ActorSystem.create(rt.executor(), rt.scheduler(), noThreads, "t", () -> false);
            AtomicInteger setups = new AtomicInteger();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> actors.spawn(Behaviors.<String>setup(ctx -> {
                setups.incrementAndGet();
                return Behaviors.ignore();
            }), "p", PINNED)).isInstanceOf(OutOfMemoryError.class);
            // the failed spawn must not leave a registered actor that never runs (and keeps its name)
            await().atMost(Duration.ofSeconds(5)).until(() -> actors.actorCount() == 0);
            ActorRef<String> again = actors.spawn(Behaviors.ignore(), "p");
            assertThat(again.path()).hasToString("/user/p");
            assertThat(setups.get()).as("setup of the actor that never got its thread").isZero();
            assertThat(actors.shutdown(Duration.ofSeconds(2)).completed()).isTrue();
        }
    }

    /** @return completed with the path of {@code target} when a new watcher gets its {@link Terminated} */
    private static CompletableFuture<ActorPath> watch(VelaRuntime rt, ActorRef<?> target) {
        CompletableFuture<ActorPath> terminated = new CompletableFuture<>();
        CountDownLatch watching = new CountDownLatch(1);
        rt.actors().spawn(Behaviors.<String>setup(ctx -> {
            ctx.watch(target);
            watching.countDown();
            return Behaviors.<String>receive((c, m) -> Behaviors.same()).onSignal((c, s) -> {
                if (s instanceof Terminated t) {
                    terminated.complete(t.ref().path());
                }
                return Behaviors.same();
            });
        }), "watcher-of-" + target.name());
        try {
            assertThat(watching.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return terminated;
    }
}
