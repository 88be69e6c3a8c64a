package io.vela.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every configuration key Vela knows, with its default and valid values. See the tuning guide for what each
 * one trades.
 */
public final class Settings {
    private Settings() {
    }

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** Prefix of every thread Vela starts. */
    public static final Setting<String> THREAD_NAME_PREFIX = text("thread-name-prefix", "vela",
            "prefix of every thread name");

    /** Ring executor: worker threads. Default: cores less one (at least 1), leaving a core to submitters. */
    public static final Setting<Integer> EXECUTOR_WORKERS = integer("executor.workers", Math.max(1, CORES - 1),
            1, 1024, "worker threads of the ring executor");
    /** Ring executor: ring capacity (a power of two). */
    public static final Setting<Integer> EXECUTOR_RING_SIZE = powerOfTwo("executor.ring-size", 8192, 2, 1 << 26,
            "slots in the executor's ring");
    /** Ring executor: slots of each submitter lane ({@code RingExecutor.newSubmitter()}, ADR 0015). */
    public static final Setting<Integer> EXECUTOR_LANE_SIZE = powerOfTwo("executor.lane-size", 1024, 2, 1 << 22,
            "slots in each submitter's own lane (RingExecutor.newSubmitter)");
    /** Ring executor: how workers wait for tasks. */
    public static final Setting<WaitStrategy> EXECUTOR_WAIT_STRATEGY = ringWait("executor.wait-strategy",
            "how executor workers wait for tasks");
    /** Ring executor: what a submitter does when the ring is full. */
    public static final Setting<OverflowPolicy> EXECUTOR_OVERFLOW = overflow("executor.overflow",
            OverflowPolicy.BLOCK, "what submit does when the executor's ring is full");
    /** Ring executor: how long {@code block-timeout} waits, in milliseconds. */
    public static final Setting<Long> EXECUTOR_BLOCK_TIMEOUT_MS = longRange("executor.block-timeout-ms", 1000,
            1, 3_600_000, "how long block-timeout waits for a free slot (ms)");

    /**
     * Ring executor: how long a worker may be stuck in one task, with tasks behind it, before the other workers stand
     * in for it on the shared ring (ADR 0019), in milliseconds; 0 disables.
     */
    public static final Setting<Long> EXECUTOR_STAND_IN_MS = longRange("executor.stand-in-ms", 100, 0, 86_400_000,
            "after how long (ms) the other workers stand in for a worker stuck in a task, so that the shared ring "
            + "does not hold every submitter behind it; 0 disables");

    /** Timers: how the timer agent idles between ticks. */
    public static final Setting<WaitStrategy> TIMER_IDLE_STRATEGY = agentWait("timer.idle-strategy",
            "how the timer agent idles between polls (auto: parks until its next timer or watchdog sample)");
    /** Timers: tick resolution in nanoseconds (a power of two). */
    public static final Setting<Long> TIMER_TICK_NS = longPowerOfTwo("timer.tick-ns", 1L << 20, 1L << 10, 1L << 30,
            "timer wheel tick resolution (ns)");
    /** Timers: ticks per wheel revolution (a power of two). */
    public static final Setting<Integer> TIMER_TICKS_PER_WHEEL = powerOfTwo("timer.ticks-per-wheel", 512, 8,
            1 << 16, "slots in the timer wheel");
    /** Timers: the most timers that may be pending at once. */
    public static final Setting<Integer> TIMER_MAX_PENDING = integer("timer.max-pending", 65_536, 1, 1 << 24,
            "pending timers allowed at once");
    /** Timers: what schedule does when {@code timer.max-pending} timers are pending. */
    public static final Setting<OverflowPolicy> TIMER_OVERFLOW = new Setting<>("timer.overflow",
            OverflowPolicy.class, OverflowPolicy.FAIL_FAST, parseEnum(OverflowPolicy.class),
            OverflowPolicy::configName, p -> p != OverflowPolicy.CALLER_RUNS, "block, block-timeout, fail-fast",
            "what schedule does when too many timers are pending");

