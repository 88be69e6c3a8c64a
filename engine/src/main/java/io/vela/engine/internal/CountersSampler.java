package io.vela.engine.internal;

import io.vela.engine.ComponentStats;
import io.vela.engine.RingStats;
import io.vela.engine.RuntimeStats;
import io.vela.engine.channel.ChannelStats;
import io.vela.engine.counters.CounterTypes;
import io.vela.engine.counters.VelaCounters;
import io.vela.engine.event.EventBus;
import io.vela.engine.event.TopicStats;
import io.vela.engine.event.internal.EventBusImpl;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies into the counters file what is not a counter there already, every {@code counters.sample-ms}: levels (free
 * slots, depth, lag, in flight, live actors, pool threads), totals read off a ring's or queue's cursor (executor and
 * topic published, channel sent and received), sums of per-worker counters (the executor's completed and failed),
 * the JDK pool's completed count, and registered components' numbers. The running totals of topics, subscriptions,
 * channels, the actor system and the blocking pool are not copied: their owners write them in the file themselves
 * (ADR 0013, decision 3). It runs on a thread of its own ({@code prefix-counters}), the only writer of the
 * counters it makes; it frees a thing's counters when the thing is gone. Costs the hot paths nothing; allocates a
 * little per sample (iterators, and the counters of new things).
 */
public final class CountersSampler implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CountersSampler.class);

    private final VelaCounters counters;
    private final RuntimeStats stats;
    private final BlockingPool pool;
    private final Supplier<EventBus> events;
    private final long periodNanos;
    private final Map<Object, Group> groups = new IdentityHashMap<>();
    private int generation;
    private boolean warned;
    private volatile boolean stop;
    private volatile Thread thread;

    /**
     * @param counters where to write
     * @param stats    the runtime's stats
     * @param pool     the blocking pool
     * @param events   the event bus if started, else null
     * @param period   how often to sample
     */
    public CountersSampler(VelaCounters counters, RuntimeStats stats, BlockingPool pool, Supplier<EventBus> events,
            java.time.Duration period) {
        this.counters = counters;
        this.stats = stats;
        this.pool = pool;
        this.events = events;
        this.periodNanos = period.toNanos();
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (!stop) {
            sampleQuietly();
            // sleep out the period: a component may have interrupted this thread, which leaves both the interrupt
            // flag and a park permit set (parkNanos would return at once, every pass); stop() wakes it early
            long deadline = System.nanoTime() + periodNanos;
            for (long left = periodNanos; left > 0 && !stop; left = deadline - System.nanoTime()) {
                Thread.interrupted();
                LockSupport.parkNanos(this, left);
            }
        }
    }

    /**
     * Stops the thread (it ends within one park) and waits for it; if it is still busy after {@code timeoutMs} (a
     * component's counters block), interrupts it and waits as long again.
     *
     * @param timeoutMs how long to wait for it
     */
    public void stop(long timeoutMs) {
        stop = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(timeoutMs);
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(timeoutMs);
                    if (t.isAlive()) {
                        LOG.warn("The counters sampler {} is still stuck in a component's counters after close", t);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts the sampler on a thread of its own.
     *
     * @param factory   makes the thread
     * @param name      its name
     * @return this
     */
    public CountersSampler start(java.util.concurrent.ThreadFactory factory, String name) {
        Threads.start(factory, name, this);
        return this;
    }

    void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException | Error e) { // keep sampling on the next pass
            warnOnce(e);
        }
    }

    private void warnOnce(Throwable e) {
        if (!warned) {
            warned = true;
            LOG.warn("Sampling Vela's counters failed (said once)", e);
        }
    }

    /** One pass: writes every value, frees the counters of things that are gone. The sampler's thread only. */
    public void sample() {
        generation++;
        ring(stats.executor(), true);
        ring(stats.timers(), false);
        Group p = group(pool, CounterTypes.POOL, pool.name());
        p.set("active", pool.active());
        p.set("queued", pool.queued());
        p.set("completed", pool.completed());
        p.set("threads", pool.threads());
        EventBus bus = events.get();
        if (bus != null) {
            for (TopicStats t : bus.stats()) {
                Group g = group(t, CounterTypes.TOPIC, t.name());
                g.set("published", t.published());
                g.set("free", t.remainingCapacity());
                g.set("subscribers", t.subscribers());
            }
            if (bus instanceof EventBusImpl impl) {
                impl.forEachSubscription((t, s) -> {
                    Group g = group(s, CounterTypes.SUBSCRIBER, t.name() + "/" + s.name());
                    g.set("in-flight", s.inFlight());
                    g.set("lag", s.lag());
                });
            }
        }
        for (ChannelStats c : stats.channels()) {
            Group g = group(c, CounterTypes.CHANNEL, c.name());
            g.set("sent", c.sent());
            g.set("received", c.received());
            g.set("depth", c.depth());
        }
        if (stats.actors().actorCount() > 0 || groups.containsKey(stats.actors())) {
            Group g = group(stats.actors(), CounterTypes.ACTORS, "actors");
            g.set("live", stats.actors().actorCount());
        }
        for (ComponentStats c : stats.components()) {
            component(c);
        }
        for (Iterator<Group> it = groups.values().iterator(); it.hasNext(); ) {
            Group g = it.next();
            if (g.generation != generation) {
                g.free();
                it.remove();
            }
        }
    }

    /** A component is user code: its failure costs its own counters this pass, not the others' nor the freeing. */
    private void component(ComponentStats c) {
        try {
            Group g = group(c, CounterTypes.COMPONENT, c.name());
            c.counters(g::set);
        } catch (RuntimeException | Error e) { // an assert or a failed class load in user code: the same
            groups.computeIfPresent(c, (k, g) -> {
                g.generation = generation; // keep what it gave before: it is still registered
                return g;
            });
            warnOnce(e);
        }
    }

    private void ring(RingStats r, boolean executor) {
        Group g = group(r, CounterTypes.RING, r.name());
        if (executor) { // the timer's totals are counters in the file already
            g.set("published", r.published());
            g.set("completed", r.completed());
            g.set("failed", r.failed());
        }
        g.set("free", r.remainingCapacity());
        g.set("capacity", r.capacity());
        g.set("largest-batch", r.largestBatch());
    }

    private Group group(Object key, int type, String name) {
        Group g = groups.get(key);
        if (g == null) {
            g = new Group(type, name);
            groups.put(key, g);
        }
        g.generation = generation;
        return g;
    }

    /** The counters of one thing, by metric. */
    private final class Group {
        final int type;
        final String name;
        final ArrayList<String> metrics = new ArrayList<>(8);
        final ArrayList<AtomicCounter> values = new ArrayList<>(8);
        int generation;

        Group(int type, String name) {
            this.type = type;
            this.name = name;
        }

        void set(String metric, long value) {
            for (int i = 0; i < metrics.size(); i++) {
                String m = metrics.get(i);
                if (m == metric || m.equals(metric)) {
                    values.get(i).setRelease(value);
                    return;
                }
            }
            AtomicCounter c = counters.newCounter(type, name, metric.replace(' ', '-'));
            metrics.add(metric);
            values.add(c);
            c.setRelease(value);
        }

        void free() {
            for (AtomicCounter c : values) {
                counters.free(c);
            }
        }
    }
}
