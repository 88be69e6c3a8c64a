package io.vela.engine.internal;

import java.util.concurrent.ThreadFactory;

/** Starts Vela's threads through the user's {@link ThreadFactory}, named after their ring or pool. */
public final class Threads {
    private Threads() {
    }

    /**
     * @param factory makes the thread (daemon flag, priority, context class loader are its business)
     * @param name    the name Vela gives it, e.g. {@code vela-executor-0}
     * @param body    what it runs
     * @return the started thread
     */
    public static Thread start(ThreadFactory factory, String name, Runnable body) {
        Thread t = factory.newThread(body);
        if (t == null) {
            throw new io.vela.engine.VelaException("thread factory " + factory + " returned null for " + name);
        }
        t.setName(name);
        t.start();
        return t;
    }

    /**
     * @param t   a thread, or {@code null} if it was never started
     * @param end a {@link System#nanoTime()} deadline
     * @return true if the thread has ended (or never started) by the deadline
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean joinUntil(Thread t, long end) throws InterruptedException {
        if (t == null) {
            return true;
        }
        long wait = end - System.nanoTime();
        if (wait > 0) {
            java.util.concurrent.TimeUnit.NANOSECONDS.timedJoin(t, wait);
        }
        return !t.isAlive();
    }

    /**
     * @param d a duration, possibly huge ("as long as it takes")
     * @return it in nanoseconds, saturated at {@code Long.MAX_VALUE} instead of overflowing
     */
    public static long nanos(java.time.Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * @param nanos a wait from now
     * @return the {@link System#nanoTime()} it ends at, kept at most about 146 years away so that
     *         {@code end - now} never overflows
     */
    public static long endAfter(long nanos) {
        return System.nanoTime() + Math.min(nanos, Long.MAX_VALUE >> 1);
    }
}
