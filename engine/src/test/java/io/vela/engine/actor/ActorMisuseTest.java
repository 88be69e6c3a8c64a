package io.vela.engine.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vela.engine.VelaConfigException;
import io.vela.engine.VelaRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Misuse the review checked and found handled as documented (ADR 0008, docs/actors.md); kept as regressions. */
@Timeout(20)
class ActorMisuseTest {

    @Test
    void nullMessagesAndZeroWindowsAreRefusedNamingWhatIsWrong() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            ActorRef<String> a = rt.actors().spawn(Behaviors.ignore(), "a");
            assertThatThrownBy(() -> a.tell(null)).isInstanceOf(NullPointerException.class).hasMessage("message");
            assertThatThrownBy(() -> a.tryTell(null)).isInstanceOf(NullPointerException.class);
        }
        assertThatThrownBy(() -> SupervisorStrategy.restart().withLimit(3, Duration.ZERO))
                .isInstanceOf(VelaConfigException.class).hasMessageContaining("supervisor limit = 3 in PT0S")
                .hasMessageContaining("valid: maxRestarts >= 1 within a positive window");
    }

    @Test
    void aHandlerReturningNullFailsAndIsSupervised() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            AtomicInteger setups = new AtomicInteger();
            ActorRef<String> a = rt.actors().spawn(Behaviors.supervise(Behaviors.<String>setup(ctx -> {
                setups.incrementAndGet();
                return Behaviors.receiveMessage(m -> m.equals("null") ? null : Behaviors.same());
            })).onFailure(SupervisorStrategy.restart()), "nuller");
            a.tell("null");
            await().atMost(Duration.ofSeconds(5)).until(() -> setups.get() == 2);
            ActorRef<String> b = rt.actors().spawn(Behaviors.receiveMessage(m -> null), "unsupervised");
            b.tell("null");
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.actors().find(b.path()).isEmpty());
        }
    }

    @Test
    void aSetupThatThrowsOnRestartStopsTheActor() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            AtomicInteger setups = new AtomicInteger();
            ActorRef<String> a = rt.actors().spawn(Behaviors.supervise(Behaviors.<String>setup(ctx -> {
                if (setups.incrementAndGet() > 1) {
                    throw new IllegalStateException("setup fails on restart");
                }
                return Behaviors.receiveMessage(m -> {
                    throw new IllegalStateException("boom");
                });
            })).onFailure(SupervisorStrategy.restart()), "fragile");
            a.tell("boom");
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.actors().find(a.path()).isEmpty());
            assertThat(setups.get()).isEqualTo(2);
        }
    }

    @Test
    void stoppingItselfAndTellingOnSendsTheRestToTheDeadLetters() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            List<String> handled = new CopyOnWriteArrayList<>();
            ActorRef<String> a = rt.actors().spawn(Behaviors.<String>receive((ctx, m) -> {
                handled.add(m);
                if (m.equals("stop")) {
                    ctx.system().stop(ctx.self());
                    for (int i = 0; i < 5; i++) {
                        ctx.self().tell("after " + i);
                    }
                }
                return Behaviors.same();
            }), "self-stopper");
            a.tell("stop");
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.actors().find(a.path()).isEmpty());
            assertThat(handled).containsExactly("stop");
            assertThat(rt.actors().deadLetters().count()).isEqualTo(5);
            a.tell("later");
            assertThat(rt.actors().deadLetters().count()).isEqualTo(6);
        }
    }

    @Test
    void watchingItselfIsHarmlessAndAZeroTimeoutAskTimesOutAtOnce() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            CompletableFuture<Signal> signal = new CompletableFuture<>();
            ActorRef<String> a = rt.actors().spawn(Behaviors.<String>setup(ctx -> {
                ctx.watch(ctx.self());
                return Behaviors.<String>receive((c, m) -> Behaviors.stopped()).onSignal((c, s) -> {
                    if (!(s instanceof PreStart)) {
                        signal.complete(s);
                    }
                    return Behaviors.same();
                });
            }), "narcissus");
            CompletableFuture<String> reply = a.ask(r -> "question", Duration.ZERO);
            assertThat(reply).failsWithin(Duration.ofSeconds(2)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(AskTimeoutException.class);
            assertThat(signal.get(5, TimeUnit.SECONDS)).isInstanceOf(PostStop.class); // no Terminated for itself
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.actors().find(a.path()).isEmpty());
        }
    }

    @Test
    void aPinnedActorStoppedMidMessageFinishesTheMessageThenStopsAndItsThreadEnds() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            java.util.concurrent.CountDownLatch inHandler = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicReference<Thread> thread =
                    new java.util.concurrent.atomic.AtomicReference<>();
            List<String> handled = new CopyOnWriteArrayList<>();
            ActorRef<String> p = rt.actors().spawn(Behaviors.<String>receive((ctx, m) -> {
                thread.set(Thread.currentThread());
                inHandler.countDown();
                release.await(5, TimeUnit.SECONDS);
                handled.add(m);
                return Behaviors.same();
            }), "pinned", ActorOptions.builder().pinned(io.vela.engine.WaitStrategy.BACKOFF).build());
            p.tell("first");
            assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
            p.tell("queued");
            rt.actors().stop(p);
            release.countDown();
            thread.get().join(5_000);
            assertThat(thread.get().isAlive()).isFalse();
            assertThat(handled).containsExactly("first");
            assertThat(rt.actors().deadLetters().count()).isEqualTo(1); // "queued"
            assertThat(rt.actors().find(p.path())).isEmpty();
        }
    }

    @Test
    void anAskWithAHugeTimeoutIsAnswered() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            ActorRef<ActorRef<String>> echo = rt.actors().spawn(Behaviors.receiveMessage(r -> {
                r.tell("pong");
                return Behaviors.same();
            }), "echo");
            assertThat(echo.<String>ask(r -> r, Duration.ofSeconds(Long.MAX_VALUE)).join()).isEqualTo("pong");
        }
    }
}
