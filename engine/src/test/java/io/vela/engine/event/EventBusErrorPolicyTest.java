package io.vela.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Error isolation and each error policy, for inline, offloaded and async subscriptions. */
class EventBusErrorPolicyTest {
    private final ExecutorService executor = Buses.executor();
    private final EventBus bus = Buses.bus(Buses.config(64).build(), executor);

    @AfterEach
    void tearDown() {
        bus.close();
        executor.shutdownNow();
    }

    private void publish(int n) {
        for (int i = 0; i < n; i++) {
            bus.publish(i);
        }
    }

    @Test
    void shouldIsolateAThrowingHandlerFromOthersOnTheSameThread() {
        List<Integer> good = new CopyOnWriteArrayList<>();
        Subscription bad = bus.subscribe(Integer.class, x -> {
            throw new IllegalStateException("boom " + x);
        });
        Subscription ok = bus.subscribe(Integer.class, good::add);
        publish(100);
        await().atMost(Duration.ofSeconds(5)).until(() -> good.size() == 100 && bad.stats().failed() == 100);
        assertThat(bad.isActive()).isTrue(); // log and continue is the default
        assertThat(ok.stats().failed()).isZero();
    }

    @Test
    void shouldRetryWithBackoffThenSucceed() {
        AtomicInteger calls = new AtomicInteger();
        Subscription s = bus.subscriber(Integer.class)
                .errorPolicy(ErrorPolicy.retry(3, Duration.ofNanos(1000)))
                .subscribe(x -> {
                    if (calls.incrementAndGet() % 3 != 0) {
                        throw new IllegalStateException("transient");
                    }
                });
        publish(10);
        await().atMost(Duration.ofSeconds(5)).until(() -> s.stats().delivered() == 10);
        assertThat(calls.get()).isEqualTo(30);
        assertThat(s.stats().failed()).isZero();
    }

    @Test
    void shouldSendToDeadLetterSinkWhenRetriesAreExhausted() {
        List<String> letters = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        Subscription s = bus.subscriber(Integer.class).name("odd-hater")
                .errorPolicy(ErrorPolicy.retry(2, Duration.ZERO,
                        ErrorPolicy.deadLetter((sub, e, err) -> letters.add(sub + ":" + e + ":" + err.getMessage()))))
                .subscribe(x -> {
                    calls.incrementAndGet();
                    if (x % 2 == 1) {
                        throw new IllegalArgumentException("odd");
                    }
                });
        publish(6);
        await().atMost(Duration.ofSeconds(5)).until(() -> letters.size() == 3);
        assertThat(letters).containsExactly("odd-hater:1:odd", "odd-hater:3:odd", "odd-hater:5:odd");
        assertThat(calls.get()).isEqualTo(3 + 3 * 3);
        assertThat(s.stats().delivered()).isEqualTo(3);
        assertThat(s.stats().failed()).isEqualTo(3);
    }

    @Test
    void shouldStopOnlyTheFailingSubscriber() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<Integer> others = new CopyOnWriteArrayList<>();
        Subscription s = bus.subscriber(Integer.class).errorPolicy(ErrorPolicy.stop()).subscribe(x -> {
            seen.add(x);
            if (x == 3) {
                throw new IllegalStateException("stop here");
            }
        });
        bus.subscribe(Integer.class, others::add);
        publish(10);
        s.terminated().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> others.size() == 10);
        assertThat(seen).containsExactly(0, 1, 2, 3);
        assertThat(s.isActive()).isFalse();
        assertThat(s.stats().failed()).isEqualTo(1);
    }

    @Test
    void shouldRunOffloadedHandlersOnTheExecutorInOrderAndIsolateFailures() {
        List<Integer> got = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        Subscription s = bus.subscriber(Integer.class).mode(DeliveryMode.OFFLOADED).maxInFlight(8).subscribe(x -> {
            threads.add(Thread.currentThread().getName());
            if (x == 50) {
                throw new IllegalStateException("fifty");
            }
            got.add(x);
        });
        publish(500);
        await().atMost(Duration.ofSeconds(10)).until(() -> s.stats().delivered() + s.stats().failed() == 500);
        assertThat(got).hasSize(499).isSorted();
        // on the executor; the consumer thread takes a drain over only when the window stayed full with no drain
        // running for 10 ms (a busy executor; see ADR 0004), which a loaded machine may cause now and then
        assertThat(threads).contains("test-offload")
                .allMatch(n -> n.equals("test-offload") || n.equals("test-events-default-0"));
        assertThat(s.stats().failed()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> s.stats().inFlight() == 0 && s.stats().lag() == 0);
    }

    @Test
    void shouldBoundAsyncDeliveriesInFlight() {
        List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
        AtomicInteger maxSeen = new AtomicInteger();
        Subscription s = bus.subscriber(Integer.class).maxInFlight(4).subscribeAsync(x -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(f);
            long incomplete = pending.stream().filter(p -> !p.isDone()).count();
            maxSeen.accumulateAndGet((int) incomplete, Math::max);
            return f;
        });
        Thread publisher = new Thread(() -> publish(40));
        publisher.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> pending.size() == 4);
        assertThat(s.stats().inFlight()).isEqualTo(4);
        int completed = 0;
        while (completed < 40) {
            int c = completed;
            await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5)).until(() -> pending.size() > c);
            pending.get(completed++).complete(null);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> s.stats().delivered() == 40);
        assertThat(maxSeen.get()).isEqualTo(4);
        assertThat(s.stats().inFlight()).isZero();
    }

    @Test
    void shouldRetryAsyncFailuresAndCountFinalFailures() {
        AtomicInteger calls = new AtomicInteger();
        Subscription s = bus.subscriber(Integer.class)
                .errorPolicy(ErrorPolicy.retry(1, Duration.ofMillis(1)))
                .subscribeAsync(x -> {
                    calls.incrementAndGet();
                    return x < 5 ? CompletableFuture.completedFuture(null)
                            : CompletableFuture.failedFuture(new IllegalStateException("no"));
                });
        publish(10);
        await().atMost(Duration.ofSeconds(5)).until(() -> s.stats().delivered() + s.stats().failed() == 10);
        assertThat(s.stats().failed()).isEqualTo(5);
        assertThat(calls.get()).isEqualTo(5 + 5 * 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> s.stats().inFlight() == 0);
    }
}
