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
     * Runs in a forked JVM (with the JMH forks' flags: a fixed, pre-touched heap), so that no subject is measured
     * while fresh heap pages are first touched. Prints one line per subject: {@code RESULT name p50 p99 p999 count distribution}
     * ({@link io.vela.bench.cli.LatencyRows#resultLine}).
     *
     * @param args rate, warm-up ms, measured ms, wait strategy (for vela and disruptor-raw), subject names
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        long rate = Long.parseLong(args[0]);
        long warm = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[1]));
        long measure = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[2]));
        io.vela.engine.WaitStrategy wait = io.vela.engine.WaitStrategy.fromConfigName(args[3]);
        java.util.List<String> names = java.util.List.of(args).subList(4, args.length);
        for (String n : names) { // an unrecorded pass first: the JIT settles before anyone is measured
            measure(factory(n, wait), rate, warm, 0);
        }
        for (String n : names) {
            Histogram h = measure(factory(n, wait), rate, TimeUnit.MILLISECONDS.toNanos(500), measure);
            System.out.println(io.vela.bench.cli.LatencyRows.resultLine(n, h));
        }
        System.exit(0);
    }

    static EventSubject.Factory factory(String name, io.vela.engine.WaitStrategy wait) {
        return switch (name) {
            case "vela" -> (p, s, d) -> new Subjects.Vela(p, s, d, wait);
            case "disruptor-raw" -> (p, s, d) -> new Subjects.DisruptorRaw(p, s, d, wait);
            case "guava-eventbus" -> Subjects.Guava::new;
            case "vertx-eventbus" -> Subjects.Vertx5::new;
            default -> throw new IllegalArgumentException("unknown subject " + name);
        };
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
