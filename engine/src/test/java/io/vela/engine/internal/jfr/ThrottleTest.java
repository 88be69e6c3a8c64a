package io.vela.engine.internal.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JFR rate limiter when refusing threads report their totals out of order (one was preempted). */
@Timeout(10)
class ThrottleTest {
    private static void waitOnePeriod() {
        LockSupport.parkNanos(Throttle.PERIOD_NANOS + TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void aStaleTotalNeverMakesLaterEventsCountRefusalsTwice() {
        Throttle t = new Throttle();
        long reported = 0;
        long first = t.due(100); // the first refusal is due at once and carries everything so far
        assertThat(first).isEqualTo(100);
        reported += first;
        waitOnePeriod();
        // a thread that counted refusal 90 was preempted past the period and reports late: nothing new to report
        long stale = t.due(90);
        assertThat(stale).isLessThanOrEqualTo(0);
        waitOnePeriod();
        long next = t.due(120);
        assertThat(next).isEqualTo(20);
        reported += next;
        // the events' counts add up to the total, each refusal reported once
        assertThat(reported).isEqualTo(120);
    }

    /** Threads refusing at once: events' counts are never negative and add up to the total, each refusal once. */
    @Test
    void concurrentRefusalsAreEachReportedOnce() throws Exception {
        Throttle t = new Throttle();
        java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong reported = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong bad = new java.util.concurrent.atomic.AtomicLong();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
        Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                while (System.nanoTime() - end < 0) {
                    long since = t.due(total.incrementAndGet());
                    if (since < -1) {
                        bad.incrementAndGet();
                    } else if (since > 0) {
                        reported.addAndGet(since);
                    }
                }
            });
            threads[i].start();
        }
        for (Thread th : threads) {
            th.join(5_000);
            assertThat(th.isAlive()).isFalse();
        }
        assertThat(bad.get()).isZero();
        assertThat(reported.get()).isLessThanOrEqualTo(total.get());
        waitOnePeriod();
        long last = t.due(total.get()); // the next event carries the rest of the burst
        assertThat(reported.get() + Math.max(0, last)).isEqualTo(total.get());
    }
}
