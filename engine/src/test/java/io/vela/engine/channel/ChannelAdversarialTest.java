package io.vela.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Findings of the adversarial review of the channels (ADR 0007, "Review findings"): each test reproduced a defect
 * before its fix. Parking channels here have an hour-long safety net, so a thread woken within seconds was woken by
 * the other side.
 */
@Timeout(30)
class ChannelAdversarialTest {

    private static Channel<Integer> channel(ChannelArity arity, WaitStrategy wait, int capacity) {
        return Channel.<Integer>builder("adv-" + arity.configName()).arity(arity).capacity(capacity)
                .waitStrategy(wait).safetyParkNanos(TimeUnit.HOURS.toNanos(1)).build();
    }

    static Thread start(Runnable r) {
        Thread t = new Thread(r, "channel-adversary");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A call running on its own thread, and what it returned or threw. */
    record Async<V>(Thread thread, CompletableFuture<V> result) {
    }

    static <V> Async<V> async(Callable<V> call) {
        CompletableFuture<V> result = new CompletableFuture<>();
        Thread t = start(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return new Async<>(t, result);
    }

    static void awaitParked(Thread t) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
            assertThat(t.isAlive()).as("thread still waiting").isTrue();
            assertThat(System.nanoTime()).as("thread parked").isLessThan(end);
            Thread.onSpinWait();
        }
    }

    /**
     * A drain handler that takes from the same channel (the same thread, so the arity is kept) and sends into it:
     * Agrona's drain keeps the head in a local, so it re-read a slot the handler had already taken and refilled —
     * elements came out of order and the queue kept a phantom element for ever (never drained after close).
     */
    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void reentrantDrainHandlerKeepsOrderAndLosesNothing(ChannelArity arity) {
        Channel<Integer> ch = channel(arity, WaitStrategy.BLOCKING, 2);
        ch.send(1);
        ch.send(2);
        List<Integer> got = new ArrayList<>();
        int drained = ch.drain(v -> {
            got.add(v);
            if (v == 1) {
                got.add(ch.pollOrElse(-1)); // takes 2
                ch.send(3);
                ch.send(4);
            }
        }, 10);
        for (Integer v = ch.pollOrElse(null); v != null; v = ch.pollOrElse(null)) {
            got.add(v);
        }
        ch.close();
        assertThat(got).containsExactly(1, 2, 3, 4);
        assertThat(drained).as("elements handed to the drain's handler").isEqualTo(3);
        assertThat(ch.stats().depth()).isZero();
        assertThat(ch.stats().received()).isEqualTo(4);
        assertThat(ch.isDrained()).isTrue();
        assertThatThrownBy(() -> ch.receive(Duration.ZERO)).isInstanceOf(ChannelClosedException.class);
    }

