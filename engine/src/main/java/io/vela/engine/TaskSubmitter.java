package io.vela.engine;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A submitting handle of a {@link RingExecutor} bound to the thread that made it ({@link RingExecutor#newSubmitter()}):
 * the fast path for a thread that submits many tasks (ADR 0015).
 *
 * <ul>
 *   <li>Unkeyed tasks ({@link #execute}, {@link #tryExecute}, {@link #submit}) go into the handle's own
 *       single-producer lane, read by one worker of the executor: no CAS per task on either side. They run in
 *       submission order relative to each other on that worker, but may run before or after tasks given to the
 *       executor itself or to other submitters.</li>
 *   <li>Keyed tasks go to the executor's shared ring, exactly as {@link RingExecutor#executeKeyed(long, Runnable)}
 *       would: one total order per key across all submitters needs the shared ring (a lane cannot give it without a
 *       global stamp per task). So a handle's keyed and unkeyed tasks are not ordered with each other.</li>
 *   <li>A full lane follows the executor's {@link OverflowPolicy}; {@link #tryExecute} never waits.</li>
 *   <li>{@link #execute} and {@link #tryExecute} of a prebuilt task allocate nothing; {@link #submit} allocates its
 *       future.</li>
 *   <li>A submitter made on one of the executor's own worker threads has no lane (a worker must never wait on a
 *       lane that a worker reads): it passes every task to the executor.</li>
 * </ul>
 *
 * Thread safety: only the thread that made it may call it; any other thread gets a
 * {@link SubmitterThreadException}, before anything is submitted. The exception is {@link #close()}, which another
 * thread may call once the owner thread has ended. The executor's close protocol holds for lanes too: a submission
 * that returns normally was accepted (it runs once, or is returned by {@code shutdownNow()}, or is reported by a
 * shutdown that missed its deadline); one that throws a {@link RingRejectedException} was refused and never runs. A
 * submission racing the executor's close learns which at once: it never waits for a worker (only for a full lane,
 * under a blocking overflow policy).
 */
public interface TaskSubmitter extends Executor, AutoCloseable {

    /**
     * Runs {@code task} on the lane's worker. Allocates nothing.
     *
     * @param task the task
     * @throws RingFullException   when the lane stays full under the executor's overflow policy
     * @throws RingClosedException when the executor or this submitter is closed
     */
    @Override
    void execute(Runnable task);

    /**
     * Offers {@code task} without waiting and without throwing on refusal, whatever the overflow policy. Allocates
     * nothing.
     *
     * @param task the task
     * @return {@link OfferResult#ACCEPTED}, or why not ({@code FULL}, {@code CLOSED})
     */
    OfferResult tryExecute(Runnable task);

    /**
     * Offers {@code tasks[offset .. offset + length)} as one batch, without waiting: claims as many slots as the lane
     * has free (at most {@code length}), fills and publishes them at once, and pays the close protocol's fence once
     * for the batch instead of once per task. The tasks accepted are always a prefix of the range, in order.
     * Allocates nothing.
     *
     * @param tasks  the tasks (none may be {@code null})
     * @param offset the first task to offer
     * @param length how many to offer
     * @return how many tasks, from {@code offset} on, were accepted: fewer than {@code length} when the lane had
     *         fewer free slots, 0 when it was full or the executor or this submitter is closed
     *         ({@link RingExecutor#isShutdown()} tells which)
     * @throws NullPointerException      if a task in the range is {@code null} (nothing was offered)
     * @throws IndexOutOfBoundsException if the range is not within {@code tasks}
     */
    int tryExecuteAll(Runnable[] tasks, int offset, int length);

    /**
     * @param task the task
     * @param <T>  result type
     * @return the task's result
     * @throws RingRejectedException when refused
     */
    <T> CompletableFuture<T> submit(Callable<T> task);

    /**
     * {@link RingExecutor#executeKeyed(long, Runnable)}: through the shared ring, in one order with every other
     * submission of the same key.
     *
     * @param key  the ordering key
     * @param task the task
     */
    void executeKeyed(long key, Runnable task);

    /**
     * {@link RingExecutor#executeKeyed(Object, Runnable)}: through the shared ring.
     *
     * @param key  the ordering key
     * @param task the task
     */
    void executeKeyed(Object key, Runnable task);

    /**
     * {@link RingExecutor#submitKeyed(long, Callable)}: through the shared ring.
     *
     * @param key  the ordering key
     * @param task the task
     * @param <T>  result type
     * @return the task's result
     */
    <T> CompletableFuture<T> submitKeyed(long key, Callable<T> task);

    /**
     * {@link RingExecutor#submitKeyed(Object, Callable)}: through the shared ring.
     *
     * @param key  the ordering key
     * @param task the task
     * @param <T>  result type
     * @return the task's result
     */
    <T> CompletableFuture<T> submitKeyed(Object key, Callable<T> task);

    /** @return the thread this submitter is bound to */
    Thread owner();

    /**
     * Releases the lane: tasks already submitted still run, later calls are refused with
     * {@link RingClosedException}. Idempotent. Call it from the owner thread, or from any thread once the owner
     * has ended (a thread that ends without closing its submitter keeps its lane until the executor closes, which
     * drains and releases it; making a new submitter also releases the lanes of ended threads once they are
     * drained).
     *
     * @throws SubmitterThreadException when called from another thread while the owner is alive
     */
    @Override
    void close();
}