    /** Blocking-work pool: most threads. */
    public static final Setting<Integer> BLOCKING_MAX_THREADS = integer("blocking.max-threads", 64, 1, 32_768,
            "most threads of the blocking-work pool");
    /** Blocking-work pool: calls waiting for a thread, at most. */
    public static final Setting<Integer> BLOCKING_BACKLOG = integer("blocking.backlog", 1024, 0, 1 << 24,
            "blocking calls that may wait for a free thread");
    /** Blocking-work pool: how long an idle thread lives, in milliseconds. */
    public static final Setting<Long> BLOCKING_KEEP_ALIVE_MS = longRange("blocking.keep-alive-ms", 30_000, 1,
            86_400_000, "how long an idle blocking thread lives (ms)");

    /** Event bus: slots in each topic's ring (a power of two). */
    public static final Setting<Integer> EVENTS_RING_SIZE = powerOfTwo("events.ring-size", 8192, 2, 1 << 26,
            "slots in each event-bus topic ring");
    /** Event bus: how bus consumer threads wait for events. */
    public static final Setting<WaitStrategy> EVENTS_WAIT_STRATEGY = ringWait("events.wait-strategy",
            "how event-bus consumer threads wait for events");
    /** Event bus: what publish does when a topic ring is full (caller-runs is not valid for the bus). */
    public static final Setting<OverflowPolicy> EVENTS_OVERFLOW = new Setting<>("events.overflow",
            OverflowPolicy.class, OverflowPolicy.BLOCK, parseEnum(OverflowPolicy.class),
            OverflowPolicy::configName, p -> p != OverflowPolicy.CALLER_RUNS, "block, block-timeout, fail-fast",
            "what publish does when a topic ring is full");
    /** Event bus: how long {@code block-timeout} waits for a free slot, in milliseconds. */
    public static final Setting<Long> EVENTS_BLOCK_TIMEOUT_MS = longRange("events.block-timeout-ms", 1000, 1,
            3_600_000, "how long an event publish waits for a free slot under block-timeout (ms)");
    /** Event bus: lossless consumer threads per topic ring; subscribers share them. */
    public static final Setting<Integer> EVENTS_CONSUMER_THREADS = integer("events.consumer-threads", 1, 1, 64,
            "lossless consumer threads per event topic");
    /** Event bus: offloaded or asynchronous deliveries in flight per subscriber, at most. */
    public static final Setting<Integer> EVENTS_ASYNC_MAX_IN_FLIGHT = integer("events.async-max-in-flight", 256,
            1, 1 << 20, "offloaded/async deliveries in flight per subscriber");

    /** Shutdown: how long {@code close()} waits for accepted work to run, in milliseconds. */
    public static final Setting<Long> SHUTDOWN_DEADLINE_MS = longRange("shutdown.deadline-ms", 5_000, 0,
            86_400_000, "how long close() waits for accepted work (ms)");

    /** Watchdog: a worker on one task longer than this is reported, in milliseconds; 0 disables. */
    public static final Setting<Long> WATCHDOG_STALL_MS = longRange("watchdog.stall-ms", 1_000, 0, 86_400_000,
            "report a worker stuck on one task this long (ms); 0 disables");
    /** Watchdog: quiet period after start, in milliseconds. */
    public static final Setting<Long> WATCHDOG_GRACE_MS = longRange("watchdog.grace-ms", 2_000, 0, 86_400_000,
            "quiet period after start before stalls are reported (ms)");

