package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Test helper: keeps one executor worker busy until released. */
final class Blocker {
    private Blocker() {
    }

    /**
     * @param ex the executor
     * @return the latch that releases the worker, once the blocking task has started
     * @throws InterruptedException if interrupted while waiting for the task to start
     */
    static CountDownLatch occupyWorker(ExecutorService ex) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        ex.execute(() -> {
            started.countDown();
            awaitQuietly(release);
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).as("blocking task started").isTrue();
        return release;
    }

    /**
     * @param ex  the executor
     * @param key a key: the worker it hashes to is the one kept busy
     * @return the latch that releases that worker, once the blocking keyed task has started
     * @throws InterruptedException if interrupted while waiting for the task to start
     */
    static CountDownLatch occupyKey(RingExecutor ex, long key) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        ex.executeKeyed(key, () -> {
            started.countDown();
            awaitQuietly(release);
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).as("blocking keyed task started").isTrue();
        return release;
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
