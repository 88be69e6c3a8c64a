package io.vela.engine.event;

import java.util.concurrent.CompletionStage;

/**
 * One subscriber's registration. Closing it stops delivery: events published before {@link #close()} was called
 * are still delivered, later ones are not. Every method may be called from any thread, including from the
 * subscription's own handler.
 */
public interface Subscription extends AutoCloseable {
    /** @return the subscription's name, as given or generated ({@code type-or-topic#n}) */
    String name();

    /** @return how its handler runs */
    DeliveryMode mode();

    /** @return true for a lossy subscription, which never holds publishers back and counts what it skips */
    boolean lossy();

    /** @return true until closed (by {@link #close()}, by the {@link ErrorPolicy#stop() stop} policy, or by the bus) */
    boolean isActive();

    /** @return live counters of this subscription */
    SubscriberStats stats();

    /**
     * @return completes once the subscription has handled its last event after being closed. The bus never
     *         completes it on one of its consumer threads (a subscription that finishes there is completed on the
     *         runtime's executor or on a thread of its own), so a stage hung on it that blocks holds up no subscription; a stage added after
     *         completion runs at once on the thread adding it, as for any {@code CompletableFuture}
     */
    CompletionStage<Void> terminated();

    /** Stops delivery of events published after this call; does not wait (see {@link #terminated()}). Idempotent. */
    @Override
    void close();
}
