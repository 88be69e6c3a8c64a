package io.vela.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.WaitStrategy;
import java.lang.management.ManagementFactory;
import java.util.function.Consumer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * trySend, pollOrElse, drain, a send/receive that does not wait and a reusable select allocate nothing per call in
 * steady state (measured with the JVM's per-thread allocation counter, on one thread).
 */
@Timeout(30)
class ChannelAllocationTest {
    private static final int N = 200_000;

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void hotPathsAllocateNothing(ChannelArity arity) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Channel<Integer> ch = Channel.<Integer>builder("alloc").arity(arity).capacity(64)
                .waitStrategy(WaitStrategy.BLOCKING).build();
        Channel<Integer> other = Channel.<Integer>builder("other").arity(arity).capacity(64)
                .waitStrategy(WaitStrategy.BLOCKING).build();
        Integer item = 12345; // preallocated: boxing is the caller's allocation, not the channel's
        long[] sum = new long[1];
        Consumer<Integer> add = v -> sum[0] += v;
        Select select = Channels.select().onReceive(other, add).onReceive(ch, add);
        long self = Thread.currentThread().getId();
        for (int round = 0; round < 2; round++) { // the first round warms up (JIT, lazy class init)
            long before = mx.getThreadAllocatedBytes(self);
            for (int i = 0; i < N; i++) {
                ch.trySend(item);
                ch.pollOrElse(null);
                ch.send(item);
                sum[0] += ch.receive();
                ch.trySend(item);
                ch.drain(add, 8);
                ch.trySend(item);
                if (select.await().channel().isEmpty()) {
                    throw new AssertionError("no channel");
                }
            }
            long bytes = mx.getThreadAllocatedBytes(self) - before;
            if (round == 1) {
                assertThat(bytes).as("bytes for %d rounds of every hot path", N).isLessThan(N / 100);
            }
        }
        assertThat(sum[0]).isEqualTo(2L * N * 3 * item);
    }

    /** ADR 0007: waiting allocates nothing either — a receive and a send that park, round after round. */
    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void parkingSendsAndReceivesAllocateNothing(ChannelArity arity) throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Channel<Integer> ping = Channel.<Integer>builder("ping").arity(arity).capacity(1)
                .waitStrategy(WaitStrategy.BLOCKING).build();
        Channel<Integer> pong = Channel.<Integer>builder("pong").arity(arity).capacity(1)
                .waitStrategy(WaitStrategy.BLOCKING).build();
        Integer item = 7;
        int rounds = 3_000;
        java.util.concurrent.CompletableFuture<Long> echoed = new java.util.concurrent.CompletableFuture<>();
        Thread echo = new Thread(() -> {
            try {
                long self = Thread.currentThread().getId();
                long before = 0;
                for (int i = 0; i < 2 * rounds; i++) {
                    if (i == rounds) { // the first half warms up
                        before = mx.getThreadAllocatedBytes(self);
                    }
                    pong.send(ping.receive()); // parks in receive (and in send once pong is full)
                    pong.send(ping.receive());
                }
                echoed.complete(mx.getThreadAllocatedBytes(self) - before);
            } catch (Throwable e) {
                echoed.completeExceptionally(e);
            }
        }, "echo");
        echo.setDaemon(true);
        echo.start();
        for (int i = 0; i < 2 * rounds; i++) {
            ping.send(item);
            ping.send(item);
            pong.receive();
            pong.receive();
        }
        assertThat(echoed.get(20, java.util.concurrent.TimeUnit.SECONDS))
                .as("bytes allocated by a thread that parked in receive and send %d times", 2 * rounds)
                .isLessThan(1_000);
    }
}
