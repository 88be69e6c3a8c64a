package io.vela.engine.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vela.engine.VelaRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class SupervisionTest {

    /** Counts messages in fresh state per incarnation; "boom" throws. Records lifecycle events. */
    private static Behavior<String> counting(List<String> events, AtomicInteger setups) {
        return Behaviors.setup(ctx -> {
            int incarnation = setups.incrementAndGet();
            int[] count = {0};
            return Behaviors.<String>receive((c, m) -> {
                if (m.equals("boom")) {
                    throw new IllegalStateException("boom");
                }
                count[0]++;
                events.add(incarnation + ":" + m + "#" + count[0]);
                return Behaviors.same();
            }).onSignal((c, s) -> {
                events.add(incarnation + ":" + s.getClass().getSimpleName());
                return Behaviors.same();
            });
        });
    }

    @Test
    void restartRerunsSetupWithFreshStateAfterPreRestart() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            List<String> events = new CopyOnWriteArrayList<>();
            AtomicInteger setups = new AtomicInteger();
            ActorRef<String> a = rt.actors().spawn(Behaviors.supervise(counting(events, setups))
                    .onFailure(SupervisorStrategy.restart()), "restarting");
            a.tell("x");
            a.tell("x");
            a.tell("boom");
            a.tell("y");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 6);
            assertThat(events).containsExactly("1:PreStart", "1:x#1", "1:x#2", "1:PreRestart", "2:PreStart",
                    "2:y#1");
            assertThat(((ActorStats) a).restarts()).isEqualTo(1);
        }
    }

    @Test
    void resumeKeepsStateAndStopIsTheDefault() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            List<String> events = new CopyOnWriteArrayList<>();
            ActorRef<String> resumed = rt.actors().spawn(Behaviors.supervise(counting(events, new AtomicInteger()))
                    .onFailure(SupervisorStrategy.resume()), "resumed");
            resumed.tell("x");
            resumed.tell("boom");
            resumed.tell("y");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 3);
            assertThat(events).containsExactly("1:PreStart", "1:x#1", "1:y#2");

            List<String> plain = new CopyOnWriteArrayList<>();
            ActorRef<String> stopped = rt.actors().spawn(counting(plain, new AtomicInteger()), "unsupervised");
            stopped.tell("boom");
            stopped.tell("never");
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.stats().actors().find(stopped.path()).isEmpty());
            assertThat(plain).containsExactly("1:PreStart", "1:PostStop");
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.actors().deadLetters().count() == 1);
        }
    }

    @Test
    void restartBacksOffAndStopsAtItsLimit() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            List<String> events = new CopyOnWriteArrayList<>();
            AtomicInteger setups = new AtomicInteger();
            ActorRef<String> a = rt.actors().spawn(Behaviors.supervise(counting(events, setups))
                    .onFailure(SupervisorStrategy.restart().withBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                            .withLimit(2, Duration.ofSeconds(10))), "limited");
            long t0 = System.nanoTime();
            a.tell("boom");
            a.tell("after-first");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("2:after-first#1"));
            long firstBackoff = System.nanoTime() - t0;
            assertThat(firstBackoff).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
            a.tell("boom");
            a.tell("boom"); // third failure within the window: over the limit of 2 restarts
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.stats().actors().find(a.path()).isEmpty());
            assertThat(((ActorStats) a).restarts()).isEqualTo(2);
            assertThat(setups.get()).isEqualTo(3);
            assertThat(events).endsWith("3:PostStop");
        }
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        SupervisorStrategy s = SupervisorStrategy.restart().withBackoff(Duration.ofMillis(10), Duration.ofMillis(35));
        assertThat(s.backoffNanos(1)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(s.backoffNanos(2)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(s.backoffNanos(3)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(35));
        assertThat(s.backoffNanos(60)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(35));
        assertThat(SupervisorStrategy.restart().backoffNanos(5)).isZero();
    }

    @Test
    void watchersAreToldAndWatchingAStoppedActorSignalsAtOnce() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            ActorRef<String> target = rt.actors().spawn(Behaviors.receiveMessage(m -> Behaviors.stopped()), "target");
            CompletableFuture<ActorPath> first = new CompletableFuture<>();
            CompletableFuture<ActorPath> late = new CompletableFuture<>();
            rt.actors().spawn(Behaviors.<String>setup(ctx -> {
                ctx.watch(target);
                return Behaviors.<String>receive((c, m) -> Behaviors.same()).onSignal((c, s) -> {
                    if (s instanceof Terminated t) {
                        first.complete(t.ref().path());
                    }
                    return Behaviors.same();
                });
            }), "watcher");
            target.tell("stop now");
            assertThat(first.join()).isEqualTo(target.path());
            rt.actors().spawn(Behaviors.<String>setup(ctx -> {
                ctx.watch(target); // already stopped
                return Behaviors.<String>receive((c, m) -> Behaviors.same()).onSignal((c, s) -> {
                    if (s instanceof Terminated t) {
                        late.complete(t.ref().path());
                    }
                    return Behaviors.same();
                });
            }), "late-watcher");
            assertThat(late.join()).isEqualTo(target.path());
        }
    }

    /** A signal handler that records the actor's path on PostStop. */
    private static SignalHandler<String> recordingStop(List<String> stops) {
        return (c, s) -> {
            if (s instanceof PostStop) {
                stops.add(c.self().path().toString());
            }
            return Behaviors.same();
        };
    }

    @Test
    void stoppingAnActorStopsItsChildrenFirst() {
        try (VelaRuntime rt = ActorFixture.runtime(2)) {
            List<String> stops = new CopyOnWriteArrayList<>();
            Behavior<String> leaf = Behaviors.<String>receive((c, m) -> Behaviors.same())
                    .onSignal(recordingStop(stops));
            ActorRef<String> parent = rt.actors().spawn(Behaviors.<String>setup(ctx -> {
                ctx.spawn(Behaviors.<String>setup(c2 -> {
                    c2.spawn(leaf, "leaf");
                    return Behaviors.<String>receive((c, m) -> Behaviors.same()).onSignal(recordingStop(stops));
                }), "mid");
                ctx.spawn(leaf, "sibling");
                return Behaviors.<String>receive((c, m) -> Behaviors.same()).onSignal(recordingStop(stops));
            }), "top");
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.stats().actors().actorCount() == 4);
            rt.actors().stop(parent);
            await().atMost(Duration.ofSeconds(5)).until(() -> stops.size() == 4);
            assertThat(stops.indexOf("/user/top/mid/leaf")).isLessThan(stops.indexOf("/user/top/mid"));
            assertThat(stops.get(3)).isEqualTo("/user/top");
            assertThat(rt.stats().actors().actorCount()).isZero();
        }
    }

    @Test
    void timersTellAndAreCancelledWhenTheActorStops() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            AtomicInteger ticks = new AtomicInteger();
            CompletableFuture<String> once = new CompletableFuture<>();
            CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
            ActorRef<String> a = rt.actors().spawn(Behaviors.<String>setup(ctx -> {
                ctx.scheduleOnce(Duration.ofMillis(20), ctx.self(), "once");
                ctx.scheduleAtFixedRate(Duration.ofMillis(5), Duration.ofMillis(5), ctx.self(), "tick");
                Cancellable never = ctx.scheduleOnce(Duration.ofMillis(30), ctx.self(), "cancelled");
                cancelled.complete(never.cancel() && never.isCancelled()); // asserted on the test thread
                return Behaviors.receiveMessage(m -> {
                    switch (m) {
                        case "tick" -> ticks.incrementAndGet();
                        case "once" -> once.complete(m);
                        case "cancelled" -> once.complete("a cancelled timer fired");
                        default -> {
                            return Behaviors.stopped();
                        }
                    }
                    return Behaviors.same();
                });
            }), "timed");
            assertThat(cancelled.join()).isTrue();
            assertThat(once.join()).isEqualTo("once");
            await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() >= 3);
            a.tell("stop");
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.stats().actors().find(a.path()).isEmpty());
            long deadAfterStop = rt.actors().deadLetters().count();
            int ticksAtStop = ticks.get();
            await().pollDelay(Duration.ofMillis(60)).atMost(Duration.ofSeconds(1)).until(() -> true);
            assertThat(ticks.get()).isEqualTo(ticksAtStop);
            assertThat(rt.actors().deadLetters().count()).isLessThanOrEqualTo(deadAfterStop + 1); // one in flight
        }
    }

    @Test
    void unwatchedActorsSendNoTerminatedAndDeadLettersAreObservable() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            List<DeadLetter> letters = new CopyOnWriteArrayList<>();
            rt.actors().deadLetters().observe(letters::add);
            ActorRef<String> target = rt.actors().spawn(Behaviors.receiveMessage(m -> Behaviors.stopped()), "t");
            List<String> signals = new CopyOnWriteArrayList<>();
            ActorRef<String> watcher = rt.actors().spawn(Behaviors.<String>setup(ctx -> {
                ctx.watch(target);
                ctx.unwatch(target);
                return Behaviors.<String>receive((c, m) -> {
                    signals.add("msg:" + m);
                    return Behaviors.same();
                }).onSignal((c, s) -> {
                    if (!(s instanceof PreStart)) {
                        signals.add("signal:" + s);
                    }
                    return Behaviors.same();
                });
            }), "w");
            target.tell("stop");
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.stats().actors().find(target.path()).isEmpty());
            target.tell("to the dead");
            watcher.tell("after"); // the watcher's mailbox is FIFO after its lifecycle messages
            await().atMost(Duration.ofSeconds(5)).until(() -> signals.contains("msg:after"));
            assertThat(signals).containsExactly("msg:after");
            await().atMost(Duration.ofSeconds(5)).until(() -> letters.size() == 1);
            assertThat(letters.get(0)).isEqualTo(new DeadLetter(target.path(), "to the dead", "stopped"));
        }
    }

    @Test
    void restartStopsTheChildrenBeforeSetupSpawnsThemAgain() {
        try (VelaRuntime rt = ActorFixture.runtime(2)) {
            List<String> events = new CopyOnWriteArrayList<>();
            AtomicInteger setups = new AtomicInteger();
            Behavior<String> child = Behaviors.<String>receive((c, m) -> Behaviors.same()).onSignal((c, s) -> {
                if (s instanceof PostStop) {
                    events.add("child:PostStop");
                }
                return Behaviors.same();
            });
            ActorRef<String> parent = rt.actors().spawn(Behaviors.supervise(Behaviors.<String>setup(ctx -> {
                int n = setups.incrementAndGet();
                ctx.spawn(child, "worker"); // the same name in every incarnation
                events.add("setup:" + n);
                return Behaviors.receiveMessage(m -> {
                    throw new IllegalStateException(m);
                });
            })).onFailure(SupervisorStrategy.restart()), "parent");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("setup:1"));
            parent.tell("fail");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("setup:2"));
            assertThat(events).containsExactly("setup:1", "child:PostStop", "setup:2");
            assertThat(rt.stats().actors().find(parent.path().child("worker"))).isPresent();
            assertThat(rt.stats().actors().actorCount()).isEqualTo(2);
        }
    }
}
