package io.vela.engine.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.event.EventBus;
import io.vela.engine.event.Subscription;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A subscription the consumer retires (it closed itself in its handler, so the consumer, not the closer, is the one
 * that passes its end) completes {@code terminated()}: the stages a user hung on it are user code, which may block
 * or never return. The bus's shutdown already completes these futures on a thread of their own; a consumer thread
 * that ran them itself held every other subscription of that consumer thread for as long as they took.
 */
@Timeout(30)
class TerminatedContinuationReviewTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aBlockingTerminatedStageDoesNotHoldTheConsumersOtherSubscriptions(boolean lossy) throws Exception {
        ExecutorService offload = Executors.newSingleThreadExecutor();
        EventBus bus = RaceBus.create(offload, "terminated-stage-consumer");
        CountDownLatch releaseStage = new CountDownLatch(1);
        try {
            AtomicReference<Subscription> self = new AtomicReference<>();
            io.vela.engine.event.EventHandler<Integer> closesItself = x -> self.get().close();
            Subscription closing = lossy ? bus.subscriber(Integer.class).lossy().subscribe(closesItself)
                    : bus.subscribe(Integer.class, closesItself);
            self.set(closing);
            CountDownLatch stageEntered = new CountDownLatch(1);
            closing.terminated().thenRun(() -> {
                stageEntered.countDown();
                try {
                    releaseStage.await(10, TimeUnit.SECONDS); // a user's stage that blocks
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CountDownLatch neighbourGotSecond = new CountDownLatch(1);
            io.vela.engine.event.EventHandler<Integer> neighbour = x -> {
                if (x == 2) {
                    neighbourGotSecond.countDown();
                }
            };
            // the neighbour shares the closing subscription's consumer thread
            if (lossy) {
                bus.subscriber(Integer.class).lossy().subscribe(neighbour);
            } else {
                bus.subscribe(Integer.class, neighbour);
            }

            bus.publish(1); // the closing subscription closes itself; its consumer retires it after the batch
            assertThat(stageEntered.await(5, TimeUnit.SECONDS)).as("terminated() completed").isTrue();
            bus.publish(2);

            assertThat(neighbourGotSecond.await(2, TimeUnit.SECONDS))
                    .as("the neighbour's next event, while the closed subscription's terminated() stage blocks")
                    .isTrue();
        } finally {
            releaseStage.countDown();
            bus.shutdown(Duration.ofMillis(500));
            offload.shutdownNow();
        }
    }
}
