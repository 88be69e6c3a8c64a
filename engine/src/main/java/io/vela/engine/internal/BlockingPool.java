package io.vela.engine.internal;

import io.vela.engine.RingClosedException;
import io.vela.engine.RingFullException;
import io.vela.engine.ShutdownReport;
import io.vela.engine.counters.CounterFactory;
import io.vela.engine.counters.CounterTypes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The blocking-work offload: a bounded, elastic pool for calls that block (I/O, locks, legacy clients), so ring
 * workers never do. Threads start on demand up to {@code maxThreads} and die after {@code keepAlive} idle; at most
 * {@code backlog} calls wait for a thread, past that a call is refused with {@link RingFullException}.
 *
 * <p>Why a JDK {@link ThreadPoolExecutor} with an {@link ArrayBlockingQueue} here, where the rest of the engine
 * uses rings: its threads spend their time blocked in user calls, so handing work to them costs nothing that a ring
 * would save, and the JDK pool already gives elastic growth and idle shrink (ADR 0001).
 */
public final class BlockingPool {
    private final String name;
    private final ThreadPoolExecutor pool;
    /** Calls refused, counted by the refused caller (getAndAdd), in the runtime's counters file. */
    private final AtomicCounter rejected;
    private final io.vela.engine.internal.jfr.RejectionEvents rejections;

    /** Set on this pool's threads, so that a shutdown called on one of them does not wait for itself. */
    private final ThreadLocal<Boolean> onPoolThread = new ThreadLocal<>();

    /**
     * @param name       pool name
     * @param maxThreads most threads
     * @param backlog    calls that may wait for a thread
     * @param keepAlive  idle time before a thread ends
     * @param factory    makes threads
     * @param namePrefix thread name prefix
     * @param counters   where the refusal count lives (the runtime's counters file)
     */
    public BlockingPool(String name, int maxThreads, int backlog, Duration keepAlive, ThreadFactory factory,
            String namePrefix, CounterFactory counters) {
        this.name = name;
        this.rejected = counters.newCounter(CounterTypes.POOL, name, "rejected");
        this.rejections = new io.vela.engine.internal.jfr.RejectionEvents(name);
        AtomicInteger n = new AtomicInteger();
        BlockingQueue<Runnable> queue = backlog == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(backlog);
        this.pool = new ThreadPoolExecutor(maxThreads, maxThreads, keepAlive.toMillis(), TimeUnit.MILLISECONDS, queue,
                r -> {
                    Thread t = factory.newThread(() -> {
                        onPoolThread.set(Boolean.TRUE);
                        r.run();
                    });
                    t.setName(namePrefix + "-" + name + "-" + n.getAndIncrement());
                    return t;
                },
                (r, ex) -> {
                    rejections.rejected(rejected.getAndAdd(1L) + 1);
                    if (ex.isShutdown()) {
                        throw new RingClosedException(name, backlog, "blocking pool '" + name + "' is shut down");
                    }
                    throw new RingFullException(name, backlog, "blocking pool '" + name + "' has " + maxThreads
                            + " busy threads and " + backlog + " waiting calls");
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * @param call a blocking call
     * @param <T>  its result type
     * @return its result, completed on a pool thread
     * @throws RingFullException when the pool and its backlog are full, or it is shut down
     */
    public <T> CompletableFuture<T> submit(Callable<T> call) {
        Call<T> c = new Call<>(call, new CompletableFuture<>());
        pool.execute(c);
        return c.future;
    }

    /** A call and the future its caller holds; a shutdown that drops it completes the future. */
    private record Call<T>(Callable<T> call, CompletableFuture<T> future) implements Runnable {
        @Override
        public void run() {
            try {
                future.complete(call.call());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }
    }

    /** @return the pool as an executor service */
    public ExecutorService executor() {
        return pool;
    }

    /** @return true when the calling thread is one of this pool's (a shutdown it calls would wait for itself) */
    public boolean isPoolThread() {
        return onPoolThread.get() != null;
    }

    /**
     * @param deadline how long to wait for running and waiting calls
     * @return what did not finish
     */
    public ShutdownReport shutdown(Duration deadline) {
        long start = System.nanoTime();
        pool.shutdown();
        boolean done;
        try {
            done = pool.awaitTermination(Threads.nanos(deadline), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        long notRun = 0;
        if (!done) {
            List<Runnable> dropped = pool.shutdownNow(); // interrupts the calls still running
            notRun = dropped.size();
            RingClosedException why = new RingClosedException(name, 0, "blocking pool '" + name
                    + "' shut down before this call ran (deadline " + deadline.toMillis() + " ms)");
            for (Runnable r : dropped) {
                if (r instanceof Call<?> c) {
                    c.future.completeExceptionally(why);
                } else if (r instanceof java.util.concurrent.Future<?> f) { // from blockingExecutor().submit
                    f.cancel(false);
                }
            }
        }
        return new ShutdownReport(name, done, notRun, Duration.ofNanos(System.nanoTime() - start));
    }

    /** @return threads running a call now (approximate; takes the pool's lock: not for hot paths) */
    public int active() {
        return pool.getActiveCount();
    }

    /** @return calls waiting for a thread */
    public int queued() {
        return pool.getQueue().size();
    }

    /** @return calls finished so far (approximate; takes the pool's lock) */
    public long completed() {
        return pool.getCompletedTaskCount();
    }

    /** @return calls refused (pool and backlog full, or shut down) */
    public long rejected() {
        return rejected.get();
    }

    /** @return the pool's threads now */
    public int threads() {
        return pool.getPoolSize();
    }

    /** @return the pool's name */
    public String name() {
        return name;
    }
}
