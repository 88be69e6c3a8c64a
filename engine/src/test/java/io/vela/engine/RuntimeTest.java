package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RuntimeTest {

    @Test
    void threadsComeFromTheFactoryAndAreNamedAfterTheirRing() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Set<String> names = ConcurrentHashMap.newKeySet();
        try (VelaRuntime rt = VelaRuntime.builder()
                .config(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2).set(Settings.THREAD_NAME_PREFIX, "svc")
                        .build())
                .threadFactory(r -> {
                    made.incrementAndGet();
                    Thread t = new Thread(r);
                    t.setDaemon(true);
                    return t;
                })
                .start()) {
            for (int i = 0; i < 100; i++) {
                rt.executor().submit(() -> names.add(Thread.currentThread().getName())).get(5, TimeUnit.SECONDS);
            }
            names.add(rt.blocking(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS));
            names.add(rt.scheduler().schedule(() -> Thread.currentThread().getName(), 1, TimeUnit.MILLISECONDS)
                    .get(5, TimeUnit.SECONDS));
        }
        assertThat(made.get()).isGreaterThanOrEqualTo(4); // 2 workers, the timer, a blocking thread
        assertThat(names).allMatch(n -> n.matches("svc-executor-[01]|svc-blocking-0"))
                .contains("svc-blocking-0");
    }

    @Test
    void spinningThreadsBeyondTheCoresAreNamedInAWarning() {
        assertThat(VelaRuntime.spinWarning(2, List.of("executor:1"))).isEmpty();
        assertThat(VelaRuntime.spinWarning(2, List.of("executor:2", "timer:1"))).get().asString()
                .startsWith("3 spinning threads on 2 cores (executor:2, timer:1)");
    }

    @Test
    void blockingPoolIsBoundedAndNeverUsesARingWorker() throws Exception {
        try (VelaRuntime rt = VelaRuntime.start(VelaConfig.builder().set(Settings.BLOCKING_MAX_THREADS, 2)
                .set(Settings.BLOCKING_BACKLOG, 1).build())) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(2);
            for (int i = 0; i < 2; i++) {
                rt.blocking(() -> {
                    running.countDown();
                    return release.await(10, TimeUnit.SECONDS);
                });
            }
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            var waiting = rt.blocking(() -> "third");
            assertThatThrownBy(() -> rt.blocking(() -> "fourth")).isInstanceOf(RingFullException.class)
                    .hasMessageContaining("blocking pool 'blocking' has 2 busy threads and 1 waiting calls");
            release.countDown();
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("third");
        }
    }

    @Test
    void executeOfAPrebuiltTaskAndReadingStatsAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (VelaRuntime rt = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).build())) {
            RingExecutor ex = rt.executor();
            AtomicLong ran = new AtomicLong();
            Runnable task = ran::incrementAndGet;
            RingStats stats = rt.stats().executor();
            long sink = 0;
            for (int round = 0; round < 3; round++) { // warm up, then measure the last round
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100_000; i++) {
                    ex.execute(task);
                    sink += stats.published() + stats.completed() + stats.remainingCapacity() + stats.largestBatch();
                }
                long allocated = mx.getCurrentThreadAllocatedBytes() - before;
                if (round == 2) {
                    assertThat(allocated).as("bytes allocated by 100k execute + stats reads").isLessThan(1024);
                }
            }
            assertThat(sink).isPositive();
            long expected = 300_000;
            org.awaitility.Awaitility.await().until(() -> ran.get() == expected);
        }
    }
}
