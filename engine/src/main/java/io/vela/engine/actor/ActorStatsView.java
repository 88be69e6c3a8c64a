package io.vela.engine.actor;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@link ActorSystemStats} in {@code runtime.stats()}: empty until the runtime creates its actor system and
 * {@link #attach attaches} it. Threads: any. Reading allocates nothing except as {@link ActorSystemStats} says.
 */
public final class ActorStatsView implements ActorSystemStats {
    private volatile ActorSystem system;

    /** Creates an empty view. */
    public ActorStatsView() {
    }

    /** @param actors the system whose counters this view shows from now on */
    public void attach(ActorSystem actors) {
        this.system = java.util.Objects.requireNonNull(actors, "actors");
    }

    @Override
    public int actorCount() {
        ActorSystem s = system;
        return s == null ? 0 : s.actorCount();
    }

    @Override
    public long deadLetters() {
        ActorSystem s = system;
        return s == null ? 0 : s.deadLetters().count();
    }

    @Override
    public void forEach(Consumer<? super ActorStats> each) {
        ActorSystem s = system;
        if (s != null) {
            s.forEachActor(each);
        }
    }

    @Override
    public Optional<ActorStats> find(ActorPath path) {
        ActorSystem s = system;
        return s == null ? Optional.empty() : s.find(path);
    }
}
