package io.vela.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.RingFullException;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Parked waiters are woken by the other side, and interrupts and close end waits. The channels' safety-net park is
 * an hour, so a waiter that wakes within seconds was woken by the other side (a sender waiting for room on a
 * one-to-one or many-to-one channel also looks again every millisecond: ADR 0007).
 */
@Timeout(30)
class ChannelWakeUpTest {
    /** Generous for a loaded machine, and far below the hour a waiter nobody wakes would park. */
    private static final long PROMPT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static Channel<Integer> channel(ChannelArity arity, WaitStrategy wait, int capacity) {
        return Channel.<Integer>builder("wake-" + arity.configName()).arity(arity).capacity(capacity)
                .waitStrategy(wait).safetyParkNanos(TimeUnit.HOURS.toNanos(1)).build();
    }

    private static void awaitParked(Thread t) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("thread parked").isLessThan(end);
            Thread.onSpinWait();
        }
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(r, "channel-test");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "SLEEPING", "BACKOFF"})
    void parkedReceiverIsWokenBySend(WaitStrategy wait) throws Exception {
        for (ChannelArity arity : ChannelArity.values()) {
            Channel<Integer> ch = channel(arity, wait, 4);
            CompletableFuture<Long> woke = new CompletableFuture<>();
            Thread receiver = start(() -> {
                try {
                    int v = ch.receive();
                    woke.complete(System.nanoTime() + 0L * v);
                } catch (Throwable e) {
                    woke.completeExceptionally(e);
                }
            });
            awaitParked(receiver);
            long sentAt = System.nanoTime();
            ch.send(7);
            assertThat(woke.get(5, TimeUnit.SECONDS) - sentAt).as(arity + " wake-up").isLessThan(PROMPT_NANOS);
        }
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "SLEEPING"})
    void parkedSenderIsWokenByReceive(WaitStrategy wait) throws Exception {
        for (ChannelArity arity : ChannelArity.values()) {
            Channel<Integer> ch = channel(arity, wait, 2);
            ch.send(1);
            ch.send(2);
            CompletableFuture<Long> sent = new CompletableFuture<>();
            Thread sender = start(() -> {
                try {
                    ch.send(3);
                    sent.complete(System.nanoTime());
                } catch (Throwable e) {
                    sent.completeExceptionally(e);
                }
            });
            awaitParked(sender);
            long tookAt = System.nanoTime();
            assertThat(ch.receive()).isEqualTo(1);
            assertThat(sent.get(5, TimeUnit.SECONDS) - tookAt).as(arity + " wake-up").isLessThan(PROMPT_NANOS);
            assertThat(ch.receive()).isEqualTo(2);
            assertThat(ch.receive()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void closeWakesParkedReceiverAndSender(ChannelArity arity) throws Exception {
        Channel<Integer> empty = channel(arity, WaitStrategy.BLOCKING, 2);
        Channel<Integer> full = channel(arity, WaitStrategy.BLOCKING, 2);
        full.send(1);
        full.send(2);
        AtomicReference<Throwable> recv = new AtomicReference<>();
        AtomicReference<Throwable> send = new AtomicReference<>();
        Thread r = start(() -> {
            try {
                empty.receive();
            } catch (Throwable e) {
                recv.set(e);
            }
        });
        Thread s = start(() -> {
            try {
                full.send(3);
            } catch (Throwable e) {
                send.set(e);
            }
        });
        awaitParked(r);
        awaitParked(s);
        empty.close();
        full.close();
        r.join(5_000);
        s.join(5_000);
        assertThat(recv.get()).isInstanceOf(ChannelClosedException.class);
        assertThat(send.get()).isInstanceOf(ChannelClosedException.class);
        assertThat(full.receive()).isEqualTo(1);
        assertThat(full.receive()).isEqualTo(2);
        assertThatThrownBy(full::receive).isInstanceOf(ChannelClosedException.class);
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "SLEEPING", "YIELDING", "BUSY_SPIN"})
    void interruptEndsWaitsKeepsFlagAndLosesNothing(WaitStrategy wait) throws Exception {
        Channel<Integer> ch = channel(ChannelArity.MANY_TO_MANY, wait, 2);
        CompletableFuture<Throwable> recv = new CompletableFuture<>();
        Thread r = start(() -> {
            try {
                ch.receive();
                recv.complete(null);
            } catch (Throwable e) {
                recv.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("flag lost", e));
            }
        });
        Thread.sleep(20);
        r.interrupt();
        assertThat(recv.get(5, TimeUnit.SECONDS)).isInstanceOf(ChannelInterruptedException.class);

        ch.send(1);
        ch.send(2);
        CompletableFuture<Throwable> send = new CompletableFuture<>();
        Thread s = start(() -> {
            try {
                ch.send(3);
                send.complete(null);
            } catch (Throwable e) {
                send.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("flag lost", e));
            }
        });
        Thread.sleep(20);
        s.interrupt();
        assertThat(send.get(5, TimeUnit.SECONDS)).isInstanceOf(RingFullException.class);
        assertThat(ch.pollOrElse(-1)).isEqualTo(1);
        assertThat(ch.pollOrElse(-1)).isEqualTo(2);
        assertThat(ch.pollOrElse(-1)).as("the interrupted send did not enqueue").isEqualTo(-1);
        assertThat(ch.stats().refused()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "YIELDING"})
    void receiveTimeoutIsExactWithinReason(WaitStrategy wait) {
        Channel<Integer> ch = channel(ChannelArity.ONE_TO_ONE, wait, 2);
        long t0 = System.nanoTime();
        assertThat(ch.receive(Duration.ofMillis(30))).isEmpty();
        long took = System.nanoTime() - t0;
        assertThat(took).isBetween(TimeUnit.MILLISECONDS.toNanos(30), TimeUnit.SECONDS.toNanos(2));
    }
}
