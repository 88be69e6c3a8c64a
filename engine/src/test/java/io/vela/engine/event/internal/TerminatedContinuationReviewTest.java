package io.vela.engine.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import io.vela.engine.event.EventBus;
import io.vela.engine.event.EventHandler;
import io.vela.engine.event.Subscription;
import io.vela.engine.event.Topic;
import io.vela.engine.event.TopicOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscription's {@code terminated()} stages are user code, which may block or never return. The bus's shutdown
 * already completes these futures on a thread of their own; a consumer thread that completed them itself — because
 * it retired the subscription (it closed itself in its handler), or because a handler it ran closed an idle
 * subscription of another topic — ran them there, and held every other subscription of that consumer thread for as
 * long as they took.
 */
@Timeout(30)
class TerminatedContinuationReviewTest {
    private final ExecutorService offload = Executors.newSingleThreadExecutor();
    private final EventBus bus = RaceBus.create(offload, "terminated-stage-consumer");
    private final CountDownLatch releaseStage = new CountDownLatch(1);
    private final CountDownLatch stageEntered = new CountDownLatch(1);

    @AfterEach
    void tearDown() {
        releaseStage.countDown();
        bus.shutdown(Duration.ofMillis(500));
        offload.shutdownNow();
    }

    /** A user's stage on {@code s.terminated()} that blocks until the test ends. */
    private void blockOnTerminated(Subscription s) {
        s.terminated().thenRun(() -> {
            stageEntered.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (releaseStage.getCount() > 0 && System.nanoTime() - end < 0) {
                LockSupport.parkNanos(1_000_000); // blocks, deaf to interrupts
            }
        });
    }

    @Test
    void aSubscriptionClosingItselfInline() throws Exception {
        closingItself(false);
    }

    @Test
    void aLossySubscriptionClosingItself() throws Exception {
        closingItself(true);
    }

    @Test
    void aSubscriptionClosingItselfOnTheRuntimesBus() throws Exception {
        // the completion goes to the runtime's ring executor: the blocking stage holds one of its workers, no consumer
        try (VelaRuntime rt = VelaRuntime.start(VelaConfig.builder().set(Settings.EVENTS_RING_SIZE, 64)
                .set(Settings.EVENTS_WAIT_STRATEGY, WaitStrategy.LITE_BLOCKING).set(Settings.EXECUTOR_WORKERS, 2)
                .build())) {
            try {
                closingItself(rt.events(), false);
            } finally {
                releaseStage.countDown(); // before the runtime's close waits for its workers
            }
        }
    }

    private void closingItself(boolean lossy) throws Exception {
        closingItself(bus, lossy);
    }

    private void closingItself(EventBus bus, boolean lossy) throws Exception {
        AtomicReference<Subscription> self = new AtomicReference<>();
        EventHandler<Integer> closesItself = x -> self.get().close();
        Subscription closing = lossy ? bus.subscriber(Integer.class).lossy().subscribe(closesItself)
                : bus.subscribe(Integer.class, closesItself);
        self.set(closing);
        blockOnTerminated(closing);
        CountDownLatch neighbourGotSecond = new CountDownLatch(1);
        EventHandler<Integer> neighbour = x -> {
            if (x == 2) {
                neighbourGotSecond.countDown();
            }
        };
        if (lossy) { // the neighbour shares the closing subscription's consumer thread
            bus.subscriber(Integer.class).lossy().subscribe(neighbour);
        } else {
            bus.subscribe(Integer.class, neighbour);
        }

        bus.publish(1); // the subscription closes itself; its consumer retires it after the batch
        assertThat(stageEntered.await(5, TimeUnit.SECONDS)).as("terminated() completed").isTrue();
        bus.publish(2);

        assertThat(neighbourGotSecond.await(2, TimeUnit.SECONDS))
                .as("the neighbour's next event, while the closed subscription's terminated() stage blocks").isTrue();
    }

    /** A preallocated event. */
    static final class Box {
        int value;
    }

    @Test
    void anIdleSubscriptionClosedFromAnotherTopicsHandler() throws Exception {
        Subscription idle = bus.subscribe(Integer.class, x -> { }); // on the default topic, which stays idle
        blockOnTerminated(idle);
        Topic<Box> boxes = bus.topic("boxes", TopicOptions.of(Box::new));
        CountDownLatch gotSecond = new CountDownLatch(1);
        bus.subscriber(boxes).subscribe(b -> {
            if (b.value == 1) {
                idle.close(); // retired at once, on this consumer thread: its default-topic consumer is past its end
            } else if (b.value == 2) {
                gotSecond.countDown();
            }
        });

        boxes.publish((b, v) -> b.value = v, 1);
        assertThat(stageEntered.await(5, TimeUnit.SECONDS)).as("terminated() completed").isTrue();
        boxes.publish((b, v) -> b.value = v, 2);

        assertThat(gotSecond.await(2, TimeUnit.SECONDS))
                .as("the topic's next event, while the closed subscription's terminated() stage blocks").isTrue();
    }
}
