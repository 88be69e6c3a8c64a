package io.vela.engine.channel.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vela.engine.OfferResult;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.channel.Channel;
import io.vela.engine.channel.ChannelArity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ChannelPublisherTest extends TwoThreadExecutor {
    private static Channel<Long> channel(ChannelArity arity, int capacity) {
        return Channel.<Long>builder("flow-test").capacity(capacity).arity(arity).build();
    }

    @Test
    void deliversInOrderOnlyWhatWasRequestedThenCompletes() throws Exception {
        Channel<Long> ch = channel(ChannelArity.ONE_TO_ONE, 16);
        for (long i = 0; i < 10; i++) {
            ch.send(i);
        }
        ch.close();
        Recorder<Long> r = new Recorder<>(0);
        ChannelFlow.publisher(ch, executor).subscribe(r);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.subscription() != null);
        r.request(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.items.size() == 3);
        Thread.sleep(50);
        assertThat(r.items).containsExactly(0L, 1L, 2L);
        assertThat(r.completions.get()).isZero();
        r.request(Long.MAX_VALUE);
        assertThat(r.awaitEnd(5)).isTrue();
        assertThat(r.items).containsExactlyElementsOf(LongStream.range(0, 10).boxed().toList());
        assertThat(r.completions.get()).isEqualTo(1);
        assertThat(r.error.get()).isNull();
        assertThat(ch.isDrained()).isTrue();
    }

    @Test
    void subscribersWaitingOnEmptyChannelsHoldNoThread() throws Exception {
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            List<Channel<Long>> channels = new ArrayList<>();
            List<Recorder<Long>> recorders = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Channel<Long> ch = channel(ChannelArity.MANY_TO_ONE, 4);
                Recorder<Long> r = new Recorder<>(1);
                ChannelFlow.publisher(ch, one).subscribe(r);
                channels.add(ch);
                recorders.add(r);
            }
            Thread.sleep(20); // every subscription has looked at its empty channel by now, or soon will
            channels.get(19).send(42L); // with a thread held per subscription, one thread could not deliver this
            await().atMost(Duration.ofSeconds(5)).until(() -> recorders.get(19).items.size() == 1);
            channels.forEach(Channel::close);
            for (Recorder<Long> r : recorders) {
                assertThat(r.awaitEnd(5)).isTrue();
                assertThat(r.completions.get()).isEqualTo(1);
            }
            assertThat(recorders.get(19).items).containsExactly(42L);
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void cancelStopsDeliveryAndLeavesTheRestInTheChannel() throws Exception {
        Channel<Long> ch = channel(ChannelArity.MANY_TO_MANY, 16);
        for (long i = 0; i < 10; i++) {
            ch.send(i);
        }
        Recorder<Long> r = new Recorder<>(0);
        ChannelFlow.publisher(ch, executor).subscribe(r);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.subscription() != null);
        r.request(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.items.size() == 2);
        r.subscription().cancel();
        r.request(5); // a no-op after cancel (rule 3.6)
        Thread.sleep(50);
        assertThat(r.items).containsExactly(0L, 1L);
        List<Long> rest = new ArrayList<>();
        assertThat(ch.drain(rest::add, 100)).isEqualTo(8);
        assertThat(rest).containsExactlyElementsOf(LongStream.range(2, 10).boxed().toList());
        assertThat(r.completions.get()).isZero();
    }

    @Test
    void aSingleReceiverChannelTakesOneSubscriberAtATime() throws Exception {
        Channel<Long> ch = channel(ChannelArity.ONE_TO_ONE, 4);
        Flow.Publisher<Long> pub = ChannelFlow.publisher(ch, executor);
        Recorder<Long> first = new Recorder<>(1);
        pub.subscribe(first);
        Recorder<Long> second = new Recorder<>(1);
        pub.subscribe(second);
        assertThat(second.awaitEnd(5)).isTrue();
        assertThat(second.error.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'flow-test' is one-to-one");
        await().atMost(Duration.ofSeconds(5)).until(() -> first.subscription() != null);
        first.subscription().cancel();
        // the first subscription's loop frees the channel once it has seen the cancel; refused tries end at once
        Recorder<Long> third = await().atMost(Duration.ofSeconds(5)).until(() -> {
            Recorder<Long> candidate = new Recorder<>(1);
            pub.subscribe(candidate);
            return candidate.terminated.await(50, TimeUnit.MILLISECONDS) ? null : candidate;
        }, Objects::nonNull);
        ch.send(7L);
        ch.close();
        assertThat(third.awaitEnd(5)).isTrue();
        assertThat(third.items).containsExactly(7L);
        assertThat(third.completions.get()).isEqualTo(1);
    }

    /**
     * Two senders race {@code close()} while three subscribers compete for a many-to-many channel: every element
     * accepted is delivered exactly once, nothing refused is, and every subscriber completes.
     */
    @Test
    void competingSubscribersGetEveryAcceptedElementOnceWhenCloseRacesTheSenders() throws Exception {
        for (int round = 0; round < 20; round++) {
            Channel<Long> ch = channel(ChannelArity.MANY_TO_MANY, 64);
            Flow.Publisher<Long> pub = ChannelFlow.publisher(ch, executor);
            List<Recorder<Long>> recorders = List.of(new Recorder<>(16), new Recorder<>(1), new Recorder<>(Long.MAX_VALUE));
            recorders.forEach(pub::subscribe);
            Set<Long> accepted = ConcurrentHashMap.newKeySet();
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long base = t * 1_000_000L;
                senders.add(onOwnThread(() -> {
                    for (long i = base; i < base + 1_000_000L; i++) {
                        OfferResult res;
                        do {
                            res = ch.trySend(i);
                        } while (res == OfferResult.FULL);
                        if (res == OfferResult.CLOSED) {
                            return;
                        }
                        accepted.add(i);
                    }
                }));
            }
            Thread.sleep(5 + 3 * round);
            ch.close();
            for (CompletableFuture<Void> s : senders) {
                s.get(10, TimeUnit.SECONDS);
            }
            List<Long> received = new ArrayList<>();
            for (Recorder<Long> r : recorders) {
                assertThat(r.awaitEnd(10)).as("subscriber completes").isTrue();
                assertThat(r.completions.get()).isEqualTo(1);
                assertThat(r.error.get()).isNull();
                assertThat(r.overlaps.get()).as("serial signals").isZero();
                received.addAll(r.items);
            }
            assertThat(received).hasSameSizeAs(accepted);
            assertThat(received.stream().collect(Collectors.toSet())).isEqualTo(accepted);
            assertThat(accepted).isNotEmpty();
        }
    }

    @Test
    void aSubscriberThatThrowsIsCancelledAndTheOthersCarryOn() throws Exception {
        Channel<Long> ch = channel(ChannelArity.MANY_TO_MANY, 16);
        Flow.Publisher<Long> pub = ChannelFlow.publisher(ch, executor);
        Recorder<Long> thrower = new Recorder<>(1) {
            @Override
            public void onNext(Long item) {
                super.onNext(item);
                throw new IllegalStateException("a subscriber breaking rule 2.13");
            }
        };
        pub.subscribe(thrower);
        ch.send(1L);
        await().atMost(Duration.ofSeconds(5)).until(() -> thrower.items.size() == 1);
        Recorder<Long> good = new Recorder<>(1);
        pub.subscribe(good);
        for (long i = 2; i <= 5; i++) {
            ch.send(i);
        }
        ch.close();
        assertThat(good.awaitEnd(5)).isTrue();
        assertThat(good.items).containsExactly(2L, 3L, 4L, 5L);
        assertThat(thrower.items).containsExactly(1L);
        assertThat(thrower.terminated.getCount()).isEqualTo(1); // cancelled: no terminal signal
    }

    /**
     * Closing the runtime ends a subscription on its executor: the runtime closes its channels, and the subscriber
     * gets what was sent, then a terminal signal (onComplete, or onError if the executor was gone first).
     */
    @Test
    void closingTheRuntimeEndsItsSubscriptions() throws Exception {
        Recorder<Long> r = new Recorder<>(Long.MAX_VALUE);
        try (VelaRuntime runtime = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).build())) {
            Channel<Long> ch = runtime.channels().<Long>builder("flow-runtime").capacity(8).build();
            ChannelFlow.publisher(ch, runtime.executor()).subscribe(r);
            ch.send(1L);
            await().atMost(Duration.ofSeconds(5)).until(() -> r.items.size() == 1);
        }
        assertThat(r.awaitEnd(5)).isTrue();
        assertThat(r.items).containsExactly(1L);
        assertThat(r.completions.get() == 1 || r.error.get() instanceof RejectedExecutionException)
                .as("completed, or refused by the closed executor: %s", r.error.get()).isTrue();
    }
}
