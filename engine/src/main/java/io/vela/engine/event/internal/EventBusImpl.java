package io.vela.engine.event.internal;

import io.vela.engine.OverflowPolicy;
import io.vela.engine.Settings;
import io.vela.engine.ShutdownReport;
import io.vela.engine.VelaConfig;
import io.vela.engine.WaitStrategy;
import io.vela.engine.event.DeadEventHandler;
import io.vela.engine.event.EventBus;
import io.vela.engine.event.EventBusException;
import io.vela.engine.event.SubscriptionBuilder;
import io.vela.engine.event.Topic;
import io.vela.engine.event.TopicOptions;
import io.vela.engine.event.TopicStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event bus: the default topic (object events, dispatched by type) plus named preallocated topics, each a
 * {@link TopicRing}. Every method may be called from any thread; {@link #publish(Object)} allocates nothing.
 */
public final class EventBusImpl implements EventBus {
    static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
    static final String DEFAULT_TOPIC = "default";

    final int ringSize;
    final OverflowPolicy overflow;
    final long blockTimeoutNanos;
    final WaitStrategy waitStrategy;
    final int consumerThreads;
    final int maxInFlight;
    final Executor executor;
    final ThreadFactory threadFactory;
    final String prefix;
    private final long deadlineMs;
    private volatile TopicRing defaultTopic;
    private final Map<String, TopicImpl<?>> topics = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile DeadEventHandler deadHandler;
    private volatile boolean closed;
    private volatile ShutdownReport report;

    /**
     * @param config        configuration ({@code events.*}, {@code thread-name-prefix}, {@code shutdown.deadline-ms})
     * @param executor      runs offloaded handlers
     * @param threadFactory makes the consumer threads
     * @param cores         processors to plan spinning threads for
     */
    public EventBusImpl(VelaConfig config, Executor executor, ThreadFactory threadFactory, int cores) {
        this.ringSize = config.get(Settings.EVENTS_RING_SIZE);
        this.overflow = config.get(Settings.EVENTS_OVERFLOW);
        if (overflow == OverflowPolicy.CALLER_RUNS) {
            throw new EventBusException("events.overflow = caller-runs is not valid for the event bus");
        }
        this.blockTimeoutNanos = Duration.ofMillis(config.get(Settings.EVENTS_BLOCK_TIMEOUT_MS)).toNanos();
        this.consumerThreads = config.get(Settings.EVENTS_CONSUMER_THREADS);
        this.waitStrategy = config.get(Settings.EVENTS_WAIT_STRATEGY).resolve(WaitStrategy.spinBudget(cores),
                consumerThreads);
        this.maxInFlight = config.get(Settings.EVENTS_ASYNC_MAX_IN_FLIGHT);
        this.executor = executor;
        this.threadFactory = threadFactory;
        this.prefix = config.get(Settings.THREAD_NAME_PREFIX);
        this.deadlineMs = config.get(Settings.SHUTDOWN_DEADLINE_MS);
        LOG.debug("Event bus started: rings of {} slots, {} consumer thread(s) per topic waiting {}, overflow {}",
                ringSize, consumerThreads, waitStrategy.configName(), overflow.configName());
    }

    @Override
    public void publish(Object event) {
        TopicRing t = defaultTopic;
        (t != null ? t : defaultTopic()).publishObject(Objects.requireNonNull(event, "event"));
    }

    /** The default topic is made on first use, so that a bus used only with preallocated topics has no thread for it. */
    private TopicRing defaultTopic() {
        synchronized (lock) {
            if (defaultTopic == null) {
                if (closed) {
                    throw new EventBusException("event bus is closed; topic 'default' accepts no events");
                }
                defaultTopic = new TopicRing(this, DEFAULT_TOPIC, true, ObjectSlot::new, null, false);
            }
            return defaultTopic;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <E> Topic<E> topic(String name, TopicOptions<E> options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        if (name.isBlank() || name.equals(DEFAULT_TOPIC) || name.chars().anyMatch(Character::isWhitespace)) {
            throw new EventBusException("topic name '" + name + "' is invalid: non-empty, no spaces, not '"
                    + DEFAULT_TOPIC + "'");
        }
        synchronized (lock) {
            if (closed) {
                throw new EventBusException("event bus is closed; cannot declare topic '" + name + "'");
            }
            TopicImpl<?> t = topics.get(name);
            if (t == null) {
                t = new TopicImpl<E>(this, new TopicRing(this, name, false, options.factory(),
                        options.copier().orElse(null), options.isSinglePublisher()));
                topics.put(name, t);
            }
            return (Topic<E>) t;
        }
    }

    @Override
    public <E> SubscriptionBuilder<E> subscriber(Class<E> type) {
        Objects.requireNonNull(type, "type");
        return new SubscriptionBuilderImpl<>(defaultTopic(), type, maxInFlight);
    }

    @Override
    public <E> SubscriptionBuilder<E> subscriber(Topic<E> topic) {
        if (!(topic instanceof TopicImpl<?> t) || t.bus != this) {
            throw new EventBusException("topic " + topic + " does not belong to this bus");
        }
        return new SubscriptionBuilderImpl<>(t.ring, null, maxInFlight);
    }

    @Override
    public void onDeadEvent(DeadEventHandler handler) {
        this.deadHandler = Objects.requireNonNull(handler, "handler");
    }

    void deadEvent(String topic, Object event) {
        DeadEventHandler h = deadHandler;
        if (h != null) {
            try {
                h.onDeadEvent(topic, event);
            } catch (Throwable t) {
                LOG.warn("Dead-event handler threw on topic '{}'", topic, t);
            }
        }
    }

    @Override
    public List<TopicStats> stats() {
        List<TopicStats> all = new ArrayList<>();
        TopicRing d = defaultTopic;
        if (d != null) {
            all.add(d);
        }
        for (TopicImpl<?> t : topics.values()) {
            all.add(t.ring);
        }
        return List.copyOf(all);
    }

    @Override
    public ShutdownReport shutdown(Duration deadline) {
        List<TopicRing> rings;
        synchronized (lock) {
            if (closed) {
                return awaitReport();
            }
            closed = true;
            rings = new ArrayList<>();
            if (defaultTopic != null) {
                rings.add(defaultTopic);
            }
            topics.values().forEach(t -> rings.add(t.ring));
        }
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        long notDelivered = 0;
        boolean drained = true;
        try {
            for (TopicRing r : rings) {
                r.beginClose();
            }
            for (TopicRing r : rings) {
                drained &= r.awaitDrained(end);
            }
            if (!drained) {
                long joinEnd = System.nanoTime() + Duration.ofMillis(100).toNanos();
                for (TopicRing r : rings) {
                    notDelivered += r.halt(joinEnd);
                }
            }
            for (TopicRing r : rings) {
                r.finish(System.nanoTime() + Duration.ofMillis(100).toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        ShutdownReport r = new ShutdownReport("events", drained && notDelivered == 0, notDelivered,
                Duration.ofNanos(System.nanoTime() - start));
        synchronized (lock) {
            report = r;
            lock.notifyAll();
        }
        return r;
    }

    private ShutdownReport awaitReport() {
        while (report == null) {
            try {
                lock.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EventBusException("interrupted while waiting for the bus to shut down");
            }
        }
        return report;
    }

    @Override
    public void close() {
        ShutdownReport r = shutdown(Duration.ofMillis(deadlineMs));
        if (!r.completed()) {
            LOG.warn("Event bus shutdown: {}", r);
        }
    }
}
