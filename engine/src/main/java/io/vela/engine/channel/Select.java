package io.vela.engine.channel;

import io.vela.engine.WaitStrategy;
import io.vela.engine.internal.Threads;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Waits on several channels at once: the first case that can proceed fires, once.
 *
 * <pre>{@code
 * Select select = Channels.select()
 *         .onReceive(quotes, q -> book.apply(q))          // case 0
 *         .onReceive(orders, o -> book.place(o))          // case 1
 *         .onSend(heartbeats, HEARTBEAT, () -> beats++);  // case 2
 * while (running) {
 *     Selected s = select.await(Duration.ofMillis(100));   // reusable: allocates nothing per call
 *     if (s.closed()) {
 *         break;                                          // s.index() says which channel closed
 *     }
 * }
 * }</pre>
 *
 * <p><b>Fairness.</b> Each call starts trying at the case after the one the previous call started at, so a channel
 * that always has elements cannot starve the others. <b>Waiting.</b> Uses the wait strategy given, else the first
 * case's channel's: spinning kinds spin or yield over all cases; parking kinds (also over channels that spin)
 * register this thread as a waiter on every case's channel (receivers' side for a receive case, senders' side for a
 * send case), look once more, and park until any of them wakes it. <b>Closed channels.</b> A receive case whose
 * channel is closed and drained, and a send case whose channel is closed, fire with {@link Selected#closed()}
 * (handler or action not run); a select whose only channel is closed therefore returns at once each time.
 *
 * <p><b>Threads.</b> One thread at a time calls {@link #await()}; a receive case makes that thread a receiver of its
 * channel (and a send case a sender), within the channel's arity. Handlers and actions run on that thread, after
 * the element was taken or the value sent and after the select has left every channel's waiter slots (so a handler
 * may block, or use the channels, without being woken by them); what they throw propagates out of {@code await}
 * (the element stays taken). A handler may not call {@code await} or {@code poll} on its own select.
 * <b>Allocation.</b> None per {@code await} (outcomes are preallocated per case), except the exception that ends an
 * interrupted wait. Adding cases allocates.
 */
public final class Select {
    private static final long FOREVER = -1;

    private SelectCase[] cases = new SelectCase[0];
    private Pause pause;
    private int rotor;
    /** Set while a call is under way, its handler included: a select does not nest (its cases keep its state). */
    private boolean awaiting;

    Select() {
    }

    /**
     * @param channel the channel to receive from
     * @param handler gets the element, on the awaiting thread
     * @param <T>     element type
     * @return this
     * @throws IllegalArgumentException if the channel is not one of Vela's
     */
    public <T> Select onReceive(Channel<T> channel, Consumer<? super T> handler) {
        return add(new SelectCase.Receive<>(cases.length, channel, handler));
    }

    /**
     * @param channel the channel to send to
     * @param value   the value to send
     * @param then    run after it was sent, on the awaiting thread
     * @param <T>     element type
     * @return this
     */
    public <T> Select onSend(Channel<T> channel, T value, Runnable then) {
        Objects.requireNonNull(value, "value");
        return onSendFrom(channel, () -> value, then);
    }

    /**
     * For a reusable select whose value changes: {@code value} is asked at every attempt and must return the same
     * value until the case fires.
     *
     * @param channel the channel to send to
     * @param value   supplies the value (never null)
     * @param then    run after it was sent, on the awaiting thread
     * @param <T>     element type
     * @return this
     */
    public <T> Select onSendFrom(Channel<T> channel, Supplier<? extends T> value, Runnable then) {
        return add(new SelectCase.Send<>(cases.length, channel, value, then));
    }

    /**
     * @param strategy how to wait when no case is ready (default: the first case's channel's)
     * @return this
     */
    public Select waitStrategy(WaitStrategy strategy) {
        this.pause = Pause.of(strategy.resolveForChannel(WaitStrategy.spinBudget(Runtime.getRuntime().availableProcessors()),
                1));
        return this;
    }

    private Select add(SelectCase c) {
        cases = Arrays.copyOf(cases, cases.length + 1);
        cases[cases.length - 1] = c;
        if (pause == null) {
            pause = c.channel.pause();
        }
        return this;
    }

    /**
     * Waits until a case fires.
     *
     * @return the case that fired
     * @throws ChannelInterruptedException if interrupted while waiting (flag kept; no case fired)
     * @throws IllegalStateException if there are no cases, or if called by one of this select's own handlers or
     *         actions (a select does not nest)
     */
    public Selected await() {
        return awaitWithin(FOREVER);
    }

    /**
     * @param timeout how long to wait
     * @return the case that fired, or {@link Selected#TIMED_OUT}
     * @throws ChannelInterruptedException if interrupted while waiting (flag kept; no case fired)
     * @throws IllegalStateException as {@link #await()}
     */
    public Selected await(Duration timeout) {
        return awaitWithin(Threads.nanos(timeout));
    }

    /**
     * @return the case that can fire now, or {@link Selected#TIMED_OUT} if none can (never waits)
     * @throws IllegalStateException as {@link #await()}
     */
    public Selected poll() {
        return awaitWithin(0);
    }

    private Selected awaitWithin(long timeoutNanos) {
        if (cases.length == 0) {
            throw new IllegalStateException("select has no cases");
        }
        if (awaiting) {
            throw new IllegalStateException("select is already awaiting: a handler or action called await or poll "
                    + "on its own select; use another Select");
        }
        awaiting = true;
        long end = Threads.endAfter(timeoutNanos == FOREVER ? Long.MAX_VALUE : timeoutNanos);
        boolean registered = false;
        try {
            for (int n = 0; ; n++) {
                Selected s = tryAll();
                if (s != null) {
                    if (registered) { // the handler may block: it runs on a thread nobody needs to wake
                        registered = false;
                        deregisterAll();
                    }
                    if (!s.closed()) {
                        cases[s.index()].fire();
                    }
                    return s;
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return Selected.TIMED_OUT;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new ChannelInterruptedException("select on " + cases.length
                            + " channel(s): interrupted while waiting; no case fired");
                }
                if (pause.idle(n)) {
                    continue;
                }
                if (!registered) {
                    registered = true;
                    for (SelectCase c : cases) {
                        c.register(Thread.currentThread());
                    }
                }
                long park = parkNanos();
                if (park > 0) {
                    LockSupport.parkNanos(this, Math.min(left, park));
                }
            }
        } finally {
            awaiting = false;
            if (registered) {
                deregisterAll();
            }
        }
    }

    private void deregisterAll() {
        for (SelectCase c : cases) {
            c.deregister();
        }
    }

    private Selected tryAll() {
        int n = cases.length;
        int start = rotor;
        rotor = start + 1 == n ? 0 : start + 1;
        for (int i = 0; i < n; i++) {
            int k = start + i;
            Selected s = cases[k < n ? k : k - n].attempt();
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    /** Announces this thread on every case's channel, then asks each how long it may park. */
    private long parkNanos() {
        long park = Long.MAX_VALUE;
        for (SelectCase c : cases) {
            long p = c.announce(pause.maxParkNanos());
            if (c.slot == WaiterSlots.NONE) {
                p = Math.min(p, WaiterSlots.OVERFLOW_PARK_NANOS);
            }
            park = Math.min(park, p);
        }
        return park;
    }
}
