package io.vela.engine.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vela.engine.RingClosedException;
import io.vela.engine.VelaRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ActorBasicsTest {

    record Add(int n) {
    }

    record Get(ActorRef<Integer> replyTo) {
    }

    /** Class form: state in a field. */
    static final class Counter extends AbstractBehavior<Object> {
        private int total;

        Counter(ActorContext<Object> ctx) {
            super(ctx);
        }

        @Override
        public Behavior<Object> onMessage(Object msg) {
            if (msg instanceof Add a) {
                total += a.n();
            } else if (msg instanceof Get g) {
                g.replyTo().tell(total);
            }
            return this;
        }
    }

    @Test
    void actorsAreCreatedLazilyAndRootsLiveUnderUser() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            assertThat(rt.stats().actors().actorCount()).isZero();
            ActorRef<Object> c = rt.actors().spawn(Behaviors.setup(Counter::new), "counter");
            assertThat(rt.actors()).isSameAs(rt.actors());
            assertThat(c.path()).hasToString("/user/counter");
            assertThat(c.name()).isEqualTo("counter");
            c.tell(new Add(2));
            c.tell(new Add(40));
            assertThat(c.<Integer>ask(Get::new, Duration.ofSeconds(5)).join()).isEqualTo(42);
            ActorStats stats = rt.stats().actors().find(c.path()).orElseThrow();
            // the reply is sent from inside the third message's handler, before that message is counted
            await().atMost(Duration.ofSeconds(5)).until(() -> stats.processed() == 3);
            assertThat(stats).satisfies(s -> {
                assertThat(s.received()).isEqualTo(3);
                assertThat(s.depth()).isZero();
                assertThat(s.mailboxCapacity()).isEqualTo(1024);
            });
        }
    }

    @Test
    void childrenHavePathsUnderTheirParentAndUniqueNames() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            CompletableFuture<List<String>> paths = new CompletableFuture<>();
            rt.actors().spawn(Behaviors.<String>setup(ctx -> {
                ActorRef<String> child = ctx.spawn(Behaviors.ignore(), "order-7");
                String dup;
                try {
                    ctx.spawn(Behaviors.ignore(), "order-7");
                    dup = "no error";
                } catch (InvalidActorNameException e) {
                    dup = e.getMessage();
                }
                paths.complete(List.of(child.path().toString(), dup, ctx.children().get(0).path().toString(),
                        ctx.self().path().toString()));
                return Behaviors.ignore();
            }), "orders");
            assertThat(paths.join()).containsExactly("/user/orders/order-7",
                    "actor name 'order-7' is already taken under /user/orders", "/user/orders/order-7",
                    "/user/orders");
            assertThatThrownBy(() -> rt.actors().spawn(Behaviors.ignore(), "orders"))
                    .isInstanceOf(InvalidActorNameException.class).hasMessageContaining("'orders'");
            assertThatThrownBy(() -> rt.actors().spawn(Behaviors.ignore(), "a/b"))
                    .isInstanceOf(InvalidActorNameException.class).hasMessageContaining("a/b");
        }
    }

    @Test
    void functionalBehavioursSwitchAndStop() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            Behavior<String> second = Behaviors.receiveMessage(m -> {
                seen.add("second:" + m);
                return m.equals("stop") ? Behaviors.stopped() : Behaviors.same();
            });
            Behavior<String> first = Behaviors.receive((ctx, m) -> {
                seen.add("first:" + m);
                return second;
            });
            ActorRef<String> a = rt.actors().spawn(first, "switch");
            a.tell("a");
            a.tell("b");
            a.tell("stop");
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.stats().actors().find(a.path()).isEmpty());
            a.tell("late");
            assertThat(seen).containsExactly("first:a", "second:b", "second:stop");
            assertThat(rt.actors().deadLetters().count()).isEqualTo(1);
            assertThat(a.tryTell("later")).isEqualTo(io.vela.engine.OfferResult.CLOSED);
            // the name is free again once the actor has stopped
            assertThat(rt.actors().spawn(Behaviors.ignore(), "switch").path()).isEqualTo(a.path());
        }
    }

    @Test
    void theContextIsRefusedOutsideTheActorsTurn() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            AtomicReference<ActorContext<String>> leaked = new AtomicReference<>();
            rt.actors().spawn(Behaviors.<String>setup(ctx -> {
                leaked.set(ctx);
                return Behaviors.ignore();
            }), "leaky");
            await().atMost(Duration.ofSeconds(5)).until(() -> leaked.get() != null);
            assertThatThrownBy(() -> leaked.get().spawn(Behaviors.ignore(), "x"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("/user/leaky");
            assertThat(leaked.get().self().path()).hasToString("/user/leaky"); // self() is safe anywhere
        }
    }

    @Test
    void unsupportedBehavioursAndClosedSystemsAreRefused() {
        VelaRuntime rt = ActorFixture.runtime(1);
        ActorSystem actors = rt.actors();
        assertThatThrownBy(() -> actors.spawn(Behaviors.same(), "same"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot spawn");
        rt.close();
        assertThatThrownBy(() -> actors.spawn(Behaviors.ignore(), "late"))
                .isInstanceOf(RingClosedException.class).hasMessageContaining("/user/late");
        assertThatThrownBy(() -> ActorOptions.builder().mailboxCapacity(1))
                .hasMessageContaining("mailboxCapacity = 1").hasMessageContaining("valid:");
        assertThatThrownBy(() -> ActorOptions.builder().pinned(io.vela.engine.WaitStrategy.BLOCKING))
                .hasMessageContaining("pinned = blocking").hasMessageContaining("backoff");
    }

    @Test
    void askTimesOutNamingTheActorAndTheMessageType() throws Exception {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            ActorRef<Get> silent = rt.actors().spawn(Behaviors.ignore(), "silent");
            CompletableFuture<Integer> f = silent.ask(Get::new, Duration.ofMillis(50));
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AskTimeoutException.class)
                    .cause().hasMessageContaining("/user/silent").hasMessageContaining(Get.class.getName());
        }
    }

    @Test
    void lateRepliesAreCountedAsDeadLetters() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            ActorRef<Get> twice = rt.actors().spawn(Behaviors.receiveMessage(g -> {
                g.replyTo().tell(1);
                g.replyTo().tell(2);
                return Behaviors.same();
            }), "twice");
            assertThat(twice.<Integer>ask(Get::new, Duration.ofSeconds(5)).join()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.actors().deadLetters().lateReplies() == 1);
        }
    }

    /** Class form with signals: watches a child it stops, then stops itself and sees PostStop. */
    static final class Parent extends AbstractBehavior<String> {
        private final List<String> seen;
        private ActorRef<String> child;

        Parent(ActorContext<String> ctx, List<String> seen) {
            super(ctx);
            this.seen = seen;
            this.child = ctx.spawn(Behaviors.ignore(), "kid");
            ctx.watch(child);
        }

        @Override
        protected Behavior<String> onMessage(String msg) {
            getContext().stop(child);
            return this;
        }

        @Override
        protected Behavior<String> onSignal(Signal signal) {
            seen.add(signal instanceof Terminated t ? "terminated " + t.ref().name()
                    : signal.getClass().getSimpleName());
            return signal instanceof Terminated ? Behaviors.stopped() : Behaviors.same();
        }
    }

    @Test
    void theClassFormGetsSignals() {
        try (VelaRuntime rt = ActorFixture.runtime(1)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            ActorRef<String> p = rt.actors().spawn(Behaviors.setup(ctx -> new Parent(ctx, seen)), "parent");
            p.tell("stop the kid");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
            assertThat(seen).containsExactly("PreStart", "terminated kid", "PostStop");
            assertThat(rt.stats().actors().actorCount()).isZero();
        }
    }
}
