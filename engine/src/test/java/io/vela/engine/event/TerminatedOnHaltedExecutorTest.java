package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.RingExecutor;
import io.vela.engine.Settings;
import io.vela.engine.VelaRuntime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscription that ends on its consumer thread has its {@code terminated()} completed on the executor (so that the
 * user's dependent stages do not hold the consumer). If that executor is force-halted before it runs the completion —
 * {@code shutdownNow}, or a shutdown whose deadline cuts the drain — the future must complete anyway: whoever waits
 * on it must never hang.
 */
@Timeout(30)
class TerminatedOnHaltedExecutorTest {

    /**
     * Holds the executor's only worker, lets a subscription close itself from its handler (its consumer retires it
     * and hands the completion of {@code terminated()} to the blocked executor), then halts the executor with
     * {@code halt}.
     */
    private static void terminatedCompletesAfter(Consumer<RingExecutor> halt) throws Exception {
        VelaRuntime rt = VelaRuntime.start(Buses.config(64).set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.WATCHDOG_STALL_MS, 0L).build());
        RingExecutor ex = rt.executor();
        EventBus bus = Buses.bus(Buses.config(64).build(), ex);
        try {
            CountDownLatch started = new CountDownLatch(1);
            ex.execute(() -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await(); // until the halt interrupts it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            long before = ex.stats().published();
            AtomicReference<Subscription> self = new AtomicReference<>();
            CountDownLatch subscribed = new CountDownLatch(1);
            self.set(bus.subscribe(Integer.class, x -> {
                subscribed.await();
                self.get().close(); // ends on the consumer thread, which hands terminated() to the executor
            }));
            subscribed.countDown();
            bus.publish(1);
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> ex.stats().published() > before);
            CompletableFuture<Void> terminated = self.get().terminated().toCompletableFuture();
            assertThat(terminated).as("queued behind the blocked worker").isNotDone();
            halt.accept(ex);
            terminated.get(5, TimeUnit.SECONDS); // before the fix: never completed (TimeoutException)
        } finally {
            bus.shutdown(Duration.ofSeconds(2));
            rt.shutdown(Duration.ofSeconds(2));
        }
    }

    @Test
    void terminatedCompletesWhenTheExecutorIsShutDownNowBeforeRunningIt() throws Exception {
        terminatedCompletesAfter(RingExecutor::shutdownNow); // the returned tasks are dropped, as callers often do
    }

    @Test
    void terminatedCompletesWhenTheExecutorsShutdownDeadlineCutsItsDrain() throws Exception {
        terminatedCompletesAfter(ex -> ex.shutdown(Duration.ofMillis(100)));
    }
}
