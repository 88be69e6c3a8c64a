package io.vela.engine.channel;

import io.vela.engine.OfferResult;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A bounded, typed hand-off between threads: a preallocated array queue chosen by {@link ChannelArity}, a
 * {@link io.vela.engine.WaitStrategy} for the calls that wait, and close semantics.
 *
 * <pre>{@code
 * Channel<Order> orders = Channel.<Order>builder("orders").capacity(1024)
 *         .arity(ChannelArity.MANY_TO_ONE).waitStrategy(WaitStrategy.SLEEPING).build();
 * orders.send(order);                      // any thread; waits for room
 * Order next = orders.receive();           // the one receiving thread; waits for an element
 * orders.close();                          // receivers still get what was sent, then ChannelClosedException
 * }</pre>
 *
 * <p><b>Threads.</b> Every method may be called from any thread, within the declared arity: {@code ONE_TO_ONE}
 * allows one thread sending (send, trySend, select send cases) and one receiving (receive, poll, pollOrElse, drain,
 * select receive cases) at a time; {@code MANY_TO_ONE} any number of senders and one receiver. The channel does not
 * check this. Breaking it corrupts the queue: elements are lost, delivered twice, or a receiver sees
 * {@code null} slots as empty for ever. {@link #close()}, {@link #stats()}, {@link #isClosed()} and
 * {@link #isDrained()} may be called by anyone at any time.
 *
 * <p><b>Allocation.</b> {@link #trySend}, {@link #pollOrElse}, {@link #drain} and a {@link #send}/{@link #receive}
 * that does not wait allocate nothing. {@link #poll()} and {@link #receive(Duration)} allocate their
 * {@code Optional}; refusals allocate their exception.
 *
 * <p><b>Close.</b> After {@link #close()} sends are refused; a send racing it either returned {@code ACCEPTED} (and
 * its element will be received) or was refused (and it will not) — unless the channel was built with
 * {@link ChannelBuilder#senderCloses(boolean) senderCloses(true)}, which promises that no send races it. Receivers
 * get every accepted element, then {@link ChannelClosedException}.
 *
 * @param <T> the element type (no nulls)
 */
public interface Channel<T> extends AutoCloseable {

    /**
     * @param name the channel's name, used in errors and statistics
     * @param <T>  the element type
     * @return a builder for a standalone channel (no runtime needed)
     * @throws io.vela.engine.MissingJvmFlagException without the Agrona flag (README, "JVM flags")
     */
    static <T> ChannelBuilder<T> builder(String name) {
        io.vela.engine.internal.JvmFlags.requireAgronaAccess();
        return new ChannelBuilder<>(name, ChannelBuilder.standalone(Runtime.getRuntime().availableProcessors()));
    }

    /** @return the channel's name */
    String name();

    /** @return slots in the channel (a power of two) */
    int capacity();

    /** @return the producer/consumer arity it was built for */
    ChannelArity arity();

    /** @return its live counters */
    ChannelStats stats();

    /**
     * Offers without waiting and without allocating.
     *
     * @param item the element
     * @return {@code ACCEPTED}, {@code FULL} (no slot now) or {@code CLOSED}
     * @throws NullPointerException if item is null
     */
    OfferResult trySend(T item);

    /**
     * Sends, waiting with the channel's wait strategy for room.
     *
     * @param item the element
     * @throws ChannelClosedException if the channel is closed before or while waiting (a {@code RingClosedException})
     * @throws io.vela.engine.RingFullException if the thread is interrupted while waiting (its flag stays set; the
     *         element was not sent)
     * @throws NullPointerException if item is null
     */
    void send(T item);

    /**
     * Sends, waiting at most {@code timeout} for room.
     *
     * @param item    the element
     * @param timeout how long to wait for room
     * @return true if sent, false if there was no room within the timeout
     * @throws ChannelClosedException if the channel is closed before or while waiting
     * @throws io.vela.engine.RingFullException if interrupted while waiting (flag kept; nothing sent)
     */
    boolean send(T item, Duration timeout);

    /**
     * Takes the next element, waiting for one.
     *
     * @return the element
     * @throws ChannelClosedException when the channel is closed and every accepted element has been received
     * @throws ChannelInterruptedException if interrupted while waiting (flag kept; nothing taken)
     */
    T receive();

    /**
     * Takes the next element, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait
     * @return the element, or empty on timeout
     * @throws ChannelClosedException when closed and drained
     * @throws ChannelInterruptedException if interrupted while waiting (flag kept; nothing taken)
     */
    Optional<T> receive(Duration timeout);

    /**
     * @return the next element if there is one now, else empty (allocates the Optional). Does not wait, except for an
     *         element a few instructions away — a send that has claimed its slot, or was counted before a close, and
     *         is still writing — which it waits for, at most 10 ms, rather than answer empty (so a poll after a
     *         finished send, or after a send refused as closed, sees every element accepted before)
     */
    Optional<T> poll();

    /**
     * The allocation-free poll; waits as {@link #poll()} does (only for an element a few instructions away).
     *
     * @param otherwise what to return when there is no element now
     * @return the next element, or {@code otherwise}
     */
    T pollOrElse(T otherwise);

    /**
     * Takes up to {@code limit} elements that are there now and hands each to {@code handler} on this thread. If
     * the handler throws, the elements it was given are taken and the exception propagates. Each element is taken
     * (and a sender waiting for room woken) before the handler gets it, so the handler may use this channel too:
     * take from it, send into it (a blocking send into a full channel that only this thread drains never returns),
     * or close it.
     *
     * @param handler receives each element
     * @param limit   the most elements to take
     * @return how many were taken (0 when empty)
     */
    int drain(Consumer<? super T> handler, int limit);

    /** Refuses later sends and wakes every waiter; receivers still get what was accepted. Idempotent. */
    @Override
    void close();

    /** @return true once {@link #close()} was called */
    boolean isClosed();

    /** @return true when closed and every accepted element has been received: receivers are done */
    boolean isDrained();

    /**
     * Registers a one-shot, non-blocking wake-up for code that must not hold a thread while the channel is empty
     * (adapters such as {@code ChannelFlow}'s publisher): {@code hook} runs once when an element may be taken or the
     * channel is closed — on the thread of the send that gives the element, of {@link #close()}, or on this thread
     * before this method returns if that is so already. It is a hint, not a hand-over: another receiver may take the
     * element first, so the hook's owner polls, and registers again when it finds nothing. Keep the hook short (it
     * runs inside a send; typically it hands work to an executor); one that throws is logged and ignored. The same
     * hook may be registered once at a time. Costs senders nothing beyond the flag their atomic add reads already;
     * registering allocates nothing (the hook is preallocated by the caller).
     *
     * @param hook what to run once
     * @return true if the hook will run (or ran already), unless cancelled; false if it was not registered (no free
     *         slot, or a {@link ChannelBuilder#senderCloses(boolean) senderCloses} spinning channel, whose senders
     *         wake nobody): the caller must poll
     */
    default boolean onReceivable(Runnable hook) {
        return false;
    }

    /** @param hook a hook given to {@link #onReceivable}; removed if it has not run (a no-op otherwise) */
    default void cancelReceivable(Runnable hook) {
    }

    /**
     * Registers a one-shot, non-blocking wake-up for when the channel may have room or is closed (for code that must
     * not hold a thread while it is full, such as {@code ChannelFlow}'s subscriber): run by the take that frees a
     * slot, by {@link #close()}, or on this thread before this method returns if there is room already. As with
     * {@link #onReceivable}, a hint: another sender may fill the slot first. On {@code ONE_TO_ONE} and
     * {@code MANY_TO_ONE} channels a take publishes the head with a release store that the hook's flag read may
     * overtake (ADR 0007, section 4): the hook can be missed, so the caller keeps a slow re-check (1 ms) as well.
     *
     * @param hook what to run once
     * @return true if the hook will run (or ran already), unless cancelled or missed as above; false if no slot
     *         was free (the caller must poll)
     */
    default boolean onSendable(Runnable hook) {
        return false;
    }

    /** @param hook a hook given to {@link #onSendable}; removed if it has not run (a no-op otherwise) */
    default void cancelSendable(Runnable hook) {
    }
}
