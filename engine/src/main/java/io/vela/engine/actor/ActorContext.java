package io.vela.engine.actor;

import java.time.Duration;
import java.util.List;

/**
 * An actor's view of itself and the system. Threads: only the actor's own turn may call it (from its handlers or
 * setup); calls from other threads are a programming error and are refused with {@link IllegalStateException}
 * ({@link #self()} and {@link #system()} excepted: they are safe anywhere). Spawning and timers allocate.
 *
 * @param <M> the actor's message type
 */
public interface ActorContext<M> {

    /** @return this actor's ref */
    ActorRef<M> self();

    /** @return the actor system */
    ActorSystem system();

    /**
     * @param behavior the child's behaviour
     * @param name     unique among this actor's live children
     * @param <C>      the child's message type
     * @return the child's ref; it starts on its own first turn
     * @throws InvalidActorNameException if the name is malformed or taken
     */
    <C> ActorRef<C> spawn(Behavior<C> behavior, String name);

    /**
     * @param behavior the child's behaviour
     * @param name     unique among this actor's live children
     * @param options   mailbox, overflow, throughput, pinning
     * @param <C>      the child's message type
     * @return the child's ref
     */
    <C> ActorRef<C> spawn(Behavior<C> behavior, String name, ActorOptions options);

    /**
     * Stops a child of this actor (its own children first). Asynchronous: watch it to learn when it has stopped.
     *
     * @param child a child of this actor
     * @throws IllegalArgumentException if it is not a child of this actor
     */
    void stop(ActorRef<?> child);

    /**
     * Asks for a {@link Terminated} signal when {@code other} stops; at once if it has already stopped.
     *
     * @param other the actor to watch
     */
    void watch(ActorRef<?> other);

    /** @param other an actor watched before: no {@link Terminated} from it after this call */
    void unwatch(ActorRef<?> other);

    /** @return this actor's live children (a copy) */
    List<ActorRef<?>> children();

    /**
     * Tells {@code target} {@code message} once after {@code delay}, on the runtime's timer wheel; cancelled when
     * this actor stops.
     *
     * @param delay   the delay
     * @param target  who gets the message
     * @param message the message
     * @param <T>     the message type
     * @return a handle to cancel it
     */
    <T> Cancellable scheduleOnce(Duration delay, ActorRef<T> target, T message);

    /**
     * Tells {@code target} {@code message} every {@code period} after {@code initialDelay}; cancelled when this
     * actor stops.
     *
     * @param initialDelay the first delay
     * @param period       the period, positive
     * @param target       who gets the message
     * @param message      the message (the same instance each time)
     * @param <T>          the message type
     * @return a handle to cancel it
     */
    <T> Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, ActorRef<T> target, T message);
}
