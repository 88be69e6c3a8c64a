package io.vela.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.OfferResult;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ChannelBuilder#senderCloses(boolean)}: spinning channels whose senders close them skip the atomic add per
 * send and still deliver everything accepted; parking channels ignore the promise.
 */
@Timeout(30)
class ChannelSenderClosesTest {
    private static final int PER_SENDER = 200_000;

    private static Channel<Integer> channel(ChannelArity arity, WaitStrategy wait) {
        return Channel.<Integer>builder("sender-closes").arity(arity).capacity(64).waitStrategy(wait)
                .senderCloses(true).safetyParkNanos(TimeUnit.HOURS.toNanos(1)).build();
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void everythingAcceptedBeforeTheSendersCloseIsReceivedOnce(ChannelArity arity) throws Exception {
        Channel<Integer> ch = channel(arity, WaitStrategy.YIELDING);
        int senders = arity.manySenders() ? 2 : 1;
        int receivers = arity.manyReceivers() ? 2 : 1;
        List<CompletableFuture<BitSet>> got = new ArrayList<>();
        for (int r = 0; r < receivers; r++) {
            CompletableFuture<BitSet> f = new CompletableFuture<>();
            got.add(f);
            start(() -> {
                BitSet mine = new BitSet();
                try {
                    while (true) {
                        mine.set(ch.receive());
                    }
                } catch (ChannelClosedException drained) {
                    f.complete(mine);
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
        }
        List<Thread> sending = new ArrayList<>();
        AtomicLong full = new AtomicLong();
        for (int s = 0; s < senders; s++) {
            int base = s * PER_SENDER;
            sending.add(start(() -> {
                for (int i = base; i < base + PER_SENDER; i++) {
                    if (i % 2 == 0) {
                        ch.send(i);
                    } else {
                        while (ch.trySend(i) != OfferResult.ACCEPTED) {
                            full.incrementAndGet();
                            Thread.yield();
                        }
                    }
                }
            }));
        }
        for (Thread t : sending) {
            t.join(20_000);
        }
        ch.close(); // every sender has stopped: the promise is kept
        assertThat(ch.trySend(-1)).isEqualTo(OfferResult.CLOSED);
        BitSet all = new BitSet();
        for (CompletableFuture<BitSet> f : got) {
            BitSet r = f.get(20, TimeUnit.SECONDS);
            assertThat(r.intersects(all)).as("received twice").isFalse();
            all.or(r);
        }
        assertThat(all.cardinality()).isEqualTo(senders * PER_SENDER);
        assertThat(all.nextClearBit(0)).isEqualTo(senders * PER_SENDER);
        assertThat(ch.isDrained()).isTrue();
        assertThat(ch.stats().sent()).isEqualTo(senders * PER_SENDER);
        assertThat(ch.stats().refused()).as("FULL trySends and the one after close").isEqualTo(full.get() + 1);
    }

    @Test
    void theSendingThreadClosesAfterItsLastSend() {
        Channel<Integer> ch = channel(ChannelArity.ONE_TO_ONE, WaitStrategy.BUSY_SPIN);
        ch.send(1);
        ch.close();
        assertThatThrownBy(() -> ch.send(2)).isInstanceOf(ChannelClosedException.class);
        assertThat(ch.isDrained()).isFalse();
        assertThat(ch.receive()).isEqualTo(1);
        assertThat(ch.isDrained()).isTrue();
        assertThatThrownBy(ch::receive).isInstanceOf(ChannelClosedException.class);
    }

    @Test
    void parkingChannelsIgnoreThePromiseAndStillWakeTheirReceivers() throws Exception {
        Channel<Integer> ch = channel(ChannelArity.ONE_TO_ONE, WaitStrategy.BLOCKING);
        CompletableFuture<Integer> got = new CompletableFuture<>();
        Thread r = start(() -> got.complete(ch.receive()));
        while (r.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        ch.send(5);
        assertThat(got.get(2, TimeUnit.SECONDS)).as("woken by the send, not the hour-long safety park").isEqualTo(5);
    }

    @Test
    void aParkingSelectOverASpinningSenderClosesChannelStillSeesItsElements() throws Exception {
        Channel<Integer> fast = channel(ChannelArity.ONE_TO_ONE, WaitStrategy.YIELDING);
        Select select = Channels.select().onReceive(fast, v -> { }).waitStrategy(WaitStrategy.BLOCKING);
        CompletableFuture<Selected> result = new CompletableFuture<>();
        start(() -> result.complete(select.await(Duration.ofSeconds(10))));
        Thread.sleep(20);
        fast.send(1);
        assertThat(result.get(2, TimeUnit.SECONDS).index()).isZero();
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(r, "sender-closes");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
