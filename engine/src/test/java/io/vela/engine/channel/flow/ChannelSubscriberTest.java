package io.vela.engine.channel.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vela.engine.RingClosedException;
import io.vela.engine.channel.Channel;
import io.vela.engine.channel.ChannelArity;
import io.vela.engine.channel.ChannelClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ChannelSubscriberTest extends TwoThreadExecutor {
    private static Channel<Long> channel(int capacity) {
        return Channel.<Long>builder("sink").capacity(capacity).arity(ChannelArity.ONE_TO_ONE).build();
    }

    /** An upstream driven by the test: counts what was requested, sends on the test's thread, notes cancel. */
    private static final class ManualUpstream implements Flow.Subscription {
        final AtomicLong requested = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();

        @Override
        public void request(long n) {
            requested.addAndGet(n);
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }
    }

    private static ChannelSubscriber<Long> subscribed(Channel<Long> ch, int prefetch, ManualUpstream up) {
        ChannelSubscriber<Long> sink = ChannelFlow.subscriber(ch, prefetch);
        sink.onSubscribe(up);
        return sink;
    }

    @Test
    void feedsTheChannelInOrderThenClosesItOnComplete() throws Exception {
        Channel<Long> ch = channel(8);
        ChannelSubscriber<Long> sink = ChannelFlow.subscriber(ch, 16);
        List<Long> received = new ArrayList<>();
        CompletableFuture<Void> receiver = onOwnThread(() -> {
            try {
                for (;;) {
                    received.add(ch.receive());
                }
            } catch (ChannelClosedException end) {
                // every element was received
            }
        });
        try (SubmissionPublisher<Long> upstream = new SubmissionPublisher<>(executor, 32)) {
            upstream.subscribe(sink);
            for (long i = 0; i < 20_000; i++) {
                upstream.submit(i);
            }
        } // close: onComplete after the last element
        sink.completion().get(10, TimeUnit.SECONDS);
        receiver.get(10, TimeUnit.SECONDS);
        assertThat(ch.isClosed()).isTrue();
        assertThat(received).containsExactlyElementsOf(LongStream.range(0, 20_000).boxed().toList());
    }

    /**
     * Nobody receives: the subscriber buffers what the channel cannot take, never requests more than prefetch
     * beyond what the channel accepted, and returns from every onNext at once. When a receiver makes room, the
     * buffered elements go in and more is requested.
     */
    @Test
    void demandIsBoundedAndOnNextNeverWaits() throws Exception {
        Channel<Long> ch = channel(4);
        ManualUpstream up = new ManualUpstream();
        ChannelSubscriber<Long> sink = subscribed(ch, 8, up);
        long sent = 0;
        long start = System.nanoTime();
        while (sent < up.requested.get()) {
            sink.onNext(sent++);
        }
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(ch.stats().depth()).isEqualTo(4);
        assertThat(up.requested.get()).as("capacity accepted + prefetch buffered at most").isLessThanOrEqualTo(12);
        assertThat(sent).isEqualTo(up.requested.get());
        long before = up.requested.get();
        List<Long> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            ch.drain(got::add, 100);
            return up.requested.get() > before;
        });
        sink.onComplete();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            ch.drain(got::add, 100);
            return ch.isDrained();
        });
        assertThat(got).containsExactlyElementsOf(LongStream.range(0, sent).boxed().toList());
        assertThat(sink.completion()).isCompleted();
    }

    @Test
    void onErrorDeliversWhatCameBeforeThenClosesAndRecordsTheError() throws Exception {
        Channel<Long> ch = channel(8);
        ManualUpstream up = new ManualUpstream();
        ChannelSubscriber<Long> sink = subscribed(ch, 4, up);
        sink.onNext(1L);
        sink.onNext(2L);
        IllegalStateException boom = new IllegalStateException("upstream failed");
        sink.onError(boom);
        assertThatThrownBy(() -> sink.completion().join()).isInstanceOf(CompletionException.class).hasCause(boom);
        assertThat(ch.isClosed()).isTrue();
        assertThat(ch.receive()).isEqualTo(1L);
        assertThat(ch.receive()).isEqualTo(2L);
        assertThatThrownBy(ch::receive).isInstanceOf(ChannelClosedException.class);
    }

    @Test
    void aChannelClosedUnderneathCancelsTheUpstreamAndCountsWhatWasDropped() {
        Channel<Long> ch = channel(2);
        ManualUpstream up = new ManualUpstream();
        ChannelSubscriber<Long> sink = subscribed(ch, 5, up);
        for (long i = 0; i < 5; i++) {
            sink.onNext(i); // 2 fit, 3 wait in the buffer
        }
        ch.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.completion().isDone());
        assertThat(up.cancelled.get()).isTrue();
        assertThatThrownBy(() -> sink.completion().join()).hasCauseInstanceOf(RingClosedException.class)
                .hasMessageContaining("3 element(s)");
    }

    @Test
    void aSecondSubscriptionIsCancelledAndPrefetchMustBePositive() {
        ChannelSubscriber<Long> sink = ChannelFlow.subscriber(channel(2), 1);
        ManualUpstream first = new ManualUpstream();
        ManualUpstream second = new ManualUpstream();
        sink.onSubscribe(first);
        sink.onSubscribe(second);
        assertThat(first.requested.get()).isEqualTo(1);
        assertThat(second.cancelled.get()).isTrue();
        assertThat(second.requested.get()).isZero();
        assertThatThrownBy(() -> ChannelFlow.subscriber(channel(2), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefetch must be between 1 and 65536 (its buffer is preallocated), was 0");
    }

    /** Channel to publisher to subscriber to channel: what goes in one end comes out of the other, in order. */
    @Test
    void aRoundTripThroughBothAdaptersKeepsEveryElementInOrder() throws Exception {
        Channel<Long> in = channel(16);
        Channel<Long> out = channel(16);
        ChannelSubscriber<Long> sink = ChannelFlow.subscriber(out, 8);
        ChannelFlow.publisher(in, executor).subscribe(sink);
        CompletableFuture<Void> sender = onOwnThread(() -> {
            for (long i = 0; i < 50_000; i++) {
                in.send(i);
            }
            in.close();
        });
        long expected = 0;
        try {
            for (;;) {
                assertThat(out.receive()).isEqualTo(expected++);
            }
        } catch (ChannelClosedException end) {
            // the publisher completed, so the subscriber closed its channel
        }
        assertThat(expected).isEqualTo(50_000);
        sink.completion().get(5, TimeUnit.SECONDS);
        sender.get(5, TimeUnit.SECONDS);
    }
}
