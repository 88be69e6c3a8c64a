package io.vela.engine.actor;

/**
 * Handles a lifecycle {@link Signal} ({@link PreStart}, {@link PostStop}, {@link PreRestart}, {@link Terminated});
 * runs on the actor's turn.
 *
 * @param <M> the message type
 */
@FunctionalInterface
public interface SignalHandler<M> {
    /**
     * @param ctx    the actor's context
     * @param signal the signal
     * @return the behaviour for the next message ({@link Behaviors#same()} in the common case); used for
     *         {@code Terminated} only
     * @throws Exception handed to the supervisor strategy for {@code Terminated}; logged and ignored for the others
     */
    Behavior<M> onSignal(ActorContext<M> ctx, Signal signal) throws Exception;
}
