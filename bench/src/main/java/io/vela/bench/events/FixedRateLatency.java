package io.vela.bench.events;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Publish-to-handler latency at a fixed rate, topology 1p1s, without coordinated omission: event {@code i} is
 * scheduled at {@code start + i / rate}; the publisher sends it at that time (or at once, if it is late) with the
 * scheduled time inside, and the handler records {@code now - scheduled} in an HdrHistogram on the consumer thread.
 * A late publisher therefore shows up in the figures instead of hiding them.
 *
 * <p>Two busy threads: the publisher spins until each send time (yielding only when it is more than 50 us early); the consumer waits by its bus's own strategy
 * (yielding for Vela and the raw Disruptor). Fits 2 cores, but any third busy process on the machine shows up in
 * the tail: read p99 next to the same run's {@code floor} suite and the peers.
 */
final class FixedRateLatency {
    /**
     * A yield (a system call, and a switch to whoever runs next) can return tens of microseconds later: only yield
     * when the send time is further away than that; at the suite's rate the publisher spins.
     */
    private static final long YIELD_ABOVE_NANOS = 50_000;

    private FixedRateLatency() {
    }

    /**
     * @param factory    the subject
     * @param rate       events per second
     * @param warmNanos  warm-up time (not recorded)
     * @param measureNanos measured time
     * @return the latency histogram, in nanoseconds
     * @throws InterruptedException if interrupted while waiting for deliveries
     */
    static Histogram measure(EventSubject.Factory factory, long rate, long warmNanos, long measureNanos)
            throws InterruptedException {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Deliveries d = new Deliveries(1, 1, h);
        Sender s = new Sender(0);
        try (EventSubject subject = factory.create(1, 1, d)) {
            send(subject, d, s, rate, warmNanos);
            h.reset();
            d.recording(true);
            send(subject, d, s, rate, measureNanos);
            d.recording(false);
        }
        return h;
    }

    private static void send(EventSubject subject, Deliveries d, Sender s, long rate, long nanos)
            throws InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long count = nanos / interval;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        for (long i = 0; i < count; i++) {
            long at = start + i * interval;
            for (long now = System.nanoTime(); now < at; now = System.nanoTime()) {
                if (at - now > YIELD_ABOVE_NANOS) {
                    Thread.yield(); // early: leave the core to the consumer (or anyone else)
                } else {
                    Thread.onSpinWait(); // close: a yield could return late
                }
            }
            s.sendNanos = at;
            s.value++;
            subject.publish(s);
        }
        s.expected += count;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (d.count(0, 0) < s.expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("deliveries stalled at " + d.count(0, 0) + " of " + s.expected);
            }
            Thread.sleep(1);
        }
    }
}
