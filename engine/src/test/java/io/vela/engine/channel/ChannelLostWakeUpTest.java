package io.vela.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lost-wake-up race, in a loop: two threads ping-pong over two channels whose waiters park at once
 * ({@code blocking}) and whose safety-net park is an hour, so a wake-up lost between a receiver's last look and its
 * park would leave it parked: the round trip's 5 s receive timeout then fails the test. Each round trip makes each
 * thread register and park while the other is sending, so thousands of round trips cover the race window.
 */
@Timeout(60)
class ChannelLostWakeUpTest {
    private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(1_500);
    private static final Duration LOST = Duration.ofSeconds(5);

    private static Channel<Integer> channel(String name, ChannelArity arity, int capacity) {
        return Channel.<Integer>builder(name).arity(arity).capacity(capacity).waitStrategy(WaitStrategy.BLOCKING)
                .safetyParkNanos(TimeUnit.HOURS.toNanos(1)).build();
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void pingPongNeverLosesAReceiverWakeUp(ChannelArity arity) throws Exception {
        Channel<Integer> ping = channel("ping", arity, 2);
        Channel<Integer> pong = channel("pong", arity, 2);
        CompletableFuture<Integer> echo = new CompletableFuture<>();
        Thread echoer = new Thread(() -> {
            int n = 0;
            try {
                while (true) {
                    Optional<Integer> v = ping.receive(LOST);
                    if (v.isEmpty()) {
                        echo.completeExceptionally(new AssertionError("echoer: wake-up lost after " + n));
                        return;
                    }
                    pong.send(v.get());
                    n++;
                }
            } catch (ChannelClosedException done) {
                echo.complete(n);
            } catch (Throwable e) {
                echo.completeExceptionally(e);
            }
        }, "echoer");
        echoer.setDaemon(true);
        echoer.start();
        long end = System.nanoTime() + RUN_NANOS;
        int trips = 0;
        while (System.nanoTime() < end) {
            ping.send(trips);
            assertThat(pong.receive(LOST)).as("round trip " + trips + ": wake-up lost").contains(trips);
            trips++;
        }
        ping.close();
        assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo(trips);
        assertThat(trips).isGreaterThan(100);
    }

    /**
     * Two drivers and two echoers on two many-to-many channels: each channel has two senders and two receivers, so
     * sends claim the tail by CAS and receivers compete for the head, and every receive parks while others send.
     * Every value sent comes back exactly once, and no receive waits out the bound.
     */
    @Test
    void pingPongWithTwoSendersAndTwoReceiversNeverLosesAWakeUp() throws Exception {
        Channel<Long> ping = longChannel("ping");
        Channel<Long> pong = longChannel("pong");
        List<CompletableFuture<Long>> echoers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            echoers.add(start("echoer-" + i, () -> {
                long n = 0;
                try {
                    while (true) {
                        Optional<Long> v = ping.receive(LOST);
                        if (v.isEmpty()) {
                            throw new AssertionError("echoer: wake-up lost after " + n);
                        }
                        pong.send(v.get());
                        n++;
                    }
                } catch (ChannelClosedException done) {
                    return n;
                }
            }));
        }
        Set<Long> received = ConcurrentHashMap.newKeySet();
        long end = System.nanoTime() + RUN_NANOS;
        List<CompletableFuture<Long>> drivers = new ArrayList<>();
        for (long d = 0; d < 2; d++) {
            long id = d;
            drivers.add(start("driver-" + d, () -> {
                long trips = 0;
                while (System.nanoTime() < end) {
                    ping.send(id << 40 | trips);
                    Optional<Long> v = pong.receive(LOST);
                    if (v.isEmpty()) {
                        throw new AssertionError("driver " + id + ", round trip " + trips + ": wake-up lost");
                    }
                    if (!received.add(v.get())) {
                        throw new AssertionError("received twice: " + v.get());
                    }
                    trips++;
                }
                return trips;
            }));
        }
        long trips = 0;
        for (CompletableFuture<Long> d : drivers) {
            trips += d.get(30, TimeUnit.SECONDS);
        }
        ping.close();
        long echoed = 0;
        for (CompletableFuture<Long> e : echoers) {
            echoed += e.get(10, TimeUnit.SECONDS);
        }
        assertThat(echoed).isEqualTo(trips).isGreaterThan(100);
        assertThat(received).hasSize((int) trips);
        for (long d = 0; d < 2; d++) {
            long id = d;
            long sentByD = received.stream().filter(v -> v >>> 40 == id).count();
            assertThat(received).as("driver " + d + "'s values 0..n-1, each once")
                    .filteredOn(v -> v >>> 40 == id).allMatch(v -> (v & ((1L << 40) - 1)) < sentByD);
        }
        assertThat(pong.pollOrElse(-1L)).isEqualTo(-1L);
    }

    private static Channel<Long> longChannel(String name) {
        return Channel.<Long>builder(name).arity(ChannelArity.MANY_TO_MANY).capacity(2)
                .waitStrategy(WaitStrategy.BLOCKING).safetyParkNanos(TimeUnit.HOURS.toNanos(1)).build();
    }

    /** Runs {@code body} on a fresh daemon thread; what it throws reaches the test through the future. */
    private static CompletableFuture<Long> start(String name, Supplier<Long> body) {
        return CompletableFuture.supplyAsync(body, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.start();
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void fullChannelNeverLosesASenderWakeUp(ChannelArity arity) throws Exception {
        Channel<Integer> ch = channel("room", arity, 2);
        CompletableFuture<Long> sender = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            long n = 0;
            try {
                while (true) {
                    if (!ch.send(1, LOST)) {
                        sender.completeExceptionally(new AssertionError("sender: wake-up lost after " + n));
                        return;
                    }
                    n++;
                }
            } catch (ChannelClosedException done) {
                sender.complete(n);
            } catch (Throwable e) {
                sender.completeExceptionally(e);
            }
        }, "sender");
        t.setDaemon(true);
        t.start();
        long end = System.nanoTime() + RUN_NANOS;
        long taken = 0;
        while (System.nanoTime() < end && !sender.isDone()) {
            assertThat(ch.receive(LOST)).as("taken " + taken).isPresent();
            taken++;
        }
        ch.close();
        long sent = sender.get(10, TimeUnit.SECONDS);
        while (ch.pollOrElse(null) != null) {
            taken++;
        }
        assertThat(taken).isEqualTo(sent).isGreaterThan(100);
    }
}
