package io.vela.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OfferResult;
import io.vela.engine.WaitStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one-shot readiness hooks {@link Channel#onReceivable} and {@link Channel#onSendable}. */
@Timeout(30)
class ChannelReadyHookTest {
    private static ArrayChannel<Integer> channel(ChannelArity arity, int capacity) {
        return (ArrayChannel<Integer>) Channel.<Integer>builder("hooks").capacity(capacity).arity(arity)
                .waitStrategy(WaitStrategy.BLOCKING).build();
    }

    /** Counts its runs and remembers the thread of the last. */
    private static final class Hook implements Runnable {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicReference<Thread> thread = new AtomicReference<>();

        @Override
        public void run() {
            thread.set(Thread.currentThread());
            runs.incrementAndGet();
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void theSendThatGivesAnElementRunsTheHookOnceOnItsThread(ChannelArity arity) throws Exception {
        ArrayChannel<Integer> ch = channel(arity, 4);
        Hook hook = new Hook();
        assertThat(ch.onReceivable(hook)).isTrue();
        assertThat(hook.runs.get()).isZero();
        Thread sender = new Thread(() -> ch.trySend(1), "hook-sender");
        sender.start();
        sender.join(5_000);
        assertThat(hook.runs.get()).isEqualTo(1);
        assertThat(hook.thread.get()).isSameAs(sender);
        assertThat(ch.trySend(2)).isEqualTo(OfferResult.ACCEPTED);
        assertThat(hook.runs.get()).as("one-shot").isEqualTo(1);
        assertThat(ch.receivableHooks().registered()).isZero();
    }

    @Test
    void aReceivableChannelRunsTheHookBeforeRegisteringReturns() {
        ArrayChannel<Integer> ch = channel(ChannelArity.ONE_TO_ONE, 4);
        ch.trySend(1);
        Hook hook = new Hook();
        assertThat(ch.onReceivable(hook)).isTrue();
        assertThat(hook.runs.get()).isEqualTo(1);
        assertThat(hook.thread.get()).isSameAs(Thread.currentThread());
        assertThat(ch.receivableHooks().registered()).isZero();
    }

    @Test
    void closeRunsBothSidesHooks() {
        ArrayChannel<Integer> ch = channel(ChannelArity.MANY_TO_MANY, 2);
        ch.trySend(1);
        ch.trySend(2);
        Hook receivable = new Hook();
        Hook sendable = new Hook();
        ch.pollOrElse(0);
        ch.trySend(3);
        assertThat(ch.onSendable(sendable)).isTrue();
        assertThat(sendable.runs.get()).as("full: waits").isZero();
        Channel<Integer> empty = channel(ChannelArity.MANY_TO_ONE, 2);
        assertThat(empty.onReceivable(receivable)).isTrue();
        assertThat(receivable.runs.get()).isZero();
        ch.close();
        empty.close();
        assertThat(sendable.runs.get()).isEqualTo(1);
        assertThat(receivable.runs.get()).isEqualTo(1);
        assertThat(empty.onReceivable(receivable)).as("closed: ready at once").isTrue();
        assertThat(receivable.runs.get()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void theTakeThatFreesRoomRunsTheSendableHook(ChannelArity arity) {
        ArrayChannel<Integer> ch = channel(arity, 2);
        ch.trySend(1);
        ch.trySend(2);
        Hook hook = new Hook();
        assertThat(ch.onSendable(hook)).isTrue();
        assertThat(hook.runs.get()).isZero();
        assertThat(ch.pollOrElse(0)).isEqualTo(1);
        assertThat(hook.runs.get()).isEqualTo(1);
        assertThat(ch.sendableHooks().registered()).isZero();
        Hook roomy = new Hook();
        assertThat(ch.onSendable(roomy)).isTrue();
        assertThat(roomy.runs.get()).as("room now: runs at once").isEqualTo(1);
    }

    @Test
    void cancelledHooksDoNotRun() {
        ArrayChannel<Integer> ch = channel(ChannelArity.MANY_TO_MANY, 2);
        Hook hook = new Hook();
        assertThat(ch.onReceivable(hook)).isTrue();
        ch.cancelReceivable(hook);
        assertThat(ch.receivableHooks().registered()).isZero();
        ch.trySend(1);
        ch.trySend(2);
        assertThat(ch.onSendable(hook)).isTrue();
        ch.cancelSendable(hook);
        assertThat(ch.sendableHooks().registered()).isZero();
        ch.pollOrElse(0);
        ch.close();
        assertThat(hook.runs.get()).isZero();
    }

    @Test
    void aHookThatThrowsDoesNotFailTheSend() {
        ArrayChannel<Integer> ch = channel(ChannelArity.ONE_TO_ONE, 2);
        assertThat(ch.onReceivable(() -> {
            throw new IllegalStateException("hook failed on purpose");
        })).isTrue();
        assertThat(ch.trySend(1)).isEqualTo(OfferResult.ACCEPTED);
        assertThat(ch.pollOrElse(0)).isEqualTo(1);
    }

    @Test
    void notRegisteredWhenNoSlotIsFreeOrSendersWakeNobody() {
        ArrayChannel<Integer> ch = channel(ChannelArity.MANY_TO_MANY, 2);
        List<Hook> hooks = new ArrayList<>();
        for (int i = 0; i < WaiterSlots.SLOTS; i++) {
            Hook h = new Hook();
            hooks.add(h);
            assertThat(ch.onReceivable(h)).isTrue();
        }
        assertThat(ch.onReceivable(new Hook())).isFalse();
        ch.trySend(1);
        assertThat(hooks).allSatisfy(h -> assertThat(h.runs.get()).isEqualTo(1));
        Channel<Integer> spinning = Channel.<Integer>builder("spin").capacity(2).waitStrategy(WaitStrategy.YIELDING)
                .senderCloses(true).build();
        assertThat(spinning.onReceivable(new Hook())).isFalse();
    }

    /**
     * Close while sending, with a hook-driven receiver: every element a send reported {@code ACCEPTED} is received
     * exactly once, nothing refused is received, and the receiver learns that the channel is drained through the
     * hook that close (or the last landing send) runs.
     */
    @ParameterizedTest
    @EnumSource(value = ChannelArity.class, names = {"MANY_TO_ONE", "MANY_TO_MANY"})
    void closeWhileSendingEndsAHookDrivenReceiverWithEveryAcceptedElement(ChannelArity arity) throws Exception {
        for (int round = 0; round < 50; round++) {
            ArrayChannel<Integer> ch = channel(arity, 4);
            int senders = 2;
            List<CompletableFuture<List<Integer>>> sending = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int base = s * 1_000_000;
                sending.add(CompletableFuture.supplyAsync(() -> {
                    List<Integer> accepted = new ArrayList<>();
                    for (int i = 0; ; i++) {
                        OfferResult r = ch.trySend(base + i);
                        if (r == OfferResult.CLOSED) {
                            return accepted;
                        }
                        if (r == OfferResult.ACCEPTED) {
                            accepted.add(base + i);
                        } else {
                            Thread.yield();
                        }
                    }
                }, r -> new Thread(r, "hook-close-sender").start()));
            }
            CompletableFuture<Void> closer = CompletableFuture.runAsync(() -> {
                Thread.yield();
                ch.close();
            }, r -> new Thread(r, "hook-closer").start());
            Semaphore woken = new Semaphore(0);
            Runnable hook = woken::release;
            List<Integer> received = new ArrayList<>();
            while (true) {
                Integer e;
                while ((e = ch.pollOrElse(null)) != null) {
                    received.add(e);
                }
                if (ch.isDrained()) {
                    break;
                }
                assertThat(ch.onReceivable(hook)).isTrue();
                assertThat(woken.tryAcquire(5, TimeUnit.SECONDS)).as("hook lost in round %d", round).isTrue();
            }
            closer.get(5, TimeUnit.SECONDS);
            List<Integer> accepted = new ArrayList<>();
            for (CompletableFuture<List<Integer>> f : sending) {
                accepted.addAll(f.get(5, TimeUnit.SECONDS));
            }
            assertThat(received).containsExactlyInAnyOrderElementsOf(accepted);
        }
    }

    /**
     * Ping-pong: the sender sends the next element only after the receiver has taken the previous one, so the receiver
     * registers its hook just as the send starts, and no later send would cover a lost hook (it makes the bounded wait
     * fail). On real threads the race with a send still landing is rare; {@code ReadyHookLincheckTest} explores it
     * exhaustively (and fails when the registrar does not wait for sends counted before its flag CAS).
     */
    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void aHookRegisteredWhileASendIsLandingIsNotLost(ChannelArity arity) throws Exception {
        ArrayChannel<Integer> ch = channel(arity, 2);
        Semaphore taken = new Semaphore(0);
        int trips = 20_000;
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < trips; i++) {
                    assertThat(ch.trySend(i)).isEqualTo(OfferResult.ACCEPTED);
                    assertThat(taken.tryAcquire(5, TimeUnit.SECONDS)).as("receiver stuck at %d", i).isTrue();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, r -> new Thread(r, "hook-ping-sender").start());
        Semaphore woken = new Semaphore(0);
        Runnable hook = woken::release;
        for (int i = 0; i < trips; i++) {
            Integer e = ch.pollOrElse(null);
            if (e == null) {
                assertThat(ch.onReceivable(hook)).isTrue();
                assertThat(woken.tryAcquire(5, TimeUnit.SECONDS)).as("hook lost at round trip %d", i).isTrue();
                e = ch.pollOrElse(null);
                assertThat(e).as("woken for nothing at %d", i).isNotNull();
            }
            assertThat(e).isEqualTo(i);
            taken.release();
        }
        sender.get(10, TimeUnit.SECONDS);
        assertThat(ch.receivableHooks().registered()).isZero();
    }

    /**
     * A receiver that never blocks a thread on the channel: it takes what is there, registers the hook, and waits
     * for the hook (a semaphore) — with 3 racing senders, every element must arrive and no hook be lost (a lost one
     * makes the bounded wait fail).
     */
    @ParameterizedTest
    @EnumSource(value = ChannelArity.class, names = {"MANY_TO_ONE", "MANY_TO_MANY"})
    void aHookDrivenReceiverGetsEveryElementWithNoLostWakeUp(ChannelArity arity) throws Exception {
        ArrayChannel<Integer> ch = channel(arity, 8);
        int senders = 3;
        int each = 20_000;
        List<CompletableFuture<Void>> sending = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int base = s * each;
            sending.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    ch.send(base + i);
                }
            }, r -> new Thread(r, "hook-stress-sender").start()));
        }
        CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new))
                .whenComplete((v, e) -> ch.close());
        Semaphore woken = new Semaphore(0);
        Runnable hook = woken::release;
        boolean[] seen = new boolean[senders * each];
        int received = 0;
        int[] lastPerSender = new int[senders];
        java.util.Arrays.fill(lastPerSender, -1);
        while (!ch.isDrained()) {
            Integer e;
            while ((e = ch.pollOrElse(null)) != null) {
                assertThat(seen[e]).as("duplicate %s", e).isFalse();
                seen[e] = true;
                received++;
                assertThat(e % each).as("per-sender order").isGreaterThan(lastPerSender[e / each]);
                lastPerSender[e / each] = e % each;
            }
            if (ch.isDrained()) {
                break;
            }
            assertThat(ch.onReceivable(hook)).isTrue();
            assertThat(woken.tryAcquire(5, TimeUnit.SECONDS)).as("hook lost after %d elements", received).isTrue();
        }
        for (CompletableFuture<Void> f : sending) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertThat(received).isEqualTo(senders * each);
        assertThat(ch.receivableHooks().registered()).isZero();
    }
}
