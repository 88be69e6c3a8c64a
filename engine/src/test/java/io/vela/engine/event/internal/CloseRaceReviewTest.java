package io.vela.engine.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.event.EventBus;
import io.vela.engine.event.Subscription;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Subscription.close()} reads the topic's cursor, then ends the window there. A closer preempted between the
 * two finds the consumer already delivering the next event (it read the end before the closer wrote it): the
 * subscription must not be retired — nor {@code terminated()} completed — while that handler still runs.
 * {@code end(seq)} with the cursor read before that event is exactly the preempted closer.
 */
@Timeout(30)
class CloseRaceReviewTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aCloserThatReadTheCursorBeforeTheNextEventDoesNotRetireWhileItsHandlerRuns(boolean lossy) throws Exception {
        ExecutorService offload = Executors.newSingleThreadExecutor();
        EventBus bus = RaceBus.create(offload, "close-race-consumer");
        try {
            AtomicInteger handled = new AtomicInteger();
            CountDownLatch secondEntered = new CountDownLatch(1);
            CountDownLatch releaseSecond = new CountDownLatch(1);
            io.vela.engine.event.EventHandler<Integer> handler = x -> {
                if (x == 2) {
                    secondEntered.countDown();
                    releaseSecond.await(10, TimeUnit.SECONDS);
                }
                handled.incrementAndGet();
            };
            Subscription sub = lossy ? bus.subscriber(Integer.class).lossy().subscribe(handler)
                    : bus.subscribe(Integer.class, handler);
            bus.publish(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (handled.get() < 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(handled.get()).isEqualTo(1);
            long cursorBeforeSecond = 0; // the topic's first slot held event 1
            bus.publish(2);
            assertThat(secondEntered.await(5, TimeUnit.SECONDS)).isTrue();

            ((Subscriber) sub).end(cursorBeforeSecond); // the preempted closer resumes

            assertThat(sub.terminated().toCompletableFuture().isDone())
                    .as("terminated() while the handler of event 2 still runs").isFalse();
            releaseSecond.countDown();
            sub.terminated().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(handled.get()).isEqualTo(2);
        } finally {
            bus.shutdown(Duration.ofMillis(500));
            offload.shutdownNow();
        }
    }
}
