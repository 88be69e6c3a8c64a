package io.vela.engine.actor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The actors' counters in {@code runtime.stats().actors()}: empty until {@code runtime.actors()} is first called.
 * Reading one actor's counters allocates nothing; walking all actors allocates an iterator.
 */
public interface ActorSystemStats {
    /** @return live actors */
    int actorCount();

    /** @return messages that went to the dead letters so far */
    long deadLetters();

    /** @param each called with every live actor's counters */
    void forEach(Consumer<? super ActorStats> each);

    /**
     * @param path an actor's path
     * @return its counters, if it is alive
     */
    Optional<ActorStats> find(ActorPath path);

    /** @return every live actor's counters (allocates a list) */
    default List<ActorStats> all() {
        List<ActorStats> out = new ArrayList<>();
        forEach(out::add);
        return out;
    }
}
