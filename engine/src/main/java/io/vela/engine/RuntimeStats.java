package io.vela.engine;

import io.vela.engine.actor.ActorSystemStats;
import io.vela.engine.channel.ChannelStats;
import java.util.List;
import java.util.Locale;

/**
 * The runtime's live counters: one {@link RingStats} per ring (the executor's ring, the timer) and one
 * {@link ChannelStats} per registered channel, and the actors' counters. Each call reads current values; nothing is
 * locked or allocated except by {@link #describe()}.
 *
 * @param executor the ring executor
 * @param timers   the timer (capacity = pending-timer bound; published = scheduled; completed = fired)
 * @param channels the channels of {@code VelaRuntime.channels()}: a live list, growing as channels are built
 * @param actors   the actors' counters (empty until {@code VelaRuntime.actors()} is first called)
 * @param components counters of modules outside the engine (HTTP servers, transports): a live list, changing as
 *                   they register with {@code VelaRuntime.registerStats} and close
 */
public record RuntimeStats(RingStats executor, RingStats timers, List<ChannelStats> channels,
                           ActorSystemStats actors, List<ComponentStats> components) {

    /**
     * Stats without components.
     *
     * @param executor the ring executor
     * @param timers   the timer
     * @param channels the channels
     * @param actors   the actors' counters
     */
    public RuntimeStats(RingStats executor, RingStats timers, List<ChannelStats> channels, ActorSystemStats actors) {
        this(executor, timers, channels, actors, List.of());
    }

    /**
     * @param name a component's name
     * @return its counters, if registered
     */
    public java.util.Optional<ComponentStats> component(String name) {
        for (ComponentStats c : components) {
            if (c.name().equals(name)) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }

    /** @return every ring's counters */
    public List<RingStats> rings() {
        return List.of(executor, timers);
    }

    /** @return a readable table of every ring's counters (allocates) */
    public String describe() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-12s %9s %12s %12s %9s %9s %9s %8s%n",
                "ring", "capacity", "published", "completed", "rejected", "failed", "free", "batch"));
        for (RingStats r : rings()) {
            sb.append(String.format(Locale.ROOT, "%-12s %9d %12d %12d %9d %9d %9d %8d%n", r.name(), r.capacity(),
                    r.published(), r.completed(), r.rejected(), r.failed(), r.remainingCapacity(), r.largestBatch()));
        }
        if (!channels.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%-12s %9s %12s %12s %9s %9s%n", "channel", "capacity", "sent",
                    "received", "refused", "depth"));
            for (ChannelStats c : channels) {
                sb.append(String.format(Locale.ROOT, "%-12s %9d %12d %12d %9d %9d%n", c.name(), c.capacity(),
                        c.sent(), c.received(), c.refused(), c.depth()));
            }
        }
        if (actors.actorCount() > 0) {
            sb.append(String.format(Locale.ROOT, "%-24s %9s %12s %12s %9s %9s %8s%n", "actor", "mailbox", "received",
                    "processed", "dropped", "depth", "restarts"));
            actors.forEach(a -> sb.append(String.format(Locale.ROOT, "%-24s %9d %12d %12d %9d %9d %8d%n", a.path(),
                    a.mailboxCapacity(), a.received(), a.processed(), a.dropped(), a.depth(), a.restarts())));
            sb.append(String.format(Locale.ROOT, "dead letters: %d%n", actors.deadLetters()));
        }
        for (ComponentStats c : components) {
            sb.append(c.describe());
        }
        return sb.toString();
    }
}
