package io.vela.engine.actor;

import java.util.Objects;
import java.util.function.Function;

/**
 * Factories for behaviours. Behaviours are immutable values; building one allocates, running one does not (beyond
 * what the handler allocates).
 *
 * <pre>{@code
 * Behavior<Count> counter = Behaviors.setup(ctx -> {
 *     int[] n = {0};
 *     return Behaviors.receive((c, msg) -> { n[0] += msg.by(); return Behaviors.same(); });
 * });
 * }</pre>
 */
public final class Behaviors {
    private static final Behavior<Object> SAME = new Marker<>("same");
    private static final Behavior<Object> STOPPED = new Marker<>("stopped");
    private static final Behavior<Object> IGNORE = new Receive<>((c, m) -> same(), null);

    private Behaviors() {
    }

    /**
     * @param handler handles each message with the context
     * @param <M>     the message type
     * @return a behaviour; add a signal handler with {@link Receive#onSignal}
     */
    public static <M> Receive<M> receive(MessageHandler<M> handler) {
        return new Receive<>(Objects.requireNonNull(handler, "handler"), null);
    }

    /**
     * @param handler handles each message
     * @param <M>     the message type
     * @return a behaviour
     */
    public static <M> Receive<M> receiveMessage(Function<M, Behavior<M>> handler) {
        Objects.requireNonNull(handler, "handler");
        return new Receive<>((c, m) -> handler.apply(m), null);
    }

    /**
     * @param factory runs when the actor starts (and again on each restart), on the actor's turn
     * @param <M>     the message type
     * @return a behaviour deferred until start
     */
    public static <M> Behavior<M> setup(Function<ActorContext<M>, Behavior<M>> factory) {
        return new Setup<>(Objects.requireNonNull(factory, "factory"));
    }

    /**
     * @param <M> the message type
     * @return "keep the current behaviour"
     */
    @SuppressWarnings("unchecked")
    public static <M> Behavior<M> same() {
        return (Behavior<M>) SAME;
    }

    /**
     * @param <M> the message type
     * @return "stop this actor" (children first, then {@link PostStop})
     */
    @SuppressWarnings("unchecked")
    public static <M> Behavior<M> stopped() {
        return (Behavior<M>) STOPPED;
    }

    /**
     * @param <M> the message type
     * @return a behaviour that handles every message by doing nothing
     */
    @SuppressWarnings("unchecked")
    public static <M> Behavior<M> ignore() {
        return (Behavior<M>) IGNORE;
    }

    /**
     * @param behavior the behaviour to supervise
     * @param <M>      the message type
     * @return a builder; without {@code onFailure} a failing actor stops (and the failure is logged)
     */
    public static <M> Supervise<M> supervise(Behavior<M> behavior) {
        return new Supervise<>(Objects.requireNonNull(behavior, "behavior"));
    }

    /**
     * A behaviour from a message handler and an optional signal handler.
     *
     * @param <M> the message type
     */
    public static final class Receive<M> implements Behavior<M> {
        final MessageHandler<M> onMessage;
        final SignalHandler<M> onSignal;

        Receive(MessageHandler<M> onMessage, SignalHandler<M> onSignal) {
            this.onMessage = onMessage;
            this.onSignal = onSignal;
        }

        /**
         * @param handler handles signals ({@link PreStart}, {@link PostStop}, {@link PreRestart}, {@link Terminated})
         * @return a behaviour with the same message handler and this signal handler
         */
        public Behavior<M> onSignal(SignalHandler<M> handler) {
            return new Receive<>(onMessage, Objects.requireNonNull(handler, "handler"));
        }
    }

    /**
     * The first step of {@link #supervise(Behavior)}.
     *
     * @param <M> the message type
     */
    public static final class Supervise<M> {
        private final Behavior<M> behavior;

        Supervise(Behavior<M> behavior) {
            this.behavior = behavior;
        }

        /**
         * @param strategy what to do when a handler throws
         * @return the supervised behaviour
         */
        public Behavior<M> onFailure(SupervisorStrategy strategy) {
            return new Supervised<>(behavior, Objects.requireNonNull(strategy, "strategy"));
        }
    }

    static final class Marker<M> implements Behavior<M> {
        private final String name;

        Marker(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record Setup<M>(Function<ActorContext<M>, Behavior<M>> factory) implements Behavior<M> {
    }

    record Supervised<M>(Behavior<M> behavior, SupervisorStrategy strategy) implements Behavior<M> {
    }
}
