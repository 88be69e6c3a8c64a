package io.vela.engine.actor;

/**
 * The class form of a behaviour: state in fields, one {@link #onMessage} method. Usually created inside
 * {@link Behaviors#setup} so that a restart builds a fresh instance. Its methods run on the actor's turn, one at a
 * time.
 *
 * @param <M> the message type
 */
public abstract class AbstractBehavior<M> implements Behavior<M> {
    private final ActorContext<M> context;

    /** @param context the actor's context (from {@link Behaviors#setup}) */
    protected AbstractBehavior(ActorContext<M> context) {
        this.context = java.util.Objects.requireNonNull(context, "context");
    }

    /** @return the actor's context */
    protected ActorContext<M> getContext() {
        return context;
    }

    /**
     * @param msg the message
     * @return the next behaviour ({@code this} or {@link Behaviors#same()} to keep this one)
     * @throws Exception handed to the supervisor strategy
     */
    protected abstract Behavior<M> onMessage(M msg) throws Exception;

    /**
     * @param signal a lifecycle signal
     * @return the next behaviour; by default {@link Behaviors#same()}
     * @throws Exception handed to the supervisor strategy
     */
    protected Behavior<M> onSignal(Signal signal) throws Exception {
        return Behaviors.same();
    }
}
