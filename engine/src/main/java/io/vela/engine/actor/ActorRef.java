package io.vela.engine.actor;

import io.vela.engine.OfferResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The address of a typed actor: the only way to reach it. Refs are cheap to share and compare by identity; a ref to
 * a stopped actor stays valid and routes messages to the dead letters.
 *
 * <p>Threads: every method may be called from any thread, including from inside a handler. {@link #tell} and
 * {@link #tryTell} of a preallocated message allocate nothing on the steady path (a mailbox slot and, when the actor
 * was idle, one CAS and one executor-ring slot). {@link #ask} allocates its future, a temporary ref and a timer.
 *
 * @param <M> the type of message the actor accepts
 */
public interface ActorRef<M> {

    /** @return the actor's path, e.g. {@code /user/orders/order-7} */
    ActorPath path();

    /** @return the last element of {@link #path()} */
    default String name() {
        return path().name();
    }

    /**
     * Sends {@code message} following the actor's {@link MailboxOverflow}: {@code FAIL} throws, {@code DROP_NEWEST}
     * and {@code DROP_OLDEST} drop (counted in {@link ActorStats#dropped()}), {@code BLOCK} waits up to the block
     * timeout. A message to a stopped actor goes to the dead letters and this returns normally.
     *
     * @param message the message, not null
     * @throws io.vela.engine.RingFullException when the mailbox is full under {@code FAIL}, or stayed full under
     *         {@code BLOCK}, or is full under {@code BLOCK} and the caller is a thread that must not wait (a ring
     *         worker or the receiver's own thread); the message names the actor and the capacity
     */
    void tell(M message);

    /**
     * Sends {@code message} without waiting and without throwing on a full mailbox.
     *
     * @param message the message, not null
     * @return {@link OfferResult#ACCEPTED} if it entered the mailbox (under {@code DROP_OLDEST} perhaps by
     *         evicting the oldest message, counted as dropped); {@link OfferResult#FULL} if it did not (under
     *         {@code DROP_NEWEST} it is also counted as dropped); {@link OfferResult#CLOSED} if the actor is stopped
     *         (the message went to the dead letters)
     */
    OfferResult tryTell(M message);

    /**
     * Request-response: builds a message carrying a temporary reply ref, tells it, and completes the future with the
     * first reply. Later replies are counted and go to the dead letters.
     *
     * @param toMessage builds the request from the reply ref; runs on the caller, and what it throws reaches the
     *                  caller
     * @param timeout   how long to wait for the reply, on the runtime's timer wheel; zero or negative times out at
     *                  once (the request is still delivered)
     * @param <R>       the reply type
     * @return the reply; completed exceptionally with {@link AskTimeoutException} (naming this actor and the
     *         request's type) when none came in time, or with the {@code RingRejectedException} that refused the
     *         request: {@code RingClosedException} at once if the actor has already stopped (the request goes to
     *         the dead letters)
     * @throws NullPointerException if {@code toMessage} returns {@code null} (the message names the actor)
     */
    <R> CompletableFuture<R> ask(Function<ActorRef<R>, M> toMessage, Duration timeout);
}
