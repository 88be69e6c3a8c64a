package io.vela.engine.channel.flow;

import io.vela.engine.channel.Channel;
import io.vela.engine.internal.Logging;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
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
 * elements hands over to the executor again, so one subscriber never holds a worker for long; an executor that runs
 * tasks inline ({@code Runnable::run}) gets the loop continued in the same frame instead of nested (no stack growth),
 * on whichever thread signalled it (a request, the sender whose send fired the hook, or the JDK delay thread). An
 * executor that throws ends the subscription with {@code onError} carrying what it threw.
 *
 * <p>Allocation: none per element, none to register or fire the hook (the executor may allocate its task); an
 * idle re-check (the fallback) allocates a JDK timer task; the first dispatch on a thread allocates that thread's
 * small trampoline record.
 */
final class ChannelSubscription<T> implements Flow.Subscription, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelSubscription.class);
    static final int BATCH = 256;
    private static final Object EMPTY = new Object();

    /** Per thread: which subscription's {@link #dispatch} it is in, and whether the executor ran the task inline. */
    private static final ThreadLocal<Trampoline> TRAMPOLINE = ThreadLocal.withInitial(Trampoline::new);

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
        if (drain()) {
            dispatch();
        }
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

    /**
     * Hands the loop, which this thread holds, to the executor. An executor that runs the task on this thread
     * ({@code Runnable::run}, a caller-runs policy) does not nest: {@link #run} sees that it is called from inside
     * this method (the {@link Trampoline}) and returns at once, and the loop runs here, in this frame, for as many
     * batches as it takes. An executor that throws (refused, shut down, broken) ends the subscription with what it
     * threw.
     */
    private void dispatch() {
        Trampoline t = TRAMPOLINE.get();
        Object outer = t.dispatching; // another subscription's dispatch further up this thread's stack
        boolean outerRan = t.ranInline;
        for (;;) {
            t.dispatching = this;
            t.ranInline = false;
            boolean inline = false;
            RuntimeException refusal = null;
            try {
                executor.execute(this);
                inline = t.ranInline;
            } catch (RuntimeException e) {
                refusal = e;
            } finally {
                t.dispatching = outer;
                t.ranInline = outerRan;
            }
            if (refusal != null) {
                refused(refusal);
                return;
            }
            if (!inline || !drain()) {
                return; // another thread runs the loop now (or will), or it is done for now
            }
        }
    }

    /** The executor threw instead of taking the loop, which this thread still holds: signalling from here is serial. */
    private void refused(RuntimeException e) {
        Flow.Subscriber<? super T> s = subscriber;
        subscriber = null;
        if (s != null) {
            boolean subscribedNow = subscribed || deliver(s, null, SUBSCRIBE);
            subscribed = true;
            if (subscribedNow) {
                deliver(s, e, ERROR);
            }
        }
        end();
    }

    @Override
    public void run() {
        Trampoline t = TRAMPOLINE.get();
        if (t.dispatching == this) {
            t.ranInline = true; // run inline by the executor: dispatch() runs the loop in its own frame
            return;
        }
        if (drain()) {
            dispatch();
        }
    }

    /**
     * The loop, run by the thread that holds it.
     *
     * @return true if it emitted a full batch and is to be handed to the executor again (the loop stays held)
     */
    private boolean drain() {
        int missed = 1;
        for (;;) {
            Flow.Subscriber<? super T> s = subscriber;
            if (s == null) {
                end();
                return false; // cancelled or terminated: the loop stays taken, nothing runs again
            }
            int outcome = drainOnce(s);
            if (outcome == BATCH_DONE) {
                return true;
            }
            if (subscriber == null) {
                end();
                return false;
            }
            if (outcome == IDLE) {
                idle(); // while the loop is still ours; a hook that fires at once just loops again
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return false;
            }
        }
    }

    /**
     * The channel is empty (and there is demand, or none is left and the close is what to wait for): ask the channel
     * to run {@link #wake} when a send or close makes it receivable; only a channel that cannot (no free hook slot, a spinning {@code senderCloses} channel) is
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
    private static final int BATCH_DONE = 2;

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
            return BATCH_DONE; // the caller hands the loop to the executor, which yields this thread
        }
        if (emitted > 0) {
            backoff.reset();
        }
        if (!empty && emitted == wanted && channel.stats().depth() == 0) {
            // No demand left and nothing waiting: be woken by the next send or by the close, so that a close that
            // comes now is signalled (rule 1.5) without a request. Not when elements wait: they need demand first,
            // and a hook would fire at once, again and again.
            empty = true;
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

    /** One per thread that dispatches; read and written by that thread only. */
    private static final class Trampoline {
        Object dispatching;
        boolean ranInline;
    }
}
