package io.vela.engine.actor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.ShutdownReport;
import io.vela.engine.VelaRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ActorShutdownTest {

    private static Behavior<String> recording(List<String> stops, AtomicInteger handled) {
        return Behaviors.<String>receive((c, m) -> {
            Thread.sleep(1);
            handled.incrementAndGet();
            return Behaviors.same();
        }).onSignal((c, s) -> {
            if (s instanceof PostStop) {
                stops.add(c.self().path().toString());
            }
            return Behaviors.same();
        });
    }

    @Test
    void closeDrainsMailboxesThenStopsChildrenFirstBeforeTheExecutor() {
        VelaRuntime rt = ActorFixture.runtime(2);
        List<String> stops = new CopyOnWriteArrayList<>();
        AtomicInteger handled = new AtomicInteger();
        ActorRef<String> parent = rt.actors().spawn(Behaviors.<String>setup(ctx -> {
            ActorRef<String> child = ctx.spawn(recording(stops, handled), "child");
            for (int i = 0; i < 50; i++) {
                child.tell("work");
            }
            return recording(stops, handled);
        }), "parent");
        for (int i = 0; i < 50; i++) {
            parent.tell("work");
        }
        List<ShutdownReport> reports = rt.shutdown(Duration.ofSeconds(10));
        assertThat(reports.get(0).name()).isEqualTo("actors");
        assertThat(reports.get(0).completed()).isTrue();
        assertThat(reports.get(0).notRun()).isZero();
        assertThat(handled.get()).isEqualTo(100);
        assertThat(stops).containsExactly("/user/parent/child", "/user/parent");
        assertThat(rt.stats().actors().actorCount()).isZero();
    }

    @Test
    void aStuckActorCannotHoldCloseBeyondItsDeadlineAndIsReported() throws Exception {
        VelaRuntime rt = ActorFixture.runtime(2);
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        ActorRef<String> stuck = rt.actors().spawn(Behaviors.<String>receive((c, m) -> {
            entered.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Behaviors.same();
        }), "stuck");
        stuck.tell("block");
        stuck.tell("left behind");
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        List<ShutdownReport> reports = rt.shutdown(Duration.ofMillis(800));
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
        ShutdownReport actors = reports.get(0);
        assertThat(actors.completed()).isFalse();
        assertThat(actors.notRun()).isEqualTo(1);
        never.countDown();
    }

    @Test
    void aPinnedActorsThreadIsJoinedByClose() throws Exception {
        VelaRuntime rt = ActorFixture.runtime(1);
        java.util.concurrent.atomic.AtomicReference<Thread> thread =
                new java.util.concurrent.atomic.AtomicReference<>();
        ActorRef<String> p = rt.actors().spawn(Behaviors.receiveMessage(m -> {
            thread.set(Thread.currentThread());
            return Behaviors.same();
        }), "pinned", ActorOptions.builder().pinned(io.vela.engine.WaitStrategy.SLEEPING).build());
        p.tell("hello");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> thread.get() != null);
        List<ShutdownReport> reports = rt.shutdown(Duration.ofSeconds(5));
        assertThat(reports.get(0).completed()).isTrue();
        assertThat(thread.get().isAlive()).isFalse();
    }

    @Test
    void anAskNoActorWillAnswerFailsWhenTheRuntimeCloses() {
        VelaRuntime rt = ActorFixture.runtime(1);
        ActorRef<ActorBasicsTest.Get> silent = rt.actors().spawn(Behaviors.ignore(), "silent");
        java.util.concurrent.CompletableFuture<Integer> reply = silent.ask(ActorBasicsTest.Get::new,
                Duration.ofMinutes(10));
        rt.close();
        assertThat(reply).isCompletedExceptionally();
        org.assertj.core.api.Assertions.assertThatThrownBy(reply::join)
                .hasCauseInstanceOf(io.vela.engine.RingClosedException.class)
                .hasMessageContaining("/user/silent").hasMessageContaining("Get");
    }
}
