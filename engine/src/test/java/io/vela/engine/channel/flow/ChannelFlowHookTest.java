package io.vela.engine.channel.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vela.engine.OfferResult;
import io.vela.engine.channel.Channel;
import io.vela.engine.channel.ChannelArity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The adapters wait for an empty (publisher) or full (subscriber) channel through its readiness hooks, not by
 * polling: an idle adapter makes no call on the channel until a send, take or close runs its hook.
 */
@Timeout(30)
class ChannelFlowHookTest extends TwoThreadExecutor {
    /** Long enough for a polling adapter (10 µs .. 1 ms) to poll many times. */
    private static final long QUIET_MILLIS = 100;

    private static WatchedChannel<Long> watched(ChannelArity arity, int capacity) {
        return new WatchedChannel<>(Channel.<Long>builder("hooked").capacity(capacity).arity(arity).build());
    }

    @Test
    void anIdleSubscriptionGetsTheNextElementWithoutPolling() throws Exception {
        WatchedChannel<Long> ch = watched(ChannelArity.MANY_TO_ONE, 8);
        Recorder<Long> r = new Recorder<>(0);
        ChannelFlow.publisher(ch, executor).subscribe(r);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.subscription() != null);
        r.request(10);
        int registered = 0;
        for (long round = 0; round < 3; round++) {
            int before = registered;
            await().atMost(Duration.ofSeconds(5)).until(() -> ch.receivableRegistrations.get() > before);
            int polls = ch.polls.get();
            registered = ch.receivableRegistrations.get();
            Thread.sleep(QUIET_MILLIS);
            assertThat(ch.polls.get()).as("an idle subscription does not poll").isEqualTo(polls);
            assertThat(ch.receivableRegistrations.get()).isEqualTo(registered);
            ch.send(round);
            long expected = round + 1;
            await().atMost(Duration.ofSeconds(5)).until(() -> r.items.size() == expected);
        }
        assertThat(r.items).containsExactly(0L, 1L, 2L);
        ch.close();
        assertThat(r.awaitEnd(5)).as("close runs the hook: onComplete").isTrue();
        assertThat(r.completions.get()).isEqualTo(1);
        assertThat(r.overlaps.get()).isZero();
    }

    @Test
    void closeRunsTheHookOfAnIdleSubscription() throws Exception {
        WatchedChannel<Long> ch = watched(ChannelArity.MANY_TO_MANY, 4);
        Recorder<Long> r = new Recorder<>(0);
        ChannelFlow.publisher(ch, executor).subscribe(r);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.subscription() != null);
        r.request(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> ch.receivableRegistrations.get() > 0);
        int polls = ch.polls.get();
        Thread.sleep(QUIET_MILLIS);
        assertThat(ch.polls.get()).isEqualTo(polls);
        ch.close();
        assertThat(r.awaitEnd(5)).isTrue();
        assertThat(r.completions.get()).isEqualTo(1);
        assertThat(r.items).isEmpty();
    }

    @Test
    void cancellingAnIdleSubscriptionDeregistersItsHook() throws Exception {
        WatchedChannel<Long> ch = watched(ChannelArity.ONE_TO_ONE, 4);
        Recorder<Long> first = new Recorder<>(0);
        Flow.Publisher<Long> publisher = ChannelFlow.publisher(ch, executor);
        publisher.subscribe(first);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.subscription() != null);
        first.request(5);
        await().atMost(Duration.ofSeconds(5)).until(() -> ch.receivableRegistrations.get() > 0);
        first.subscription().cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> ch.receivableCancels.get() > 0);
        ch.send(7L);
        Thread.sleep(QUIET_MILLIS);
        assertThat(first.items).as("cancelled: nothing delivered").isEmpty();
        Recorder<Long> second = new Recorder<>(1);
        publisher.subscribe(second); // the single-receiver channel was released by the cancelled subscription
        await().atMost(Duration.ofSeconds(5)).until(() -> second.items.size() == 1);
        assertThat(second.items).containsExactly(7L);
        assertThat(second.error.get()).isNull();
    }

    @Test
    void aSubscriberWaitingForRoomIsWokenByTheTakeNotByPolling() throws Exception {
        WatchedChannel<Long> ch = watched(ChannelArity.MANY_TO_MANY, 2);
        ChannelSubscriber<Long> sink = ChannelFlow.subscriber(ch, 8);
        AtomicLong requested = new AtomicLong();
        sink.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                requested.addAndGet(n);
            }

            @Override
            public void cancel() {
            }
        });
        assertThat(requested.get()).isEqualTo(8);
        for (long i = 0; i < 6; i++) {
            sink.onNext(i);
        }
        assertThat(ch.sendableRegistrations.get()).isPositive();
        int attempts = ch.sendAttempts.get();
        Thread.sleep(QUIET_MILLIS);
        assertThat(ch.sendAttempts.get()).as("a full many-to-many channel is not retried by a timer")
                .isEqualTo(attempts);
        List<Long> taken = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Long e = ch.pollOrElse(null);
            assertThat(e).as("element %d is in the channel: the take's hook refilled it", i).isNotNull();
            taken.add(e);
        }
        assertThat(taken).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        sink.onComplete();
        sink.completion().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(ch.isDrained()).isTrue();
        assertThat(ch.trySend(9L)).isEqualTo(OfferResult.CLOSED);
    }
}
