package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.event.DeliveryMode;
import io.vela.engine.event.EventBus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Review of the runtime's close handed to a thread of its own (ADR 0004, "Shutdown from a handler"): what a user sees
 * right after {@code runtime.close()} returns on an executor worker or a bus handler, and the reports a later call
 * gets.
 */
@Timeout(30)
class RuntimeCloseHandoffReviewTest {
    private static VelaConfig config() {
        return VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).set(Settings.SHUTDOWN_DEADLINE_MS, 4_000L)
                .set(Settings.THREAD_NAME_PREFIX, "review").set(Settings.COUNTERS_FILE, false).build();
    }

    /**
     * {@code runtime.close()} returned on a worker: the runtime is closing, so what a closed runtime refuses is
     * refused at once, not only once the close thread gets going (the close thread is held back here to make the
     * window visible); a second close on the worker starts no second close thread.
     */
    @Test
    void shouldBeClosedAsSoonAsCloseReturnsOnAWorker() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger closeThreads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(() -> {
                if (Thread.currentThread().getName().endsWith("-close")) {
                    closeThreads.incrementAndGet();
                    try {
                        gate.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                r.run();
            });
            t.setDaemon(true);
            return t;
        };
        VelaRuntime rt = VelaRuntime.builder().config(config()).threadFactory(factory).start();
        try {
            CompletableFuture<Void> checked = new CompletableFuture<>();
            rt.executor().execute(() -> {
                try {
                    rt.close();
                    rt.close();
                    assertThatThrownBy(rt::actors).as("actors() after close() returned")
                            .isInstanceOf(RingClosedException.class);
                    assertThatThrownBy(() -> rt.addShutdownParticipant(d -> new ShutdownReport("p", true, 0,
                            Duration.ZERO))).as("addShutdownParticipant after close() returned")
                            .isInstanceOf(RingClosedException.class);
                    checked.complete(null);
                } catch (Throwable t) {
                    checked.completeExceptionally(t);
                }
            });
            checked.get(10, TimeUnit.SECONDS);
        } finally {
            gate.countDown();
        }
        List<ShutdownReport> reports = rt.shutdown(Duration.ofSeconds(8));
        assertThat(reports).as("%s", reports).isNotEmpty().allSatisfy(r -> assertThat(r.completed()).isTrue());
        assertThat(closeThreads.get()).as("close threads started").isEqualTo(1);
    }

    /**
     * {@code runtime.close()} from an inline handler (a consumer thread, not a worker): a later {@code shutdown} from
     * another thread gets the real outcome of every part, the bus's included, not the interim report the bus gave
     * its handler (which says "not completed, N not run" of events that were all delivered).
     */
    @Test
    void shouldReportTheBusOutcomeNotTheInterimWhenAnInlineHandlerClosesTheRuntime() throws Exception {
        VelaRuntime rt = VelaRuntime.builder().config(config()).start();
        EventBus bus = rt.events();
        CountDownLatch published = new CountDownLatch(1);
        AtomicLong got = new AtomicLong();
        CountDownLatch closeReturned = new CountDownLatch(1);
        bus.subscriber(Integer.class).mode(DeliveryMode.INLINE).subscribe(x -> {
            got.incrementAndGet();
            if (x == 0 && published.await(5, TimeUnit.SECONDS)) {
                rt.close(); // returns at once (checked by ShutdownFromHandlerTest)
                closeReturned.countDown();
            }
        });
        for (int i = 0; i < 10; i++) {
            bus.publish(i);
        }
        published.countDown();
        assertThat(closeReturned.await(10, TimeUnit.SECONDS)).isTrue();
        List<ShutdownReport> reports = rt.shutdown(Duration.ofSeconds(8));
        assertThat(got.get()).isEqualTo(10);
        assertThat(reports).as("%s", reports).extracting(ShutdownReport::name).contains("events");
        assertThat(reports).as("%s", reports).allSatisfy(r -> assertThat(r.completed()).isTrue());
        assertThat(rt.shutdownReports()).isEqualTo(reports);
    }

    /**
     * {@code runtime.close()} from main is waiting for the bus to drain when an inline handler it waits for calls
     * {@code runtime.close()} too: the handler's call must not wait for main's close (which waits for that handler),
     * else the bus's drain runs out its deadline and the events queued behind the handler are cut.
     */
    @Test
    void shouldNotWaitForMainsCloseWhenAHandlerItWaitsForClosesTheRuntimeToo() throws Exception {
        VelaRuntime rt = VelaRuntime.builder().config(config()).start();
        EventBus bus = rt.events();
        CountDownLatch entered = new CountDownLatch(1);
        AtomicLong got = new AtomicLong();
        CompletableFuture<Long> innerNanos = new CompletableFuture<>();
        bus.subscriber(Integer.class).mode(DeliveryMode.INLINE).subscribe(x -> {
            if (x == 0) {
                entered.countDown();
                Thread.sleep(300); // main's close is in the bus's drain by now
                long t0 = System.nanoTime();
                rt.close();
                innerNanos.complete(System.nanoTime() - t0);
            }
            got.incrementAndGet();
        });
        for (int i = 0; i < 10; i++) {
            bus.publish(i);
        }
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        List<ShutdownReport> reports = rt.shutdown(Duration.ofSeconds(8));
        assertThat(Duration.ofNanos(innerNanos.get(10, TimeUnit.SECONDS))).as("the handler's close waited for main's")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(got.get()).as("every accepted event delivered: %s", reports).isEqualTo(10);
        assertThat(reports).as("%s", reports).allSatisfy(r -> assertThat(r.completed()).isTrue());
    }

    /**
     * {@code runtime.close()} from a blocking call (a thread of the blocking pool, which the close waits for): like a
     * worker's, the call must not wait for its own pool until the deadline (and then interrupt itself).
     */
    @Test
    void shouldNotWaitForItsOwnPoolWhenABlockingCallClosesTheRuntime() throws Exception {
        VelaRuntime rt = VelaRuntime.builder().config(config()).start();
        CompletableFuture<Boolean> interrupted = rt.blocking(() -> {
            long t0 = System.nanoTime();
            rt.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("close() from a blocking call waited for its pool")
                    .isLessThan(Duration.ofSeconds(2));
            return Thread.currentThread().isInterrupted();
        });
        assertThat(interrupted.get(10, TimeUnit.SECONDS)).as("the close interrupted its own caller").isFalse();
        List<ShutdownReport> reports = rt.shutdown(Duration.ofSeconds(8));
        assertThat(reports).as("%s", reports).isNotEmpty().allSatisfy(r -> assertThat(r.completed()).isTrue());
    }
}
