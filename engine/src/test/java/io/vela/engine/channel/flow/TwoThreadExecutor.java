package io.vela.engine.channel.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * The executor the adapter tests deliver on (two threads, stopped and checked stopped after each test), and
 * {@link #onOwnThread} for the test's own senders and receivers, whose failures reach JUnit through the future.
 */
abstract class TwoThreadExecutor {
    final ExecutorService executor = Executors.newFixedThreadPool(2);

    /**
     * @param task what a helper thread does
     * @return completes when it has, or with what it threw; {@code get} it to report either in the test
     */
    static CompletableFuture<Void> onOwnThread(Runnable task) {
        return CompletableFuture.runAsync(task, r -> new Thread(r, "flow-test-helper").start());
    }

    @AfterEach
    void stopExecutor() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
}
