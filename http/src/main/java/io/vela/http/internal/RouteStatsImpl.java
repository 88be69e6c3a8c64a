package io.vela.http.internal;

import io.vela.http.RouteStats;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One route's counters: an adder (requests), an atomic array (answers by status class; in flight is the
 * difference), and a concurrent HdrHistogram (auto-resizing, recorded from event loops without locks). Recording allocates nothing once the histogram has grown to the values seen.
 */
final class RouteStatsImpl implements RouteStats {
    private final String route;
    private final LongAdder requests = new LongAdder();
    private final AtomicLongArray byClass = new AtomicLongArray(6);
    private final ConcurrentHistogram latency = new ConcurrentHistogram(3);

    RouteStatsImpl(String route) {
        this.route = route;
        latency.setAutoResize(true);
    }

    void started() {
        requests.increment();
    }

    void finished(int status, long nanos) {
        byClass.incrementAndGet(statusClass(status));
        latency.recordValue(Math.max(0, nanos));
    }

    /** An answer counted as {@code from} went out as {@code to} instead (it could not be encoded). */
    void reclassified(int from, int to) {
        byClass.decrementAndGet(statusClass(from));
        byClass.incrementAndGet(statusClass(to));
    }

    private static int statusClass(int status) {
        return Math.min(5, Math.max(1, status / 100));
    }

    @Override
    public String route() {
        return route;
    }

    @Override
    public long requests() {
        return requests.sum();
    }

    @Override
    public long responses(int statusClass) {
        if (statusClass < 1 || statusClass > 5) {
            throw new IllegalArgumentException("statusClass = " + statusClass + " is invalid; valid: 1..5");
        }
        return byClass.get(statusClass);
    }

    @Override
    public long inFlight() {
        // every request started is finished once, in exactly one status class (reclassified moves it, from a lower
        // class to 5xx, decrementing first): the difference is what is in flight. The answers are read first, the
        // requests after, so that an answer counted is always matched by its request: a request in flight throughout
        // the read is never missed (the shutdown's "cut" figure); one starting or finishing meanwhile may be counted.
        // Classes are read from 5 down so that a reclassified answer is not counted twice. No counter of its own on
        // the request path (ADR 0014, decision 7)
        long finished = 0;
        for (int i = 5; i >= 1; i--) {
            finished += byClass.get(i);
        }
        long started = requests.sum();
        return Math.max(0, started - finished);
    }

    @Override
    public Histogram latencyNanos() {
        return latency.copy();
    }
}
