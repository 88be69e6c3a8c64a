package io.vela.engine.event.internal;

import com.lmax.disruptor.Sequence;
import io.vela.engine.event.AsyncEventHandler;
import io.vela.engine.event.DeliveryMode;
import io.vela.engine.event.ErrorPolicy;
import io.vela.engine.event.EventHandler;
import io.vela.engine.event.SubscriberStats;
import io.vela.engine.event.Subscription;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * One subscription: its window of sequences {@code [startSeq, endSeq]}, type, filter, handler, error policy and
 * counters.
 *
 * <p>{@link #offer} runs on the subscription's consumer thread. Inline: filter and handler run there, counters are
 * single-writer fields published with release stores; nothing is allocated. Offloaded (counters atomic): the event is pushed to the
 * {@link Window} and a preallocated drain task runs on the executor (one at a time, in order). Async: the handler
 * runs on the consumer thread and its stage's completion (any thread) completes the window entry; counters are then
 * updated atomically; {@code whenComplete} allocates per event.
 */
final class Subscriber implements Subscription, SubscriberStats {
    private static final VarHandle DELIVERED;
    private static final VarHandle FILTERED;
    private static final VarHandle DROPPED;
    private static final VarHandle FAILED;
    private static final VarHandle END_SEQ;
    private static final VarHandle SCHEDULED;
    private static final VarHandle RETIRED;
    private static final VarHandle FINISHED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            DELIVERED = l.findVarHandle(Subscriber.class, "delivered", long.class);
            FILTERED = l.findVarHandle(Subscriber.class, "filtered", long.class);
            DROPPED = l.findVarHandle(Subscriber.class, "dropped", long.class);
            FAILED = l.findVarHandle(Subscriber.class, "failed", long.class);
            END_SEQ = l.findVarHandle(Subscriber.class, "endSeq", long.class);
            SCHEDULED = l.findVarHandle(Subscriber.class, "scheduled", boolean.class);
            RETIRED = l.findVarHandle(Subscriber.class, "retired", boolean.class);
            FINISHED = l.findVarHandle(Subscriber.class, "finished", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What a {@link SubscriptionBuilderImpl} collected. */
    static final class Spec {
        String name;
        Class<?> type;
        Predicate<Object> filter;
        DeliveryMode mode = DeliveryMode.INLINE;
        boolean lossy;
        ErrorPolicy policy = ErrorPolicy.logAndContinue();
        int consumerIndex = -1;
        int maxInFlight;
        EventHandler<Object> handler;
        AsyncEventHandler<Object> asyncHandler;
    }

    private final TopicRing topic;
    private final String name;
    private final Class<?> type;
    private final Predicate<Object> filter;
    private final DeliveryMode mode;
    private final boolean inline;
    private final boolean lossy;
    private final ErrorPolicy policy;
    private final EventHandler<Object> handler;
    private final AsyncEventHandler<Object> asyncHandler;
    private final int consumerIndex;
    private final long startSeq;
    private final Sequence position;
    private final Window window;
    private final Runnable drainTask;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private volatile long endSeq = Long.MAX_VALUE;
    private volatile boolean scheduled;
    private volatile boolean retired;
    private volatile boolean finished;
    private long drainNext;
    private long delivered;
    private long filtered;
    private long dropped;
    private long failed;

    Subscriber(TopicRing topic, Spec spec, String name, long startSeq, Sequence position, Sequence gating,
            int consumerIndex) {
        this.topic = topic;
        this.name = name;
        this.type = spec.type;
        this.filter = spec.filter;
        this.mode = spec.mode;
        this.inline = mode == DeliveryMode.INLINE;
        this.lossy = spec.lossy;
        this.policy = spec.policy;
        this.handler = spec.handler;
        this.asyncHandler = spec.asyncHandler;
        this.consumerIndex = consumerIndex;
        this.startSeq = startSeq;
        this.position = position;
        this.window = gating == null ? null : new Window(spec.maxInFlight, gating);
        this.drainTask = mode == DeliveryMode.OFFLOADED ? this::drain : null;
    }

    int consumerIndex() {
        return consumerIndex;
    }

    boolean matchesType(Class<?> c) {
        return type == null || type.isAssignableFrom(c);
    }

    boolean inWindow(long seq) {
        return seq >= startSeq && seq <= endSeq;
    }

    /**
     * For the consumer's per-event path: a plain read of the window's end. The consumer re-reads it after each
     * batch's acquiring wait; an end set by {@code close()} is never below a sequence of a batch that was already
     * visible when close began, so reading it once per batch is exact.
     */
    boolean inWindowPlain(long seq) {
        return seq >= startSeq && seq <= (long) END_SEQ.get(this);
    }

    // ---- consumer thread ----

    void offer(Object event, long seq) {
        if (seq < startSeq || seq > (long) END_SEQ.get(this)) {
            return;
        }
        if (filter != null) {
            boolean pass;
            try {
                pass = filter.test(event);
            } catch (Throwable t) {
                fail(event, seq, t);
                return;
            }
            if (!pass) {
                FILTERED.setRelease(this, filtered + 1);
                return;
            }
        }
        if (inline) {
            invoke(event, seq);
        } else if (mode == DeliveryMode.OFFLOADED) {
            if (window.push(event, seq, topic) >= 0) {
                schedule();
            }
        } else {
            long index = window.push(event, seq, topic);
            if (index >= 0) {
                callAsync(index, event, seq, 0);
            }
        }
    }

    void afterBatch(long done) {
        if (window != null) {
            window.advanceTo(done);
        }
        if (done >= endSeq) {
            retire();
        }
    }

    void countDropped(long from, long to) {
        long lo = Math.max(from, startSeq);
        long hi = Math.min(to, endSeq);
        if (hi >= lo) {
            DROPPED.setRelease(this, dropped + (hi - lo + 1));
        }
    }

    // ---- delivery ----

    private void invoke(Object event, long seq) {
        for (int attempt = 0; ; attempt++) {
            try {
                handler.onEvent(event);
                count(DELIVERED);
                return;
            } catch (Throwable t) {
                if (policy.kind() == ErrorPolicy.Kind.RETRY && attempt < policy.retries() && !topic.halted()) {
                    LockSupport.parkNanos(policy.backoffNanos(attempt));
                    continue;
                }
                fail(event, seq, t);
                return;
            }
        }
    }

    private void fail(Object event, long seq, Throwable error) {
        long n = count(FAILED);
        ErrorPolicy p = policy.afterRetries();
        switch (p.kind()) {
            case DEAD_LETTER -> {
                try {
                    p.sink().accept(name, event, error);
                } catch (Throwable t) {
                    EventBusImpl.LOG.warn("Dead-letter sink of subscription '{}' threw", name, t);
                }
            }
            case STOP -> {
                EventBusImpl.LOG.warn("Subscription '{}' on topic '{}' stopped by its error policy", name,
                        topic.name, error);
                endAt(seq);
            }
            default -> {
                if (n == 1 || (n & 1023) == 0) {
                    EventBusImpl.LOG.warn("Subscription '{}' on topic '{}': handler failed ({} failure(s) so far)",
                            name, topic.name, n, error);
                }
            }
        }
    }

    private long count(VarHandle counter) {
        if (!inline) {
            return (long) counter.getAndAdd(this, 1L) + 1;
        }
        long v = (long) counter.get(this) + 1;
        counter.setRelease(this, v);
        return v;
    }

    private void schedule() {
        if (SCHEDULED.compareAndSet(this, false, true)) {
            try {
                topic.bus.executor.execute(drainTask);
            } catch (RejectedExecutionException e) {
                drainTask.run(); // the executor is closed or full: deliver on the consumer thread
            }
        }
    }

    /** Offloaded: runs on the executor, one at a time per subscription (the {@code scheduled} flag). */
    private void drain() {
        while (true) {
            long i = drainNext;
            long t = window.tail();
            while (i < t && !topic.halted()) {
                long seq = window.seq(i);
                if (inWindow(seq)) {
                    invoke(window.event(i), seq);
                }
                window.complete(i);
                i++;
            }
            drainNext = i;
            scheduled = false;
            finishIfDrained();
            if (window.tail() == i || topic.halted() || !SCHEDULED.compareAndSet(this, false, true)) {
                return;
            }
        }
    }

    private void callAsync(long index, Object event, long seq, int attempt) {
        CompletionStage<?> stage;
        try {
            stage = asyncHandler.onEvent(event);
            if (stage == null) {
                throw new NullPointerException("async handler of '" + name + "' returned null");
            }
        } catch (Throwable t) {
            asyncFailed(index, event, seq, attempt, t);
            return;
        }
        stage.whenComplete((r, t) -> {
            if (t == null) {
                count(DELIVERED);
                window.complete(index);
                finishIfDrained();
            } else {
                asyncFailed(index, event, seq, attempt, t instanceof CompletionException && t.getCause() != null
                        ? t.getCause() : t);
            }
        });
    }

    private void asyncFailed(long index, Object event, long seq, int attempt, Throwable error) {
        if (policy.kind() == ErrorPolicy.Kind.RETRY && attempt < policy.retries() && !topic.halted()) {
            Runnable again = () -> callAsync(index, event, seq, attempt + 1);
            try {
                CompletableFuture.delayedExecutor(policy.backoffNanos(attempt), TimeUnit.NANOSECONDS,
                        topic.bus.executor).execute(again);
            } catch (RejectedExecutionException e) {
                again.run();
            }
            return;
        }
        fail(event, seq, error);
        window.complete(index);
        finishIfDrained();
    }

    // ---- lifecycle ----

    private void endAt(long seq) {
        while (true) {
            long e = endSeq;
            if (seq >= e || END_SEQ.compareAndSet(this, e, seq)) {
                return;
            }
        }
    }

    @Override
    public void close() {
        endAt(topic.cursor());
        if (position.get() >= endSeq) {
            retire();
        }
    }

    private void retire() {
        if (RETIRED.compareAndSet(this, false, true)) {
            topic.remove(this);
            finishIfDrained();
        }
    }

    private void finishIfDrained() {
        if (retired && (window == null || window.pending() == 0) && FINISHED.compareAndSet(this, false, true)) {
            if (window != null) {
                topic.removeGating(window.gating());
            }
            terminated.complete(null);
        }
    }

    void busClosed() {
        endAt(-1);
        RETIRED.setVolatile(this, true);
        if (FINISHED.compareAndSet(this, false, true)) {
            terminated.complete(null);
        }
    }

    // ---- Subscription / SubscriberStats ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeliveryMode mode() {
        return mode;
    }

    @Override
    public boolean lossy() {
        return lossy;
    }

    @Override
    public boolean isActive() {
        return endSeq == Long.MAX_VALUE && !retired;
    }

    @Override
    public SubscriberStats stats() {
        return this;
    }

    @Override
    public CompletionStage<Void> terminated() {
        return terminated.minimalCompletionStage();
    }

    @Override
    public long delivered() {
        return (long) DELIVERED.getAcquire(this);
    }

    @Override
    public long filteredOut() {
        return (long) FILTERED.getAcquire(this);
    }

    @Override
    public long dropped() {
        return (long) DROPPED.getAcquire(this);
    }

    @Override
    public long failed() {
        return (long) FAILED.getAcquire(this);
    }

    @Override
    public long inFlight() {
        return window == null ? 0 : window.pending();
    }

    @Override
    public long lag() {
        long pos = Math.max(position.get(), startSeq - 1);
        return Math.max(0, topic.cursor() - pos);
    }

    @Override
    public String toString() {
        return "subscription " + name + " (" + mode.name().toLowerCase(java.util.Locale.ROOT) + (lossy ? ", lossy"
                : "") + "): delivered " + delivered() + ", filtered " + filteredOut() + ", dropped " + dropped()
                + ", failed " + failed() + ", lag " + lag();
    }
}