    /**
     * ADR 0007 promises that a parked sender is woken by the take that frees room. A drain woke senders only after
     * its last handler returned, so a handler waiting for that sender (here: for its send to complete) waited for
     * the safety net — an hour here, 50 ms by default.
     */
    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void drainWakesAParkedSenderAtTheTakeNotAfterTheLastHandler(ChannelArity arity) throws Exception {
        Channel<Integer> ch = channel(arity, WaitStrategy.BLOCKING, 2);
        ch.send(1);
        ch.send(2);
        Async<Boolean> sender = async(() -> ch.send(3, Duration.ofSeconds(20)));
        CompletableFuture<Boolean> sent = sender.result();
        awaitParked(sender.thread());
        List<Integer> got = new ArrayList<>();
        CompletableFuture<Void> handlerSawSend = new CompletableFuture<>();
        ch.drain(v -> {
            got.add(v);
            try {
                sent.get(2, TimeUnit.SECONDS);
                handlerSawSend.complete(null);
            } catch (TimeoutException e) {
                handlerSawSend.completeExceptionally(new AssertionError("sender not woken by the drain's take"));
            } catch (Exception e) {
                handlerSawSend.completeExceptionally(e);
            }
        }, 1);
        handlerSawSend.get(5, TimeUnit.SECONDS);
        assertThat(sent.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(got).containsExactly(1);
        assertThat(ch.pollOrElse(-1)).isEqualTo(2);
        assertThat(ch.pollOrElse(-1)).isEqualTo(3);
    }

    /**
     * A select told to park, over channels whose own wait strategy spins: it took the channel's longest park,
     * which is 0 for a spinning channel, and so spun on a core instead of parking (receive cases, send cases and
     * {@code senderCloses(true)} channels alike).
     */
    @ParameterizedTest
    @EnumSource(value = SpinningCase.class)
    void parkingSelectOverSpinningChannelsParks(SpinningCase kind) throws Exception {
        Channel<Integer> ch = Channel.<Integer>builder("spinning").capacity(2).arity(ChannelArity.MANY_TO_MANY)
                .waitStrategy(WaitStrategy.YIELDING).senderCloses(kind == SpinningCase.SENDER_CLOSES).build();
        Select select = Channels.select().waitStrategy(WaitStrategy.BLOCKING);
        if (kind == SpinningCase.SEND) {
            ch.send(1);
            ch.send(2);
            select.onSend(ch, 3, () -> { });
        } else {
            select.onReceive(ch, v -> { });
        }
        Async<Selected> call = async(() -> select.await(Duration.ofSeconds(20)));
        Thread t = call.thread();
        Thread.sleep(50);
        int parked = 0;
        int samples = 100;
        for (int i = 0; i < samples; i++) {
            Thread.State s = t.getState();
            if (s == Thread.State.TIMED_WAITING || s == Thread.State.WAITING) {
                parked++;
            }
            Thread.sleep(3);
        }
        if (kind == SpinningCase.SEND) {
            assertThat(ch.pollOrElse(-1)).isEqualTo(1);
        } else {
            ch.send(9);
        }
        Selected s = call.result().get(10, TimeUnit.SECONDS); // woken by the other side or its 50 ms safety net
        assertThat(s.index()).isZero();
        assertThat(parked).as("samples in which the selecting thread was parked").isGreaterThan(samples / 2);
    }

    enum SpinningCase { RECEIVE, SEND, SENDER_CLOSES }

    /**
     * A handler that calls {@code await} on its own select (re-entrant use of a select that is waiting) overwrote
     * the slots the outer call had registered on each channel, so the outer call's registrations were never removed:
     * the thread stayed a registered waiter of those channels for ever. Now the nested call is refused.
     */
    @Test
    void nestedAwaitOnTheSameSelectIsRefusedAndLeavesNoWaiterBehind() throws Exception {
        Channel<Integer> a = channel(ChannelArity.MANY_TO_MANY, WaitStrategy.BLOCKING, 4);
        Channel<Integer> b = channel(ChannelArity.MANY_TO_MANY, WaitStrategy.BLOCKING, 4);
        Select[] self = new Select[1];
        self[0] = Channels.select().onReceive(a, v -> self[0].await(Duration.ofMillis(20))).onReceive(b, v -> { });
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = start(() -> {
            try {
                self[0].await();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        awaitParked(t);
        a.send(1);
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already");
        t.join(5_000);
        ArrayChannel<Integer> ca = (ArrayChannel<Integer>) a;
        ArrayChannel<Integer> cb = (ArrayChannel<Integer>) b;
        assertThat(ca.receivers().waiting() + cb.receivers().waiting()).as("waiter slots left registered").isZero();
        assertThat(a.stats().received()).isEqualTo(1);
        b.send(2);
        assertThat(self[0].await(Duration.ofSeconds(5)).index()).as("the select is usable again").isEqualTo(1);
    }

    /**
     * A runtime's registry kept every channel ever built (its array included) until one of the same name replaced
     * it, so an application building a channel per session under fresh names grew the registry and
     * {@code runtime.stats()} without bound. Drained channels are now dropped when the next one is built.
     */
    @Test
    void drainedChannelsDoNotAccumulateInTheRegistry() {
        ChannelRegistry registry = new ChannelRegistry(2);
        Channel<Integer> open = registry.<Integer>builder("long-lived").build();
        Channel<Integer> undrained = registry.<Integer>builder("closed-not-drained").build();
        undrained.send(1);
        undrained.close();
        for (int i = 0; i < 50; i++) {
            Channel<Integer> session = registry.<Integer>builder("session-" + i).capacity(2).build();
            session.send(i);
            assertThat(session.receive()).isEqualTo(i);
            session.close();
        }
        Channel<Integer> last = registry.<Integer>builder("last").build();
        assertThat(registry.stats()).extracting(ChannelStats::name)
                .containsExactly("long-lived", "closed-not-drained", "last");
        assertThat(registry.find("session-3")).isEmpty();
        assertThat(registry.find("long-lived")).containsSame(open);
        assertThat(registry.find("last")).containsSame(last);
        assertThatThrownBy(() -> registry.builder("closed-not-drained").build())
                .isInstanceOf(io.vela.engine.VelaException.class).hasMessageContaining("not drained");
    }

    /**
     * A select's handler ran while its thread was still registered as a waiter on every case's channel: a handler
     * that blocks kept those waiter slots taken (other waiters then fall back to polling) and was unparked by every
     * send on those channels. The select now leaves the slots before it runs the handler.
     */
    @Test
    void aBlockingSelectHandlerHoldsNoWaiterSlots() throws Exception {
        Channel<Integer> a = channel(ChannelArity.MANY_TO_MANY, WaitStrategy.BLOCKING, 4);
        Channel<Integer> b = channel(ChannelArity.MANY_TO_MANY, WaitStrategy.BLOCKING, 4);
        CompletableFuture<Void> inHandler = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        Select select = Channels.select().onReceive(a, v -> {
            inHandler.complete(null);
            release.join();
        }).onReceive(b, v -> { });
        Async<Selected> call = async(select::await);
        awaitParked(call.thread());
        a.send(1);
        inHandler.get(5, TimeUnit.SECONDS);
        ArrayChannel<Integer> ca = (ArrayChannel<Integer>) a;
        ArrayChannel<Integer> cb = (ArrayChannel<Integer>) b;
        int held = ca.receivers().waiting() + cb.receivers().waiting();
        release.complete(null);
        assertThat(call.result().get(5, TimeUnit.SECONDS).index()).isZero();
        assertThat(held).as("waiter slots held while the handler runs").isZero();
    }

    /**
     * ADR 0007: {@code auto} yields "where the cores allow one more spinning thread". Each channel resolved it as if
     * it were alone, so every {@code auto} channel of a registry on 8 cores (a budget of 3 spinning threads) yielded:
     * a hundred idle receivers would burn a hundred yielding threads. The registry now counts its open spinning
     * channels against the budget, and a drained one gives its share back.
     */
    @Test
    void autoChannelsOfARegistryShareTheSpinBudget() {
        ChannelRegistry registry = new ChannelRegistry(8);
        int budget = WaitStrategy.spinBudget(8);
        registry.<Integer>builder("explicit").waitStrategy(WaitStrategy.YIELDING).build();
        List<Channel<Integer>> auto = new ArrayList<>();
        for (int i = 0; i < budget + 3; i++) {
            auto.add(registry.<Integer>builder("auto-" + i).build());
        }
        List<WaitStrategy> resolved = new ArrayList<>();
        for (Channel<Integer> c : auto) {
            resolved.add(((ArrayChannel<Integer>) c).waitStrategy());
        }
        assertThat(resolved).as("auto channels after one explicit yielding channel")
                .containsExactly(WaitStrategy.YIELDING, WaitStrategy.YIELDING, WaitStrategy.SLEEPING,
                        WaitStrategy.SLEEPING, WaitStrategy.SLEEPING, WaitStrategy.SLEEPING);
        auto.get(0).close(); // empty, so drained: its share of the budget is free again
        ArrayChannel<Integer> next = (ArrayChannel<Integer>) registry.<Integer>builder("next").build();
        assertThat(next.waitStrategy()).isEqualTo(WaitStrategy.YIELDING);
        ArrayChannel<Integer> standalone = (ArrayChannel<Integer>) Channel.<Integer>builder("alone").build();
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(standalone.waitStrategy())
                .isEqualTo(WaitStrategy.AUTO.resolveForChannel(WaitStrategy.spinBudget(cores), 1));
    }
}
