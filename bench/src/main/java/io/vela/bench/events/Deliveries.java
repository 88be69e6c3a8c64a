package io.vela.bench.events;

import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * What the subscribers of one subject received: a count per (subscriber, publisher), each on its own cache line and
 * written by one consumer thread, and optionally the latency from each event's scheduled send time to its handler.
 */
final class Deliveries {
    private static final int STRIDE = 16;
    private final int publishers;
    private final AtomicLongArray counts;
    private final Histogram latency;
    private volatile boolean recording;

    Deliveries(int subscribers, int publishers, Histogram latency) {
        this.publishers = publishers;
        this.counts = new AtomicLongArray((subscribers * publishers + 1) * STRIDE);
        this.latency = latency;
    }

    /** Called by the subscriber's handler: one delivery to {@code sub} from {@code pid}. */
    void delivered(int sub, int pid, long sendNanos) {
        int i = (sub * publishers + pid + 1) * STRIDE;
        counts.lazySet(i, counts.get(i) + 1);
        if (latency != null && recording) {
            latency.recordValue(Math.max(0, System.nanoTime() - sendNanos));
        }
    }

    long count(int sub, int pid) {
        return counts.get((sub * publishers + pid + 1) * STRIDE);
    }

    void recording(boolean on) {
        recording = on;
    }
}
