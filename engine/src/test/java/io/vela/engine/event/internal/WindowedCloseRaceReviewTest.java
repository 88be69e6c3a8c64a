package io.vela.engine.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.event.DeliveryMode;
import io.vela.engine.event.EventBus;
import io.vela.engine.event.Subscription;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link CloseRaceReviewTest} for windowed (offloaded, async) subscriptions. The consumer checks the window's end in
 * {@code offer}, then runs the filter, then pushes into the window: a closer that read the cursor before the next
 * event and sets the end while the consumer is between that check and the push finds the window empty and the
 * gating sequence at its end, and finishes the subscription — {@code terminated()} completes and its counters are
 * freed — before the push. An async handler then runs after {@code terminated()} and its completion counts
 * {@code delivered} on counters already moved to the heap. The filter holds the consumer between the check and the
 * push (a preempted consumer); {@code end(seq)} with the cursor read before that event is the preempted closer.
 */
@Timeout(30)
class WindowedCloseRaceReviewTest {

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"ASYNC", "OFFLOADED"})
    void aCloserThatReadTheCursorBeforeTheNextEventDoesNotFinishAWindowedSubscriptionBeforeItsPush(DeliveryMode mode)
            throws Exception {
        ExecutorService offload = Executors.newSingleThreadExecutor();
        EventBus bus = RaceBus.create(offload, "windowed-close-race-consumer");
        try {
            CountDownLatch secondFiltered = new CountDownLatch(1);
            CountDownLatch releaseFilter = new CountDownLatch(1);
            AtomicInteger handled = new AtomicInteger();
            AtomicInteger handledAfterTerminated = new AtomicInteger();
            CompletableFuture<?>[] terminatedRef = new CompletableFuture<?>[1];
            io.vela.engine.event.SubscriptionBuilder<Integer> b = bus.subscriber(Integer.class).consumerThread(0)
                    .filter(x -> {
                        if (x == 2) {
                            secondFiltered.countDown();
                            try {
                                releaseFilter.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return true;
                    });
            Subscription sub;
            if (mode == DeliveryMode.ASYNC) {
                sub = b.subscribeAsync(x -> {
                    if (terminatedRef[0] != null && terminatedRef[0].isDone()) {
                        handledAfterTerminated.incrementAndGet();
                    }
                    handled.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                });
            } else {
                sub = b.mode(DeliveryMode.OFFLOADED).subscribe(x -> {
                    if (terminatedRef[0] != null && terminatedRef[0].isDone()) {
                        handledAfterTerminated.incrementAndGet();
                    }
                    handled.incrementAndGet();
                });
            }
            CompletableFuture<Void> terminated = sub.terminated().toCompletableFuture();
            terminatedRef[0] = terminated;
            // a neighbour on the same consumer thread, offered each event after `sub`: once it has seen event 2,
            // the consumer is done offering event 2 to `sub`
            CountDownLatch neighbourSawSecond = new CountDownLatch(1);
            bus.subscriber(Integer.class).consumerThread(0).subscribe(x -> {
                if (x == 2) {
                    neighbourSawSecond.countDown();
                }
            });

            bus.publish(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((handled.get() < 1 || sub.stats().inFlight() > 0) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(handled.get()).isEqualTo(1);
            Thread.sleep(20); // the consumer finishes the batch of event 1 (its window advances to slot 0)
            long cursorBeforeSecond = 0; // the topic's first slot held event 1
            bus.publish(2);
            assertThat(secondFiltered.await(5, TimeUnit.SECONDS)).isTrue();

            ((Subscriber) sub).end(cursorBeforeSecond); // the preempted closer resumes
            boolean doneBeforePush = terminated.isDone();
            long deliveredAtTerminated = doneBeforePush ? sub.stats().delivered() : -1;

            releaseFilter.countDown();
            assertThat(neighbourSawSecond.await(5, TimeUnit.SECONDS)).isTrue();
            terminated.get(5, TimeUnit.SECONDS);
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() < deadline) {
                Thread.onSpinWait(); // let a late handler / completion show itself
            }
            assertThat(handledAfterTerminated.get()).as("handler calls after terminated() completed").isZero();
            if (doneBeforePush) {
                assertThat(sub.stats().delivered()).as("delivered() moved after terminated() completed")
                        .isEqualTo(deliveredAtTerminated);
            }
            assertThat(sub.stats().delivered()).isEqualTo(handled.get());
            assertThat(sub.stats().inFlight()).isZero();
        } finally {
            bus.shutdown(Duration.ofMillis(500));
            offload.shutdownNow();
        }
    }
}
