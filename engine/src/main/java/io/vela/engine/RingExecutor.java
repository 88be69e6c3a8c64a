package io.vela.engine;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * An {@link ExecutorService} whose task path is a Disruptor ring: no {@code java.util.concurrent} queue between
 * submitter and worker.
 *
 * <ul>
 *   <li>Unkeyed tasks go to whichever worker reaches them first, so one long task does not hold back unrelated
 *       tasks behind it (ADR 0001).</li>
 *   <li>Keyed tasks ({@link #executeKeyed(long, Runnable)}): tasks with the same key run in submission order and never
 *       concurrently; different keys spread across workers.</li>
 *   <li>A full ring follows the executor's {@link OverflowPolicy}.</li>
 *   <li>{@link #execute(Runnable)} of a prebuilt task allocates nothing.</li>
 * </ul>
 *
 * A thread that submits many tasks can take a {@link TaskSubmitter} ({@link #newSubmitter()}): a lane of its own,
 * with no CAS per task.
 *
 * <p>Thread safety: every method may be called from any thread. A submission that returns normally was accepted: the
 * task runs once, or is returned by {@code shutdownNow()}, or is reported by a shutdown that missed its deadline. One
 * that throws a {@link RingRejectedException} was refused and never runs. One that throws an {@code Error} (a
 * {@code StackOverflowError} in the submitting thread) has an unknown outcome: the task runs at most once.
 */
public interface RingExecutor extends ExecutorService, AutoCloseable {

    /**
     * Offers {@code task} without waiting and without throwing on refusal, whatever the overflow policy: for hot
     * paths that handle a full ring themselves. Allocates nothing.
     *
     * @param task the task
     * @return {@link OfferResult#ACCEPTED}, or why not ({@code FULL}, {@code CLOSED})
     */
    OfferResult tryExecute(Runnable task);

    /**
     * {@link #tryExecute(Runnable)} for a keyed task: if accepted, it runs after every earlier task with the same
     * key, and never alongside one. Allocates nothing.
     *
     * @param key  the ordering key
     * @param task the task
     * @return {@link OfferResult#ACCEPTED}, or why not ({@code FULL}, {@code CLOSED})
     */
    OfferResult tryExecuteKeyed(long key, Runnable task);

    /**
     * Runs {@code task} after every earlier task with the same key, and never alongside one. Allocates nothing.
     *
     * @param key  the ordering key
     * @param task the task
     * @throws RingFullException when the ring refuses it
     */
    void executeKeyed(long key, Runnable task);

    /**
     * Keyed execution by object key: {@link Object#hashCode()} decides the worker, evaluated before anything is
     * claimed (a {@code null} key or a throwing {@code hashCode} is the caller's exception and leaves the ring as it
     * was). Boxed integral keys ({@code Long}, {@code Integer}, {@code Short}, {@code Byte}) count by value: they
     * share an order with the same value passed to {@link #executeKeyed(long, Runnable)}.
     *
     * @param key  the ordering key
     * @param task the task
     * @throws RingFullException when the ring refuses it
     */
    void executeKeyed(Object key, Runnable task);

    /**
     * @param key  the ordering key
     * @param task the task
     * @param <T>  result type
     * @return the task's result
     * @throws RingFullException when the ring refuses it
     */
    <T> CompletableFuture<T> submitKeyed(Object key, Callable<T> task);

    /**
     * @param key  the ordering key (the same order as {@link #executeKeyed(long, Runnable)} with this key)
     * @param task the task
     * @param <T>  result type
     * @return the task's result
     * @throws RingFullException when the ring refuses it
     */
    <T> CompletableFuture<T> submitKeyed(long key, Callable<T> task);

    @Override
    <T> CompletableFuture<T> submit(Callable<T> task);

    @Override
    CompletableFuture<?> submit(Runnable task);

    @Override
    <T> CompletableFuture<T> submit(Runnable task, T result);

    /**
     * Makes a submitting handle bound to the calling thread, with its own single-producer lane of
     * {@code executor.lane-size} slots read by one worker (the one with fewest lanes): no CAS per unkeyed task
     * (ADR 0015). Close it when the thread stops submitting; the executor's close drains and releases any lane left
     * open.
     *
     * @return the handle
     * @throws RingClosedException when the executor is shut down
     */
    TaskSubmitter newSubmitter();

    /** @return live counters of this executor's ring */
    RingStats stats();

    /**
     * Stops accepting, runs everything already accepted, stops the workers; gives up after {@code deadline}.
     *
     * @param deadline how long to wait for accepted tasks
     * @return what ran and what did not
     */
    ShutdownReport shutdown(Duration deadline);

    /** Shuts down with no deadline: returns once every accepted task has run. */
    @Override
    void close();
}
