package io.vela.engine.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.WaitStrategy;
import io.vela.engine.event.EventBus;
import io.vela.engine.event.EventHandler;
import io.vela.engine.event.Topic;
import io.vela.engine.event.TopicOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Review of the bus consumer's pause behind a streaming publisher (ADR 0017, "Bus consumers"): the pause is for a
 * publisher that streams, never for one event in flight at a time.
 */
@Timeout(30)
class ConsumerPauseReviewTest {
    /** A preallocated slot: the chain's hop. */
    static final class Hop {
        long n;
    }

    private static final int HOPS = 5_000;

    /**
     * A handler that publishes the next event of a chain on its own topic (a state machine stepping itself): one
     * event in flight at a time, each published while its consumer is still in the batch. The consumer finds it at
     * its first look, which the streaming test read as a stream: it paused 200 ns after every other hop (measured
     * 148 ns per hop against 57 without the pause, yielding). It may pause at most a few times in the whole chain.
     */
    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"YIELDING", "LITE_BLOCKING", "BLOCKING"})
    void aHandlerChainingEventsOnItsOwnTopicDoesNotMakeItsConsumerPause(WaitStrategy wait) throws Exception {
        EventBus bus = RaceBus.create(Runnable::run, "chain-consumer", wait);
        Topic<Hop> topic = bus.topic("chain", TopicOptions.of(Hop::new));
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong disorder = new AtomicLong();
        long[] expected = {0};
        EventHandler<Hop> step = stepOn(topic, HOPS, done);
        bus.subscribe(topic, h -> {
            if (h.n != expected[0]++) {
                disorder.incrementAndGet();
            }
            step.onEvent(h);
        });
        publish(topic, 0L);
        assertThat(done.await(20, TimeUnit.SECONDS)).as("chain of %d hops done", HOPS).isTrue();
        assertThat(bus.shutdown(Duration.ofSeconds(5)).completed()).isTrue(); // joins the consumer: pauses is final
        assertThat(disorder.get()).isZero();
        assertThat(expected[0]).isEqualTo(HOPS + 1);
        long pauses = ((TopicImpl<?>) topic).ring.consumers[0].pauses;
        assertThat(pauses).as("pauses in a chain of %d hops, one event in flight", HOPS).isLessThanOrEqualTo(2);
    }

    /**
     * The other side: a publisher streaming events to a consumer that keeps up still makes it pause (the rule is not
     * switched off), and every event arrives once, in order. A spinning consumer (a parked one woken late takes the
     * whole stream in runs past the chunk, with nothing to pause behind); a fresh bus up to 5 times, in case a busy
     * machine kept the consumer off its core for the whole stream.
     */
    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"YIELDING", "BUSY_SPIN"})
    void aStreamingPublisherStillMakesItsConsumerPause(WaitStrategy wait) throws Exception {
        long pauses = 0;
        for (int attempt = 0; attempt < 5 && pauses == 0; attempt++) {
            pauses = streamAndCountPauses(wait, 100_000);
        }
        assertThat(pauses).as("pauses behind a streaming publisher").isPositive();
    }

    private static long streamAndCountPauses(WaitStrategy wait, int events) throws Exception {
        // a ring the publisher does not fill: on a full small ring it waits in its back-off, and the consumer that
        // emptied the ring finds nothing at its first looks (no stream to pause behind)
        EventBus bus = EventBus.create(VelaConfig.builder().set(Settings.EVENTS_RING_SIZE, 1 << 18)
                .set(Settings.EVENTS_WAIT_STRATEGY, wait).build(), Runnable::run, r -> {
                    Thread t = new Thread(r, "stream-consumer");
                    t.setDaemon(true);
                    return t;
                });
        Topic<Hop> topic = bus.topic("stream", TopicOptions.of(Hop::new).singlePublisher());
        InOrder order = new InOrder();
        bus.subscribe(topic, order::see);
        for (long i = 0; i < events; i++) {
            publish(topic, i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (order.seen.get() < events && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(bus.shutdown(Duration.ofSeconds(5)).completed()).isTrue(); // joins the consumer: pauses is final
        assertThat(order.seen.get()).isEqualTo(events);
        assertThat(order.disorder.get()).isZero();
        return ((TopicImpl<?>) topic).ring.consumers[0].pauses;
    }

    /**
     * A request/reply over two topics (one event in flight): each consumer waits for the other thread between two
     * events, so it looks many times and never takes the pause for a stream; a few pauses are allowed for a consumer
     * descheduled between its batch and its first looks (the reply is then there at once). Not under the blocking
     * strategies: there the publish's signal often wakes the peer onto the publishing consumer's core before that
     * consumer's batch ends, so the reply is there at its first look and about a quarter of the events are followed
     * by a pause (ADR 0017, "Review": 200 ns after the event, inside a 9-12 us round trip; not measurable).
     */
    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"YIELDING", "SLEEPING"})
    void aPingPongOverTwoTopicsDoesNotPause(WaitStrategy wait) throws Exception {
        EventBus bus = RaceBus.create(Runnable::run, "ping-pong-consumer", wait);
        Topic<Hop> ping = bus.topic("ping", TopicOptions.of(Hop::new));
        Topic<Hop> pong = bus.topic("pong", TopicOptions.of(Hop::new));
        int rounds = 2_000;
        CountDownLatch done = new CountDownLatch(1);
        bus.subscribe(ping, h -> publish(pong, h.n));
        bus.subscribe(pong, stepOn(ping, rounds, done));
        publish(ping, 0L);
        assertThat(done.await(20, TimeUnit.SECONDS)).as("%d round trips done", rounds).isTrue();
        assertThat(bus.shutdown(Duration.ofSeconds(5)).completed()).isTrue();
        long pauses = ((TopicImpl<?>) ping).ring.consumers[0].pauses + ((TopicImpl<?>) pong).ring.consumers[0].pauses;
        assertThat(pauses).as("pauses in %d round trips", rounds).isLessThanOrEqualTo(rounds / 20);
    }

    /**
     * Rings smaller than the probe's chunk (2 and 4 slots: a batch always "took everything"), a publisher blocked on
     * the full ring while its consumer pauses, and a close racing it: every accepted event is delivered once, in
     * order; none of the refused ones.
     */
    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"YIELDING", "LITE_BLOCKING", "BLOCKING"})
    void aTinyRingBlockedPublisherAndARacingCloseLoseNothing(WaitStrategy wait) throws Exception {
        for (int round = 0; round < 6; round++) {
            int ring = round % 2 == 0 ? 2 : 4;
            EventBus bus = EventBus.create(VelaConfig.builder().set(Settings.EVENTS_RING_SIZE, ring)
                    .set(Settings.EVENTS_WAIT_STRATEGY, wait)
                    .set(Settings.EVENTS_OVERFLOW, io.vela.engine.OverflowPolicy.BLOCK).build(), Runnable::run, r -> {
                        Thread t = new Thread(r, "tiny-ring-consumer");
                        t.setDaemon(true);
                        return t;
                    });
            Topic<Hop> topic = bus.topic("tiny", round < 3 ? TopicOptions.of(Hop::new).singlePublisher()
                    : TopicOptions.of(Hop::new));
            InOrder order = new InOrder();
            bus.subscribe(topic, order::see);
            AtomicLong accepted = new AtomicLong();
            java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Thread publisher = new Thread(() -> {
                try {
                    for (long n = 0; ; n++) {
                        try {
                            topic.publish((s, v) -> s.n = v, n);
                        } catch (io.vela.engine.RingClosedException closed) {
                            return;
                        }
                        accepted.lazySet(n + 1);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "tiny-ring-publisher");
            publisher.setDaemon(true);
            publisher.start();
            long closeAfter = 1_000 + 7_000L * round;
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (accepted.get() < closeAfter && System.nanoTime() < giveUp) {
                Thread.yield();
            }
            assertThat(bus.shutdown(Duration.ofSeconds(5)).completed()).isTrue();
            publisher.join(5_000);
            assertThat(publisher.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
            assertThat(order.disorder.get()).isZero();
            assertThat(order.seen.get()).as("ring %d, %s: delivered = accepted", ring, wait).isEqualTo(accepted.get());
            assertThat(accepted.get()).isPositive();
        }
    }

    private static void publish(Topic<Hop> topic, long n) {
        topic.publish((s, v) -> s.n = v, n);
    }

    /** @return a handler that publishes the hop after each one on {@code next} up to {@code last}, then counts down */
    private static EventHandler<Hop> stepOn(Topic<Hop> next, long last, CountDownLatch done) {
        return h -> {
            if (h.n < last) {
                publish(next, h.n + 1);
            } else {
                done.countDown();
            }
        };
    }

    /** A subscriber that expects hops 0, 1, 2, ... and counts any out of order or repeated. */
    private static final class InOrder {
        final AtomicLong seen = new AtomicLong();
        final AtomicLong disorder = new AtomicLong();

        void see(Hop h) {
            if (h.n != seen.get()) {
                disorder.incrementAndGet();
            }
            seen.lazySet(h.n + 1);
        }
    }
}
