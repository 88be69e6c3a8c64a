package io.vela.engine.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vela.engine.VelaRuntime;
import io.vela.engine.counters.CounterTypes;
import io.vela.engine.counters.StatFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.agrona.concurrent.status.CountersReader;

/**
 * A Micrometer {@link MeterBinder} exposing a runtime's counters (those of its counters file, {@link
 * VelaRuntime#counters()}): each is read at scrape time, nothing is added to any hot path. Micrometer is an optional
 * dependency of the engine; only this class uses it.
 *
 * <p>Names are {@code vela.<kind>.<metric>} with dashes turned into dots, tagged with the thing's name:
 * <ul>
 *   <li>{@code vela.ring.published|completed|rejected|failed|cancelled|caller.ran|caller.failed} (function counters)
 *       and {@code vela.ring.free|capacity|largest.batch} (gauges), tag {@code ring} ({@code executor},
 *       {@code timer});</li>
 *   <li>{@code vela.worker.completed|failed} and {@code vela.worker.largest.batch}, tag {@code worker}
 *       ({@code executor#0});</li>
 *   <li>{@code vela.pool.completed|rejected}, {@code vela.pool.active|queued|threads}, tag {@code pool};</li>
 *   <li>{@code vela.topic.published|dead|rejected}, {@code vela.topic.free|subscribers}, tag {@code topic};</li>
 *   <li>{@code vela.subscriber.delivered|filtered|dropped|failed}, {@code vela.subscriber.in.flight|lag}, tags
 *       {@code topic} and {@code subscriber};</li>
 *   <li>{@code vela.channel.sent|received|refused}, {@code vela.channel.depth}, tag {@code channel};</li>
 *   <li>{@code vela.actors.dead.letters|late.replies}, {@code vela.actors.live};</li>
 *   <li>{@code vela.component.<metric>}, tag {@code component} (what {@code ComponentStats.counters} gives).</li>
 * </ul>
 * Running totals are {@link FunctionCounter}s, levels are {@link Gauge}s. Levels, cursor-derived totals (published,
 * sent, received), the ring's completed/failed sums and components' numbers are as fresh as
 * {@code counters.sample-ms}; the other totals are live (ADR 0013).
 *
 * <p>Topics, subscriptions and channels made after {@link #bindTo} are bound by {@link #refresh()}, which also
 * removes the meters of those gone; call it when they change (or periodically). When the runtime closes, every
 * meter of this binder is removed from its registries (a registry outliving the runtime would otherwise keep it
 * reachable); binding a closed runtime binds nothing. Thread-safe: {@code bindTo} and {@code refresh} lock; scrapes
 * read without locks and allocate nothing.
 *
 * <p>Two runtimes bound to one registry need a tag that tells them apart ({@code extraTags}): meters of the same
 * name and tags are one meter in Micrometer.
 */
public final class VelaMetrics implements MeterBinder {
    private final VelaRuntime runtime;
    private final Tags extraTags;
    private final List<MeterRegistry> registries = new ArrayList<>();
    /** Bound counters by registration id (unique per counter for the runtime's life, unlike the slot id). */
    private final Map<Long, Bound> bound = new HashMap<>();
    private boolean closeHooked;
    private boolean closed;

    /**
     * @param runtime the runtime
     */
    public VelaMetrics(VelaRuntime runtime) {
        this(runtime, Tags.empty());
    }

