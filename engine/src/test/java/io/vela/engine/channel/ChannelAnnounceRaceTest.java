package io.vela.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OfferResult;
import io.vela.engine.WaitStrategy;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.agrona.concurrent.QueuedPipe;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lost wake-up behind the rare {@code ChannelLostWakeUpTest} failure, made deterministic: a send counted
 * <em>before</em> a receiver announced itself ({@code RECV_WAITING}) does not see the announcement, so it wakes
 * nobody; the receiver must therefore see that send, in the queue or as still landing. Here the send lands exactly
 * while the receiver looks at the queue after its announcement: the queue is wrapped (by reflection) so that the
 * sender's offer waits, and the receiver's first look at the queue after announcing lets it land and waits for it.
 * A receiver that reads the queue first and the landed count after it then sees "empty" and "nothing in flight",
 * and parks until its timeout although the element is there. The safety-net park is an hour, so only a wake-up or
 * the timeout ends that park.
 */
@Timeout(30)
class ChannelAnnounceRaceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** Far below {@link #TIMEOUT}: a receiver that sees the landing send takes microseconds. */
    private static final long PROMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(1_500);

    /** Receives one element the way a user does; an empty result means the wait timed out. */
    enum Receiver {
        RECEIVE(ch -> ch.receive(TIMEOUT)),
        SELECT(ch -> {
            AtomicReference<Integer> got = new AtomicReference<>();
            Selected s = Channels.select().onReceive(ch, got::set).await(TIMEOUT);
            return s.timedOut() ? Optional.empty() : Optional.ofNullable(got.get());
        });

        final Function<Channel<Integer>, Optional<Integer>> receive;

        Receiver(Function<Channel<Integer>, Optional<Integer>> receive) {
            this.receive = receive;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(ChannelArity.values())
                .flatMap(arity -> Stream.of(Receiver.values()).map(r -> Arguments.of(arity, r)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aSendCountedBeforeTheAnnouncementThatLandsDuringTheLastLookIsNotMissed(ChannelArity arity, Receiver receiver)
            throws Exception {
        ArrayChannel<Integer> ch = (ArrayChannel<Integer>) Channel.<Integer>builder("announce-" + arity.configName())
                .arity(arity).capacity(4).waitStrategy(WaitStrategy.BLOCKING)
                .safetyParkNanos(TimeUnit.HOURS.toNanos(1)).build();
        Gate gate = Gate.install(ch, Thread.currentThread());

        CompletableFuture<OfferResult> sent = new CompletableFuture<>();
        Thread sender = new Thread(() -> {
            try {
                sent.complete(ch.trySend(42));
            } catch (Throwable e) {
                sent.completeExceptionally(e);
            }
        }, "announce-sender");
        sender.setDaemon(true);
        sender.start();
        assertThat(gate.inOffer.await(5, TimeUnit.SECONDS)).as("sender counted, offer held").isTrue();

        long start = System.nanoTime();
        Optional<Integer> got = receiver.receive.apply(ch);
        long took = System.nanoTime() - start;

        assertThat(sent.get(5, TimeUnit.SECONDS)).isEqualTo(OfferResult.ACCEPTED);
        assertThat(gate.fired).as(arity + ": the send landed during the receiver's look after announcing")
                .isTrue();
        assertThat(got).as(arity + ": the element").contains(42);
        assertThat(took).as(arity + ": woken or never parked, not ended by the timeout (a lost wake-up)")
                .isLessThan(PROMPT_NANOS);
        assertThat(ch.pollOrElse(-1)).isEqualTo(-1);
    }

    /**
     * Wraps a channel's queue: the first offer waits until {@link #land} opens; the receiver's first look at the
     * queue ({@code isEmpty}) after it announced itself opens it and returns only once that offer is done.
     */
    private static final class Gate {
        final CountDownLatch inOffer = new CountDownLatch(1);
        final CountDownLatch land = new CountDownLatch(1);
        final CountDownLatch landed = new CountDownLatch(1);
        final AtomicBoolean armed = new AtomicBoolean(true);
        volatile boolean fired;

        @SuppressWarnings("unchecked")
        static Gate install(ArrayChannel<Integer> ch, Thread receiver) throws Exception {
            Field field = ArrayChannel.class.getDeclaredField("queue");
            field.setAccessible(true);
            QueuedPipe<Integer> real = (QueuedPipe<Integer>) field.get(ch);
            Gate gate = new Gate();
            Object wrapped = Proxy.newProxyInstance(QueuedPipe.class.getClassLoader(),
                    new Class<?>[] {QueuedPipe.class}, (proxy, method, args) -> {
                        String name = method.getName();
                        if (name.equals("offer") && gate.inOffer.getCount() > 0) {
                            gate.inOffer.countDown();
                            await(gate.land);
                            Object r = invoke(method, real, args);
                            gate.landed.countDown();
                            return r;
                        }
                        boolean announced = (ch.state & ArrayChannel.RECV_WAITING) != 0;
                        if (name.equals("isEmpty") && Thread.currentThread() == receiver && announced
                                && gate.armed.compareAndSet(true, false)) {
                            Object r = invoke(method, real, args);
                            gate.land.countDown();
                            await(gate.landed);
                            gate.fired = true;
                            return r;
                        }
                        return invoke(method, real, args);
                    });
            field.set(ch, wrapped);
            return gate;
        }

        private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args)
                throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private static void await(CountDownLatch latch) throws InterruptedException {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("gate not opened within 5 s");
            }
        }
    }
}
