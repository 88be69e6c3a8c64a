package io.vela.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test helper: makes tasks that record that they ran (by task id), check their key's order (by a sequence number
 * given at submission) and that no two tasks of one key overlap, and accounts for them afterwards. Thread-safe.
 */
final class TaskLedger {
    private final AtomicIntegerArray runs;
    private final AtomicIntegerArray rejected;
    private final AtomicLongArray lastOfKey;
    private final AtomicIntegerArray inFlightOfKey;
    private final AtomicLong ran = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();
    private final AtomicReference<String> firstViolation = new AtomicReference<>();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();

    /**
     * @param ids  task ids, {@code [0, ids)}
     * @param keys keys, {@code [0, keys)}
     */
    TaskLedger(int ids, int keys) {
        runs = new AtomicIntegerArray(ids);
        rejected = new AtomicIntegerArray(ids);
        lastOfKey = new AtomicLongArray(keys);
        inFlightOfKey = new AtomicIntegerArray(keys);
        for (int k = 0; k < keys; k++) {
            lastOfKey.set(k, -1);
        }
    }

    /** @return a task that records its run */
    Runnable unkeyed(int id) {
        return () -> ran(id);
    }

    /**
     * @param id  the task
     * @param key its key
     * @param seq its place among its key's submissions (0, 1, 2, ...), ordered by happens-before
     * @return a task that records its run and checks that it follows its key's previous task, alone
     */
    Runnable keyed(int id, int key, long seq) {
        return () -> {
            if (inFlightOfKey.incrementAndGet(key) != 1) {
                violation("key " + key + ": task " + id + " overlapped another task of its key");
            }
            long before = lastOfKey.getAndSet(key, seq);
            if (before != seq - 1) {
                violation("key " + key + ": task #" + seq + " ran after #" + before);
            }
            inFlightOfKey.decrementAndGet(key);
            ran(id);
        };
    }

    /** Records that the task's submission was refused. */
    void rejected(int id) {
        rejected.incrementAndGet(id);
    }

    private void ran(int id) {
        runs.incrementAndGet(id);
        threads.add(Thread.currentThread().getName());
        ran.incrementAndGet();
    }

    private void violation(String what) {
        violations.incrementAndGet();
        firstViolation.compareAndSet(null, what);
    }

    /** @return tasks run so far */
    long ran() {
        return ran.get();
    }

    /** @return the names of the threads that ran tasks */
    Set<String> threads() {
        return threads;
    }

    /**
     * Waits (bounded) until {@code expected} tasks ran.
     *
     * @param expected how many
     * @param seconds  at most this long
     */
    void awaitRan(long expected, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (ran.get() < expected && System.nanoTime() < end) {
            Thread.sleep(1);
        }
    }

    /**
     * Waits until no task has run for 250 ms (bounded by the test's timeout).
     *
     * @return how many ran
     */
    long awaitQuiet() throws InterruptedException {
        long now = ran();
        for (int quiet = 0; quiet < 5; ) {
            Thread.sleep(50);
            long later = ran();
            quiet = later == now ? quiet + 1 : 0;
            now = later;
        }
        return now;
    }

    /**
     * Asserts that each of the first {@code ids} tasks either ran exactly once or was refused exactly once, and
     * that no key's order was broken.
     *
     * @param ids     how many task ids were used
     * @param context what to name in a failure
     */
    void assertEachRanOnceOrWasRefused(int ids, String context) {
        StringBuilder bad = new StringBuilder();
        int badCount = 0;
        for (int id = 0; id < ids; id++) {
            int r = runs.get(id);
            int x = rejected.get(id);
            if (!(r == 1 && x == 0 || r == 0 && x == 1)) {
                badCount++;
                if (bad.length() < 300) {
                    bad.append(id).append(": ran ").append(r).append(", refused ").append(x).append("; ");
                }
            }
        }
        assertThat(badCount).as("%s: tasks not run exactly once nor refused once: %s", context, bad).isZero();
        assertOrderKept(context);
    }

    /** @param context what to name in a failure */
    void assertOrderKept(String context) {
        assertThat(violations.get()).as("%s: key order or exclusion broken, first: %s", context,
                firstViolation.get()).isZero();
    }
}
