package io.vela.bench.events;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The publishing thread's CPU time per event, 1 publisher → 1 subscriber (or several on one consumer thread): a measure that other processes on a
 * shared machine distort far less than throughput (time the publisher is not running is not counted). Each round
 * publishes {@link SubjectState#BATCH} events (one by one, or as one batch publish), timed with
 * {@link ThreadMXBean#getCurrentThreadCpuTime()} around the publishing only, then waits (untimed) until the
 * subscriber has them. Prints p10, median and p90 of the second half of the rounds, in ns per event.
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -Xms512m -Xmx512m -cp bench/target/benchmarks.jar \
 *   io.vela.bench.events.PublisherCpu vela 20000
 * </pre>
 *
 * Subjects: {@code vela} (single-publisher topic), {@code vela-mp} (multi-publisher topic), {@code vela-object},
 * {@code vela-batch}, {@code disruptor-raw} (single-producer ring), {@code disruptor-raw-mp},
 * {@code disruptor-raw-batch} ({@code publishEvents}); yielding wait strategy, ring of {@link Subjects#RING}.
 */
public final class PublisherCpu {
    private static final Map<String, EventSubject.Factory> SUBJECTS = Map.of(
            "vela", (p, s, d) -> new Subjects.Vela(1, s, d),
            "vela-mp", (p, s, d) -> new Subjects.Vela(2, s, d),
            "vela-object", (p, s, d) -> new Subjects.VelaObject(1, s, d),
            "vela-batch", (p, s, d) -> new Subjects.Vela(1, s, d),
            "disruptor-raw", (p, s, d) -> new Subjects.DisruptorRaw(1, s, d),
            "disruptor-raw-mp", (p, s, d) -> new Subjects.DisruptorRaw(2, s, d),
            "disruptor-raw-batch", (p, s, d) -> new Subjects.DisruptorRaw(1, s, d));

    private PublisherCpu() {
    }

    /**
     * @param args subject, and optionally the number of rounds (default 20,000) and of subscribers (default 1, all
     *             on one consumer thread: 3 is the {@code 1p3s-shared} case)
     */
    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "vela";
        EventSubject.Factory factory = SUBJECTS.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("subject '" + name + "' is unknown; valid: " + SUBJECTS.keySet());
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int subscribers = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        boolean batch = name.endsWith("-batch");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Deliveries deliveries = new Deliveries(subscribers, 1, null);
        Sender sender = new Sender(0);
        Sender[] senders = new Sender[SubjectState.BATCH];
        Arrays.fill(senders, sender);
        long[] nanos = new long[rounds];
        try (EventSubject subject = factory.create(1, subscribers, deliveries)) {
            for (int r = 0; r < rounds; r++) {
                long before = mx.getCurrentThreadCpuTime();
                if (batch) {
                    sender.value += SubjectState.BATCH;
                    subject.publishBatch(senders);
                } else {
                    for (int i = 0; i < SubjectState.BATCH; i++) {
                        sender.value++;
                        subject.publish(sender);
                    }
                }
                nanos[r] = mx.getCurrentThreadCpuTime() - before;
                sender.expected += SubjectState.BATCH;
                for (int k = 0; k < subscribers; k++) {
                    while (deliveries.count(k, 0) < sender.expected) {
                        Thread.onSpinWait();
                    }
                }
            }
        }
        long[] tail = Arrays.copyOfRange(nanos, rounds / 2, rounds);
        Arrays.sort(tail);
        double per = SubjectState.BATCH;
        System.out.printf(Locale.ROOT, "%-20s %ds publisher CPU ns/event: p10 %.1f  median %.1f  p90 %.1f%n", name,
                subscribers,
                tail[tail.length / 10] / per, tail[tail.length / 2] / per, tail[tail.length * 9 / 10] / per);
    }
}
