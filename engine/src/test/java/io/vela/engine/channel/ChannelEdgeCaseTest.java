package io.vela.engine.channel;

import static io.vela.engine.channel.ChannelAdversarialTest.async;
import static io.vela.engine.channel.ChannelAdversarialTest.awaitParked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.OfferResult;
import io.vela.engine.RingFullException;
import io.vela.engine.WaitStrategy;
import io.vela.engine.channel.ChannelAdversarialTest.Async;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What users will do to a channel that the happy-path tests do not: nulls, odd timeouts, interrupted callers, more
 * parked threads than waiter slots, handlers that re-enter, throw or close, broken arity, counters under load.
 */
@Timeout(30)
class ChannelEdgeCaseTest {
    private static final Duration HUGE = ChronoUnit.FOREVER.getDuration();

    private static Channel<Integer> channel(ChannelArity arity, WaitStrategy wait, int capacity) {
        return Channel.<Integer>builder("edge-" + arity.configName()).arity(arity).capacity(capacity)
                .waitStrategy(wait).safetyParkNanos(TimeUnit.HOURS.toNanos(1)).build();
    }

    @Test
    void nullArgumentsAreRefusedAndLeaveNoTrace() {
        Channel<Integer> ch = channel(ChannelArity.MANY_TO_MANY, WaitStrategy.BLOCKING, 2);
        assertThatThrownBy(() -> ch.receive(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ch.send(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ch.drain(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Channels.select().onReceive(null, v -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Channels.select().onReceive(ch, null)).isInstanceOf(NullPointerException.class);
        Supplier<Integer> nothing = () -> null;
        Select select = Channels.select().onSendFrom(ch, nothing, () -> { });
        assertThatThrownBy(select::poll).isInstanceOf(NullPointerException.class).hasMessageContaining("value");
        assertThat(ch.stats().sent()).isZero();
        assertThat(ch.stats().refused()).isZero();
        assertThat(ch.trySend(5)).isEqualTo(OfferResult.ACCEPTED);
        assertThat(ch.receive()).isEqualTo(5);
        assertThat(((ArrayChannel<Integer>) ch).senders().waiting()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void zeroNegativeAndHugeTimeouts(ChannelArity arity) throws Exception {
        Channel<Integer> ch = channel(arity, WaitStrategy.BLOCKING, 2);
        long t0 = System.nanoTime();
        assertThat(ch.receive(Duration.ZERO)).isEmpty();
        assertThat(ch.receive(Duration.ofNanos(-5))).isEmpty();
        assertThat(ch.receive(Duration.ofSeconds(Long.MIN_VALUE))).isEmpty();
        assertThat(ch.send(1, HUGE)).isTrue();
        assertThat(ch.send(2, Duration.ofSeconds(Long.MAX_VALUE, 999_999_999))).isTrue();
        assertThat(ch.send(3, Duration.ZERO)).isFalse();
        assertThat(ch.send(3, Duration.ofMillis(-1))).isFalse();
        assertThat(Channels.select().onSend(ch, 3, () -> { }).await(Duration.ZERO).timedOut()).isTrue();
        assertThat(System.nanoTime() - t0).as("none of these waited").isLessThan(TimeUnit.SECONDS.toNanos(2));
        assertThat(ch.stats().refused()).isEqualTo(2);
        assertThat(ch.receive(HUGE)).contains(1);
        assertThat(ch.receive(HUGE)).contains(2);
        Async<Optional<Integer>> receiver = async(() -> ch.receive(HUGE));
        awaitParked(receiver.thread());
        ch.send(4);
        assertThat(receiver.result().get(5, TimeUnit.SECONDS)).contains(4);
        Async<Selected> selector = async(() -> Channels.select().onReceive(ch, v -> { }).await(HUGE));
        awaitParked(selector.thread());
        ch.send(5);
        assertThat(selector.result().get(5, TimeUnit.SECONDS).index()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "YIELDING"})
    void aThreadInterruptedBeforeCallingProceedsIfItNeedNotWaitAndIsRefusedIfItMust(WaitStrategy wait) {
        Channel<Integer> ch = channel(ChannelArity.ONE_TO_ONE, wait, 2);
        Select select = Channels.select().onReceive(ch, v -> { });
        Thread.currentThread().interrupt();
        try {
            ch.send(1);
            ch.send(2);
            assertThatThrownBy(() -> ch.send(3)).isInstanceOf(RingFullException.class)
                    .satisfies(e -> assertThat(((RingFullException) e).result()).isEqualTo(OfferResult.FULL));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(ch.receive()).isEqualTo(1);
            assertThat(select.await().index()).isZero();
            assertThatThrownBy(ch::receive).isInstanceOf(ChannelInterruptedException.class);
            assertThatThrownBy(select::await).isInstanceOf(ChannelInterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("flag kept").isTrue();
            assertThat(ch.stats().sent()).isEqualTo(2);
            assertThat(ch.stats().received()).isEqualTo(2);
            assertThat(ch.stats().refused()).isEqualTo(1);
        } finally {
            Thread.interrupted();
        }
    }

    /** 40 threads parked on one side, 32 waiter slots: the 8 without a slot poll, and nobody is left behind. */
    @Test
    void moreParkedThreadsThanWaiterSlots() throws Exception {
        int n = WaiterSlots.SLOTS + 8;
        Channel<Integer> ch = channel(ChannelArity.MANY_TO_MANY, WaitStrategy.BLOCKING, 2);
        List<Async<Integer>> receivers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            receivers.add(async(ch::receive));
        }
        for (Async<Integer> r : receivers) {
            awaitParked(r.thread());
        }
        for (int i = 0; i < n; i++) {
            ch.send(i);
        }
        Set<Integer> got = new HashSet<>();
        for (Async<Integer> r : receivers) {
            got.add(r.result().get(10, TimeUnit.SECONDS));
        }
        assertThat(got).hasSize(n);
        ch.send(-1);
        ch.send(-2);
        List<Async<Boolean>> senders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int v = i;
            senders.add(async(() -> ch.send(v, Duration.ofSeconds(20))));
        }
        for (Async<Boolean> s : senders) {
            awaitParked(s.thread());
        }
        got.clear();
        while (got.size() < n + 2) {
            assertThat(got.add(ch.receive(Duration.ofSeconds(10)).orElseThrow())).isTrue();
        }
        for (Async<Boolean> s : senders) {
            assertThat(s.result().get(10, TimeUnit.SECONDS)).isTrue();
        }
        List<Async<Integer>> late = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            late.add(async(ch::receive));
        }
        for (Async<Integer> r : late) {
            awaitParked(r.thread());
        }
        ch.close();
        for (Async<Integer> r : late) {
            assertThatThrownBy(() -> r.result().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(
                    ChannelClosedException.class);
        }
        ArrayChannel<Integer> c = (ArrayChannel<Integer>) ch;
        assertThat(c.receivers().waiting() + c.senders().waiting()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void drainHandlerClosingItsOwnChannelStillGetsWhatWasAccepted(ChannelArity arity) {
        Channel<Integer> ch = channel(arity, WaitStrategy.BLOCKING, 8);
        for (int i = 0; i < 5; i++) {
            ch.send(i);
        }
        List<Integer> got = new ArrayList<>();
        int n = ch.drain(v -> {
            got.add(v);
            ch.close();
            assertThat(ch.trySend(99)).isEqualTo(OfferResult.CLOSED);
        }, 100);
        assertThat(n).isEqualTo(5);
        assertThat(got).containsExactly(0, 1, 2, 3, 4);
        assertThat(ch.isDrained()).isTrue();
        assertThatThrownBy(ch::receive).isInstanceOf(ChannelClosedException.class);
    }

    @Test
    void drainHandlerThatThrowsKeepsTheRestForTheNextCall() {
        Channel<Integer> ch = channel(ChannelArity.ONE_TO_ONE, WaitStrategy.BLOCKING, 4);
        for (int i = 0; i < 4; i++) {
            ch.send(i);
        }
        assertThatThrownBy(() -> ch.drain(v -> {
            if (v == 1) {
                throw new IllegalStateException("boom");
            }
        }, 4)).hasMessage("boom");
        assertThat(ch.stats().received()).as("0 and 1 were handed out, so taken").isEqualTo(2);
        assertThat(ch.pollOrElse(-1)).isEqualTo(2);
        assertThat(ch.pollOrElse(-1)).isEqualTo(3);
    }

    @Test
    void selectHandlersMayUseTheirChannelsAndTheSameChannelMayBeTwoCases() {
        Channel<Integer> ch = channel(ChannelArity.MANY_TO_MANY, WaitStrategy.BLOCKING, 4);
        List<String> got = new ArrayList<>();
        Select select = Channels.select()
                .onReceive(ch, v -> {
                    got.add("a" + v);
                    if (v < 3) {
                        ch.send(v + 1); // back into the channel it came from
                    }
                })
                .onReceive(ch, v -> {
                    got.add("b" + v);
                    if (v < 3) {
                        ch.send(v + 1);
                    }
                });
        ch.send(0);
        for (int i = 0; i < 4; i++) {
            assertThat(select.await(Duration.ofSeconds(5)).timedOut()).isFalse();
        }
        assertThat(got).containsExactly("a0", "b1", "a2", "b3");
        Select closer = Channels.select().onReceive(ch, v -> ch.close());
        ch.send(7);
        assertThat(closer.await().closed()).isFalse();
        assertThat(closer.await().closed()).isTrue();
        assertThat(select.await(Duration.ofSeconds(5)).closed()).isTrue();
        assertThat(((ArrayChannel<Integer>) ch).receivers().waiting()).isZero();
    }

    @Test
    void aThrowingSendSupplierFiresNothingAndTheSelectStaysUsable() {
        Channel<Integer> ch = channel(ChannelArity.ONE_TO_ONE, WaitStrategy.BLOCKING, 2);
        AtomicBoolean fail = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        Select select = Channels.select().onSendFrom(ch, () -> {
            if (fail.get()) {
                throw new IllegalArgumentException("no value yet");
            }
            return 1;
        }, sent::incrementAndGet);
        assertThatThrownBy(select::await).hasMessage("no value yet");
        assertThat(ch.stats().sent()).isZero();
        assertThat(sent).hasValue(0);
        fail.set(false);
        assertThat(select.await().index()).isZero();
        assertThat(sent).hasValue(1);
        ch.close();
        assertThat(select.await().closed()).isTrue();
        assertThat(sent).as("a closed channel's case runs no action").hasValue(1);
        assertThat(ch.stats().refused()).isEqualTo(1);
    }

    /**
     * Two receivers on a one-to-one channel break its arity: elements may be lost or duplicated (documented), but
     * the threads' bounded calls still return, close still ends the senders, and other channels are unaffected.
     */
    @Test
    void brokenArityHangsNoThreadThatWaitsWithABound() throws Exception {
        Channel<Integer> broken = channel(ChannelArity.ONE_TO_ONE, WaitStrategy.BLOCKING, 4);
        Channel<Integer> other = channel(ChannelArity.ONE_TO_ONE, WaitStrategy.BLOCKING, 4);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        List<Async<Integer>> receivers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            receivers.add(async(() -> {
                int n = 0;
                while (System.nanoTime() < end) {
                    try {
                        if (broken.receive(Duration.ofMillis(5)).isPresent()) {
                            n++;
                        }
                    } catch (ChannelClosedException done) {
                        break;
                    }
                }
                return n;
            }));
        }
        Async<Integer> sender = async(() -> {
            int n = 0;
            try {
                while (true) {
                    if (broken.send(n, Duration.ofMillis(5))) {
                        n++;
                    }
                }
            } catch (ChannelClosedException closed) {
                return n;
            }
        });
        Thread.sleep(300);
        broken.close();
        assertThat(sender.result().get(10, TimeUnit.SECONDS)).isPositive();
        for (Async<Integer> r : receivers) {
            assertThat(r.result().get(10, TimeUnit.SECONDS)).isNotNegative();
        }
        other.send(1);
        assertThat(other.receive()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void countersNeverGoNegativeOrPastCapacityAndAddUp(ChannelArity arity) throws Exception {
        Channel<Integer> ch = channel(arity, WaitStrategy.YIELDING, 8);
        ChannelStats st = ch.stats();
        AtomicBoolean stop = new AtomicBoolean();
        java.util.concurrent.CountDownLatch sampling = new java.util.concurrent.CountDownLatch(1);
        Async<Integer> sampler = async(() -> {
            int samples = 0;
            while (!stop.get()) {
                if (samples == 10) {
                    sampling.countDown(); // the sender starts once sampling runs (a loaded machine may delay it)
                }
                long depth = st.depth();
                long received = st.received();
                long sent = st.sent();
                assertThat(depth).isBetween(0L, 8L);
                assertThat(sent).as("sent read after received").isGreaterThanOrEqualTo(received);
                samples++;
                Thread.yield();
            }
            return samples;
        });
        Async<Integer> sender = async(() -> {
            assertThat(sampling.await(10, TimeUnit.SECONDS)).as("the sampler started").isTrue();
            int refused = 0;
            for (int i = 0; i < 20_000; i++) {
                if (ch.trySend(i) != OfferResult.ACCEPTED) {
                    refused++;
                }
            }
            return refused;
        });
        int received = 0;
        while (!sender.result().isDone() || ch.stats().depth() > 0) {
            received += ch.drain(v -> { }, 3);
            Thread.yield();
        }
        int refused = sender.result().get(10, TimeUnit.SECONDS);
        stop.set(true);
        assertThat(sampler.result().get(10, TimeUnit.SECONDS)).isPositive();
        assertThat(st.sent()).isEqualTo(20_000 - refused).isEqualTo(received);
        assertThat(st.received()).isEqualTo(received);
        assertThat(st.refused()).isEqualTo(refused);
        assertThat(st.depth()).isZero();
    }
}
