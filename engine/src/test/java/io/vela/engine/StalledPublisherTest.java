package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A publisher stopped between its claim and its publish (descheduled, or suspended here) leaves the cursor past a
 * slot that is not published: every wait strategy then returns at once, and a parking worker that went on asking it
 * spun a core for as long as the publisher stayed stopped — on a small machine, the core the publisher needed to
 * go on. Workers back off instead, as bus consumers do.
 */
class StalledPublisherTest {
    private static final Logger LOG = LoggerFactory.getLogger(StalledPublisherTest.class);

    @Test
    @Timeout(30)
    @EnabledForJreRange(max = JRE.JAVA_19) // Thread.suspend, the only way to stop a publisher mid-publish, is gone
    @SuppressWarnings({"deprecation", "removal"})
    void parkingWorkersDoNotSpinBehindAPublisherStoppedMidPublish() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        AtomicInteger attempts = new AtomicInteger();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        while (System.nanoTime() - end < 0) {
            VelaRuntime rt = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 2)
                    .set(Settings.EXECUTOR_WAIT_STRATEGY, WaitStrategy.LITE_BLOCKING)
                    .set(Settings.THREAD_NAME_PREFIX, "stalledpub").build());
            RingExecutor ex = rt.executor();
            AtomicBoolean stop = new AtomicBoolean();
            Runnable noop = () -> { };
            warmUpTheFullRingPath(ex, noop);
            Thread publisher = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        ex.execute(noop);
                    }
                } catch (RejectedExecutionException e) {
                    // closed
                }
            }, "stalled-publisher");
            publisher.setDaemon(true);
            publisher.start();
            CountDownLatch probe = AdversarialRound2Test.catchMidPublish(ex, publisher, end, attempts);
            if (probe == null) {
                stop.set(true);
                publisher.resume();
                rt.shutdown(Duration.ofMillis(200));
                continue;
            }
            List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("stalledpub-executor-")).toList();
            long before = 0;
            for (Thread t : workers) {
                before += mx.getThreadCpuTime(t.getId());
            }
            long t0 = System.nanoTime();
            Thread.sleep(400);
            long wall = System.nanoTime() - t0;
            long after = 0;
            for (Thread t : workers) {
                after += mx.getThreadCpuTime(t.getId());
            }
            stop.set(true);
            publisher.resume();
            assertThat(probe.await(5, TimeUnit.SECONDS)).as("the probe runs once the publisher goes on").isTrue();
            rt.shutdown(Duration.ofSeconds(5));
            double share = (double) (after - before) / wall;
            LOG.info("{} workers behind a stopped publisher used {} of a core each over {} ms", workers.size(),
                    String.format("%.3f", share / workers.size()), TimeUnit.NANOSECONDS.toMillis(wall));
            assertThat(workers).hasSize(2);
            assertThat(share).as("CPU the two parking workers used while the publisher was stopped (cores)")
                    .isLessThan(0.3);
            return;
        }
        Assumptions.abort("no publisher caught between claim and publish in " + attempts.get() + " attempts");
    }

    /**
     * Runs the full-ring paths once (refusal, blocking claim), so that their classes are loaded before a publisher
     * may be suspended on them: a thread suspended while loading a class holds the loader's lock, and the test
     * thread's probe would wait on it for ever.
     */
    private static void warmUpTheFullRingPath(RingExecutor ex, Runnable noop) throws InterruptedException {
        CountDownLatch a = Blocker.occupyWorker(ex);
        CountDownLatch b = Blocker.occupyWorker(ex);
        while (ex.tryExecute(noop) == OfferResult.ACCEPTED) {
            Thread.onSpinWait();
        }
        Thread blocked = new Thread(() -> ex.execute(noop), "warm-up-blocked-submitter");
        blocked.start();
        Thread.sleep(50);
        a.countDown();
        b.countDown();
        blocked.join(5_000);
    }
}
