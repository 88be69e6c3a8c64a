package io.vela.bench.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.bench.cli.BenchResult;
import io.vela.engine.WaitStrategy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The many-thread executor cases: the raw Disruptor peer with two workers runs every task exactly once, a submitter
 * waits for exactly its own tasks, and the rows are named so that the table can compare every subject with Vela.
 */
class ManyThreadCasesTest {

    @ParameterizedTest(name = "{0} submitter(s), {1} worker(s)")
    @CsvSource({"1, 2", "2, 1", "2, 2"})
    @Timeout(20)
    void theRawShardedRingRunsEveryTaskOnce(int submitters, int workers) throws Exception {
        int perSubmitter = 20_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(submitters * perSubmitter);
        try (var ring = new ManyThreadExecutorThroughputBenchmark.RawShardedRing(submitters > 1, workers,
                WaitStrategy.LITE_BLOCKING)) {
            CompletableFuture<?>[] sends = new CompletableFuture<?>[submitters];
            for (int s = 0; s < submitters; s++) {
                int base = s * perSubmitter;
                sends[s] = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perSubmitter; i++) {
                        int id = base + i;
                        ring.execute(() -> runs.incrementAndGet(id));
                    }
                }, r -> new Thread(r, "submitter").start());
            }
            CompletableFuture.allOf(sends).get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sum(runs) < runs.length() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
        for (int id = 0; id < runs.length(); id++) {
            assertThat(runs.get(id)).as("runs of task %d", id).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0} worker(s)")
    @CsvSource({"1", "2"})
    @Timeout(20)
    void aSubmitterWaitsUntilItsBatchRan(int workers) throws Exception {
        var w = new ManyThreadExecutorThroughputBenchmark.Workers();
        w.workers = workers;
        var submitter = new ManyThreadExecutorThroughputBenchmark.Submitter();
        submitter.setUp(w);
        try (var ring = new ManyThreadExecutorThroughputBenchmark.RawShardedRing(false, workers,
                WaitStrategy.SLEEPING)) {
            for (int round = 1; round <= 3; round++) {
                submitter.submitBatchAndWait(ring);
                assertThat(submitter.counter.count())
                        .isEqualTo((long) round * ManyThreadExecutorThroughputBenchmark.BATCH);
            }
        }
    }

    @Test
    void rowsAreNamedAfterTheCaseAndStrategyAndJdkRowsAreRepeatedPerStrategy() {
        var c = new ManyThreadCases.Case("2p2w", 2, 2);
        List<BenchResult> rows = List.of(
                new BenchResult("executor", "2p2w-lite-blocking-2", "vela", "ops_per_sec", 10),
                new BenchResult("executor", "2p2w-2-sleeping", "vela", "ops_per_sec", 11),
                new BenchResult("executor", "2p2w-2", "jdk-forkjoin", "ops_per_sec", 7));
        List<BenchResult> renamed = ManyThreadCases.rename(rows, c, ManyThreadCases.strategies(true));
        assertThat(renamed).containsExactly(
                new BenchResult("executor", "2p2w-lite-blocking", "vela", "ops_per_sec", 10),
                new BenchResult("executor", "2p2w-sleeping", "vela", "ops_per_sec", 11),
                new BenchResult("executor", "2p2w-lite-blocking", "jdk-forkjoin", "ops_per_sec", 7),
                new BenchResult("executor", "2p2w-sleeping", "jdk-forkjoin", "ops_per_sec", 7));
        assertThat(ManyThreadCases.strategies(false)).containsExactly("lite-blocking");
        assertThat(ManyThreadCases.cases(false)).extracting(ManyThreadCases.Case::name).containsExactly("2p1w", "1p2w");
        assertThat(ManyThreadCases.cases(true)).extracting(ManyThreadCases.Case::name)
                .containsExactly("2p1w", "1p2w", "2p2w");
    }

    private static long sum(AtomicIntegerArray a) {
        long s = 0;
        for (int i = 0; i < a.length(); i++) {
            s += a.get(i);
        }
        return s;
    }
}