    /**
     * Counters: in a memory-mapped file that {@code vela-stat} reads from outside (true), or in a buffer of the
     * process (false). Its default is the system property {@code vela.counters.file} when set (so that a benchmark
     * run can switch the file off for every runtime it starts, whatever their configuration's sources), else true.
     */
    public static final Setting<Boolean> COUNTERS_FILE = bool("counters.file",
            !"false".equalsIgnoreCase(System.getProperty("vela.counters.file", "true").trim()),
            "keep the counters in a memory-mapped file readable by vela-stat (false: in the process only)");
    /** Counters: the directory of the counters files. */
    public static final Setting<String> COUNTERS_DIR = new Setting<>("counters.dir", String.class,
            io.vela.engine.counters.CountersDirectory.defaultDir().toString(), Function.identity(),
            Function.identity(), s -> !s.isBlank(), "a directory path",
            "directory of the counters files (one vela-<pid>-<n>.counters per runtime)");
    /** Counters: how many counters the file holds (more are kept, but only in-process). */
    public static final Setting<Integer> COUNTERS_CAPACITY = integer("counters.capacity", 1024, 16, 65_536,
            "counters the counters file holds");
    /** Counters: how often levels and cursor-derived totals are copied into the file, in ms (ADR 0013). */
    public static final Setting<Long> COUNTERS_SAMPLE_MS = longRange("counters.sample-ms", 250, 1, 60_000,
            "how often sampled counters (levels, cursor-derived totals, components) are written (ms)");
    /**
     * Counters: how long a freed counter's slot stays out of use before another owner may get it, in ms (ADR 0013):
     * a writer that fetched the counter before its owner let it go (a sender refused by a channel just dropped) may
     * still add to it, and must not add to the next owner's count.
     */
    public static final Setting<Long> COUNTERS_REUSE_MS = longRange("counters.reuse-ms",
            io.vela.engine.counters.VelaCounters.DEFAULT_REUSE_MS, 0, 60_000,
            "how long a freed counter's slot waits before it is reused (ms)");

    /** @return every key, in documentation order */
    public static List<Setting<?>> all() {
        return List.of(THREAD_NAME_PREFIX, EXECUTOR_WORKERS, EXECUTOR_RING_SIZE, EXECUTOR_LANE_SIZE,
                EXECUTOR_WAIT_STRATEGY,
                EXECUTOR_OVERFLOW, EXECUTOR_BLOCK_TIMEOUT_MS, EXECUTOR_STAND_IN_MS, TIMER_IDLE_STRATEGY, TIMER_TICK_NS,
                TIMER_TICKS_PER_WHEEL, TIMER_MAX_PENDING, TIMER_OVERFLOW, BLOCKING_MAX_THREADS, BLOCKING_BACKLOG,
                BLOCKING_KEEP_ALIVE_MS, EVENTS_RING_SIZE, EVENTS_WAIT_STRATEGY, EVENTS_OVERFLOW,
                EVENTS_BLOCK_TIMEOUT_MS, EVENTS_CONSUMER_THREADS, EVENTS_ASYNC_MAX_IN_FLIGHT, SHUTDOWN_DEADLINE_MS,
                WATCHDOG_STALL_MS, WATCHDOG_GRACE_MS, COUNTERS_FILE, COUNTERS_DIR, COUNTERS_CAPACITY,
                COUNTERS_SAMPLE_MS, COUNTERS_REUSE_MS);
    }

    /**
     * @return every key known in this JVM: {@link #all()} then those of each {@link SettingsProvider} found by
     *         {@link java.util.ServiceLoader}
     */
    public static List<Setting<?>> known() {
        return KnownSettings.LIST;
    }

    /**
     * A text key: a non-empty name without spaces.
     *
     * @param key the key without the {@code vela.} prefix
     * @param def its default
     * @param doc what it controls
     * @return the setting
     */
    public static Setting<String> text(String key, String def, String doc) {
        return new Setting<>(key, String.class, def, Function.identity(), Function.identity(),
                s -> !s.isBlank() && s.chars().noneMatch(Character::isWhitespace), "a non-empty name without spaces",
                doc);
    }

    /**
     * An integer key in a range.
     *
     * @param key the key without the {@code vela.} prefix
     * @param def its default
     * @param min the least valid value
     * @param max the greatest valid value
     * @param doc what it controls
     * @return the setting
     */
    public static Setting<Integer> integer(String key, int def, int min, int max, String doc) {
        return new Setting<>(key, Integer.class, def, Integer::valueOf, String::valueOf,
                v -> v >= min && v <= max, "an integer in [" + min + ", " + max + "]", doc);
    }

