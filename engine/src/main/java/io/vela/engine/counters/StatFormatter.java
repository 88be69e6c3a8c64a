package io.vela.engine.counters;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Formats counter snapshots as {@code vela-stat} prints them: one row per counter, with its rate per second since
 * the previous snapshot for the counters that only grow. No dependency on a CLI library; stateless; any thread;
 * allocates the text it returns.
 */
public final class StatFormatter {
    /** Metrics that are levels (free slots, depth, lag...), not running totals: no rate is shown for them. */
    static final Set<String> LEVELS = Set.of("capacity", "free", "depth", "largest-batch", "lag", "in-flight",
            "subscribers", "live", "active", "queued", "pending", "threads");

    private StatFormatter() {
    }

    /**
     * @param metric a metric name
     * @return whether it is a running total (a rate per second makes sense)
     */
    public static boolean isTotal(String metric) {
        return !LEVELS.contains(metric);
    }

    /**
     * @param pid          the process
     * @param startMillis  when its counters were created (epoch ms)
     * @param previous     the previous snapshot (empty: no rates)
     * @param current      the current snapshot
     * @param elapsedNanos time between the two snapshots
     * @return the table
     */
    public static String format(long pid, long startMillis, List<CounterSample> previous,
            List<CounterSample> current, long elapsedNanos) {
        Map<Integer, CounterSample> before = new HashMap<>();
        for (CounterSample s : previous) {
            before.put(s.id(), s);
        }
        Duration up = Duration.ofMillis(Math.max(0, System.currentTimeMillis() - startMillis));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Vela process %d, counters since %s (up %d:%02d:%02d), %d counters%n",
                pid, Instant.ofEpochMilli(startMillis), up.toHours(), up.toMinutesPart(), up.toSecondsPart(),
                current.size()));
        sb.append(String.format(Locale.ROOT, "%-10s %-32s %-16s %16s %14s%n", "kind", "name", "metric", "value",
                "per second"));
        for (CounterSample s : current) {
            String owner = s.owner();
            int sp = owner.indexOf(' ');
            String kind = sp < 0 ? owner : owner.substring(0, sp);
            String name = sp < 0 ? "" : owner.substring(sp + 1);
            CounterSample b = before.get(s.id());
            String rate = "";
            // the same counter: a freed id is reused by a new counter, maybe of the same label
            if (b != null && b.registrationId() == s.registrationId() && b.label().equals(s.label())
                    && elapsedNanos > 0 && isTotal(s.metric())) {
                rate = String.format(Locale.ROOT, "%.1f", (s.value() - b.value()) * 1e9 / elapsedNanos);
            }
            sb.append(String.format(Locale.ROOT, "%-10s %-32s %-16s %16d %14s%n", kind, name, s.metric(), s.value(),
                    rate));
        }
        return sb.toString();
    }

    /**
     * @param entries live counters files
     * @return a list of them, one line each
     */
    public static String formatProcesses(List<CountersDirectory.Entry> entries) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s %s%n", "pid", "counters file"));
        for (CountersDirectory.Entry e : entries) {
            String cmd = ProcessHandle.of(e.pid()).flatMap(p -> p.info().command()).orElse("");
            sb.append(String.format(Locale.ROOT, "%-10d %s %s%n", e.pid(), e.file(), cmd));
        }
        return sb.toString();
    }
}
