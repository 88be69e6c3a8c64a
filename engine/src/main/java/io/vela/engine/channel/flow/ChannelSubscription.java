package io.vela.engine.channel.flow;

import io.vela.engine.channel.Channel;
import io.vela.engine.internal.Logging;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's subscription to a channel publisher: a drain loop that takes elements from the channel with
 * {@link Channel#pollOrElse} while there is demand and hands them to {@code onNext}.
 *
 * <p>Threads: {@link #request} and {@link #cancel} may be called from any thread, also re-entrantly from {@code
 * onNext}; the channel's readiness hook from a sending thread. Every signal to the subscriber ({@code onSubscribe}
 * first, then {@code onNext}, {@code onError}, {@code onComplete}) is made by the drain loop, which runs on the
 * publisher's executor and on one thread at a time (a work-in-progress counter hands it over), so signals are
 * serialised and a re-entrant {@code request} never recurses. When the channel is empty and there is demand, the
 * loop ends with a one-shot {@link Channel#onReceivable} hook registered (the send or close that makes the channel
 * receivable runs the loop again): no thread waits for an empty channel, and nothing polls it. Only a channel that
 * cannot register the hook is re-checked by an {@link IdleBackoff}. A loop that has emitted {@value #BATCH}
 * elements hands over to the executor again, so one subscriber never holds a worker for long.
 *
 * <p>Allocation: none per element, none to register or fire the hook (the executor may allocate its task); an
 * idle re-check (the fallback) allocates a JDK timer task.
 */
final class ChannelSubscription<T> implements Flow.Subscription, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelSubscription.class);
    static final int BATCH = 256;
    private static final Object EMPTY = new Object();

    private final Channel<T> channel;
    private final Executor executor;
    private final Demand demand = new Demand();
    private final AtomicInteger wip = new AtomicInteger();
    private final IdleBackoff backoff = new IdleBackoff(this::signal);
    /** The channel's one-shot readiness hook (preallocated: registering and firing allocate nothing). */
    private final Runnable wake = this::woken;
    /** True while {@link #wake} is registered with the channel (so that it is registered once at a time). */
    private volatile boolean armed;
    /** Cleared on cancel and after a terminal signal, so a cancelled subscriber can be collected (rule 3.13). */
    private volatile Flow.Subscriber<? super T> subscriber;
    private volatile Throwable badRequest;
    private boolean subscribed;
    /** Run once when the loop stops for good (releases a single-receiver channel); may be null. */
    private Runnable onEnd;

    ChannelSubscription(Channel<T> channel, Executor executor, Flow.Subscriber<? super T> subscriber,
            Runnable onEnd) {
        this.channel = channel;
        this.executor = executor;
        this.subscriber = subscriber;
        this.onEnd = onEnd;
    }

    /** Signals {@code onSubscribe} then {@code onError(why)} on this thread, before the loop ever ran (rule 1.9). */
    void refuse(Throwable why) {
        badRequest = why;
        wip.incrementAndGet();
        run();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            if (badRequest == null) {
                badRequest = new IllegalArgumentException(
                        "rule 3.9: request(n) needs n > 0, was " + n + " (channel '" + channel.name() + "')");
            }
        } else {
            demand.add(n);
        }
        signal();
    }

    @Override
    public void cancel() {
        subscriber = null;
        signal(); // the loop sees it and ends, releasing the channel from its own thread
    }

    /** Makes sure the drain loop runs (again) after this call; starts it on the executor if it is not running. */
    void signal() {
        if (wip.getAndIncrement() == 0) {
            dispatch();
        }
    }

    private void dispatch() {
        try {
            executor.execute(this);
        } catch (RejectedExecutionException e) {
            // This thread holds the loop (wip > 0): signalling from here is still serial.
            Flow.Subscriber<? super T> s = subscriber;
            subscriber = null;
            if (s != null) {
                if (!subscribed) {
                    subscribed = true;
                    s.onSubscribe(this);
                }
                s.onError(e);
            }
            end();
        }
    }

    @Override
    public void run() {
        int missed = 1;
        for (;;) {
            Flow.Subscriber<? super T> s = subscriber;
            if (s == null) {
                end();
                return; // cancelled or terminated: the loop stays taken, nothing runs again
            }
            int outcome = drainOnce(s);
            if (outcome == HANDED_OVER) {
                return;
            }
            if (subscriber == null) {
                end();
                return;
            }
            if (outcome == IDLE) {
                idle(); // while the loop is still ours; a hook that fires at once just loops again
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /**
     * The channel is empty and there is demand: ask the channel to run {@link #wake} when a send or close makes it
     * receivable; only a channel that cannot (no free hook slot, a spinning {@code senderCloses} channel) is
     * re-checked by the {@link IdleBackoff} instead.
     */
    private void idle() {
        if (armed) {
            return;
        }
        armed = true;
        if (!channel.onReceivable(wake)) {
            armed = false;
            backoff.later();
        }
    }

    private void woken() {
        armed = false;
        signal();
    }

    private void end() {
        Runnable r = onEnd;
        if (r != null) {
            onEnd = null;
            r.run();
        }
        if (armed) {
            armed = false;
            channel.cancelReceivable(wake);
        }
    }

    private static final int PROGRESS = 0;
    private static final int IDLE = 1;
    private static final int HANDED_OVER = 2;

    private int drainOnce(Flow.Subscriber<? super T> s) {
        if (!subscribed) {
            subscribed = true;
            if (!deliver(s, null, SUBSCRIBE)) {
                return PROGRESS;
            }
        }
        Throwable bad = badRequest;
        if (bad != null) {
            subscriber = null;
            deliver(s, bad, ERROR);
            return PROGRESS;
        }
        long wanted = demand.get();
        long emitted = 0;
        boolean empty = false;
        while (emitted != wanted && emitted < BATCH && subscriber != null) {
            @SuppressWarnings("unchecked")
            T item = channel.pollOrElse((T) EMPTY);
            if (item == EMPTY) {
                empty = true;
                break;
            }
            emitted++;
            if (!deliver(s, item, NEXT)) {
                break;
            }
        }
        demand.produced(emitted);
        if (subscriber == null) {
            return PROGRESS;
        }
        if (channel.isDrained()) {
            subscriber = null;
            deliver(s, null, COMPLETE);
            return PROGRESS;
        }
        if (emitted == BATCH) {
            backoff.reset();
            dispatch(); // the loop stays taken by the task it hands over to
            return HANDED_OVER;
        }
        if (emitted > 0) {
            backoff.reset();
        }
        return empty ? IDLE : PROGRESS;
    }

    private static final int SUBSCRIBE = 0;
    private static final int NEXT = 1;
    private static final int ERROR = 2;
    private static final int COMPLETE = 3;

    /** Signals the subscriber; one that throws breaks rule 2.13 and is treated as cancelled. */
    private boolean deliver(Flow.Subscriber<? super T> s, Object what, int signal) {
        try {
            switch (signal) {
                case SUBSCRIBE -> s.onSubscribe(this);
                case NEXT -> {
                    @SuppressWarnings("unchecked")
                    T item = (T) what;
                    s.onNext(item);
                }
                case ERROR -> s.onError((Throwable) what);
                default -> s.onComplete();
            }
            return true;
        } catch (Throwable t) {
            subscriber = null;
            Logging.warnQuietly(LOG, "subscriber " + s.getClass().getName() + " of channel '" + channel.name()
                    + "' threw from a signal (rule 2.13); its subscription is cancelled"
                    + (signal == NEXT ? " and the element it was given is lost" : ""), t);
            return false;
        }
    }
}