    /**
     * @param runtime   the runtime
     * @param extraTags added to every meter (e.g. the application's name)
     */
    public VelaMetrics(VelaRuntime runtime, Iterable<io.micrometer.core.instrument.Tag> extraTags) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.extraTags = Tags.of(extraTags);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (!closeHooked) {
            closeHooked = true;
            runtime.counters().onClose(this::removeAll); // at once if already closed
        }
        if (closed) {
            return;
        }
        registries.add(registry);
        for (Bound b : bound.values()) {
            b.meters.add(b.register(registry));
        }
        refresh();
    }

    /** Binds the counters made since the last call and removes the meters of those gone. */
    public synchronized void refresh() {
        if (closed) {
            return;
        }
        CountersReader reader = runtime.counters().reader();
        java.util.Set<Long> alive = new java.util.HashSet<>();
        reader.forEach((CountersReader.MetaData) (id, typeId, key, label) -> {
            long registration = reader.getCounterRegistrationId(id);
            alive.add(registration);
            if (!bound.containsKey(registration)) {
                Bound b = new Bound(reader, id, registration, typeId, label);
                for (MeterRegistry r : registries) {
                    b.meters.add(b.register(r));
                }
                bound.put(registration, b);
            }
        });
        for (var it = bound.entrySet().iterator(); it.hasNext(); ) {
            Bound b = it.next().getValue();
            if (!alive.contains(b.registration)) {
                b.remove();
                it.remove();
            }
        }
    }

    /** The runtime closed: removes every meter, forgets the registries. */
    private synchronized void removeAll() {
        closed = true;
        for (Bound b : bound.values()) {
            b.remove();
        }
        bound.clear();
        registries.clear();
    }

    /**
     * @param typeId a counter type
     * @param label  its label
     * @return the meter name of that counter
     */
    static String meterName(int typeId, String label) {
        return "vela." + CounterTypes.kind(typeId) + "." + label.substring(label.lastIndexOf(' ') + 1)
                .replace('-', '.');
    }

    /**
     * @param typeId a counter type
     * @param label  its label
     * @return the tags naming its owner
     */
    static Tags tags(int typeId, String label) {
        int first = label.indexOf(' ');
        int last = label.lastIndexOf(' ');
        String name = first < 0 || last <= first ? "" : label.substring(first + 1, last);
        String kind = CounterTypes.kind(typeId);
        switch (typeId) {
            case CounterTypes.ACTORS:
                return Tags.empty();
            case CounterTypes.SUBSCRIBER: {
                int slash = name.indexOf('/');
                return slash < 0 ? Tags.of("subscriber", name)
                        : Tags.of("topic", name.substring(0, slash), "subscriber", name.substring(slash + 1));
            }
            default:
                return Tags.of(kind, name);
        }
    }

    /** One counter and its meters (one per registry). */
    private final class Bound {
        final CountersReader reader;
        final int id;
        final long registration;
        final int typeId;
        final String label;
        /** A running total (kept at its last value when gone) rather than a level (NaN when gone). */
        final boolean total;
        final List<Meter> meters = new ArrayList<>(1);
        /** The last value read while the counter was there: a counter gone stays at it until removed. */
        volatile long last;

        Bound(CountersReader reader, int id, long registration, int typeId, String label) {
            this.reader = reader;
            this.id = id;
            this.registration = registration;
            this.typeId = typeId;
            this.label = label;
            this.total = StatFormatter.isTotal(metric());
        }

        double read() {
            if (reader.getCounterRegistrationId(id) != registration
                    || reader.getCounterState(id) != CountersReader.RECORD_ALLOCATED) {
                return total ? last : Double.NaN;
            }
            long v = reader.getCounterValue(id);
            if (reader.getCounterRegistrationId(id) != registration) { // freed and reused while being read
                return total ? last : Double.NaN;
            }
            last = v;
            return v;
        }

        void remove() {
            for (int i = 0; i < registries.size() && i < meters.size(); i++) {
                registries.get(i).remove(meters.get(i));
            }
        }

        String metric() {
            return label.substring(label.lastIndexOf(' ') + 1);
        }

        Meter register(MeterRegistry registry) {
            Tags t = tags(typeId, label).and(extraTags);
            String name = meterName(typeId, label);
            if (total) {
                return FunctionCounter.builder(name, this, Bound::read).tags(t).register(registry);
            }
            return Gauge.builder(name, this, Bound::read).tags(t).strongReference(true).register(registry);
        }
    }
}