    /**
     * An integer key that must be a power of two in a range (a ring's capacity).
     *
     * @param key the key without the {@code vela.} prefix
     * @param def its default
     * @param min the least valid value
     * @param max the greatest valid value
     * @param doc what it controls
     * @return the setting
     */
    public static Setting<Integer> powerOfTwo(String key, int def, int min, int max, String doc) {
        return new Setting<>(key, Integer.class, def, Integer::valueOf, String::valueOf,
                v -> v >= min && v <= max && Integer.bitCount(v) == 1,
                "a power of two in [" + min + ", " + max + "]", doc);
    }

    /**
     * A long key in a range.
     *
     * @param key the key without the {@code vela.} prefix
     * @param def its default
     * @param min the least valid value
     * @param max the greatest valid value
     * @param doc what it controls
     * @return the setting
     */
    public static Setting<Long> longRange(String key, long def, long min, long max, String doc) {
        return new Setting<>(key, Long.class, def, Long::valueOf, String::valueOf,
                v -> v >= min && v <= max, "an integer in [" + min + ", " + max + "]", doc);
    }

    static Setting<Long> longPowerOfTwo(String key, long def, long min, long max, String doc) {
        return new Setting<>(key, Long.class, def, Long::valueOf, String::valueOf,
                v -> v >= min && v <= max && Long.bitCount(v) == 1,
                "a power of two in [" + min + ", " + max + "]", doc);
    }

    static Setting<WaitStrategy> ringWait(String key, String doc) {
        return new Setting<>(key, WaitStrategy.class, WaitStrategy.AUTO, WaitStrategy::fromConfigName,
                WaitStrategy::configName, WaitStrategy::forRings, WaitStrategy.names(true, false), doc);
    }

    static Setting<WaitStrategy> agentWait(String key, String doc) {
        return new Setting<>(key, WaitStrategy.class, WaitStrategy.AUTO, WaitStrategy::fromConfigName,
                WaitStrategy::configName, WaitStrategy::forAgents, WaitStrategy.names(false, true), doc);
    }

    static Setting<OverflowPolicy> overflow(String key, OverflowPolicy def, String doc) {
        return new Setting<>(key, OverflowPolicy.class, def, parseEnum(OverflowPolicy.class),
                OverflowPolicy::configName, p -> true, Arrays.stream(OverflowPolicy.values())
                        .map(OverflowPolicy::configName).collect(Collectors.joining(", ")), doc);
    }

    /**
     * A key taking one constant of an enum, written in lower case with dashes ({@code IO_URING} is
     * {@code io-uring}).
     *
     * @param key  the key without the {@code vela.} prefix
     * @param type the enum
     * @param def  its default
     * @param doc  what it controls
     * @param <E>  the enum type
     * @return the setting
     */
    public static <E extends Enum<E>> Setting<E> choice(String key, Class<E> type, E def, String doc) {
        return new Setting<>(key, type, def, parseEnum(type), Settings::enumName, v -> true,
                Arrays.stream(type.getEnumConstants()).map(Settings::enumName).collect(Collectors.joining(", ")),
                doc);
    }

    /**
     * A boolean key: {@code true} or {@code false}.
     *
     * @param key the key without the {@code vela.} prefix
     * @param def its default
     * @param doc what it controls
     * @return the setting
     */
    public static Setting<Boolean> bool(String key, boolean def, String doc) {
        return new Setting<>(key, Boolean.class, def, s -> {
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                return Boolean.valueOf(s);
            }
            throw new IllegalArgumentException(s);
        }, String::valueOf, v -> true, "true, false", doc);
    }

    private static String enumName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static <E extends Enum<E>> Function<String, E> parseEnum(Class<E> type) {
        return s -> Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
