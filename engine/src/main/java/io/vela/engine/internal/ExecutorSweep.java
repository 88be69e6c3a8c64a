package io.vela.engine.internal;

import com.lmax.disruptor.RingBuffer;
import io.vela.engine.RingClosedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shutdown sweep of a {@link RingExecutorImpl}: after its workers are halted, takes every accepted slot no worker
 * has started, oldest first, so that no worker will run it (ADR 0006). Runs once per executor, on the thread that
 * calls {@code shutdownNow} or whose {@code shutdown(deadline)} missed its deadline; a second call finds nothing, so
 * no task is returned or reported twice. Allocates the returned list.
 *
 * <ul>
 *   <li>Unkeyed slots shared by several workers are taken with the claim CAS the workers use.</li>
 *   <li>A worker's own slots (its keyed slots, or every slot of a lone worker) are taken up to what it claimed, past
 *       the position it last announced, once the positions have stopped moving and are frozen (see
 *       {@code ExecutorWorker.runBatch}).</li>
 *   <li>A submitter lane's slots (ADR 0015) are taken the same way as a worker's own slots (the lane's claim
 *       sequence and announced position), up to the lane's last announced claim; a claim announced but not yet
 *       published is waited for like a claimed slot of the shared ring, then taken if filled (its stamp: the worker
 *       polls stamps, ADR 0017) or given up on ({@code SubmitterLane.giveUpFrom}: a resumed owner withdraws it). A
 *       publisher that saw the close publishes its slot as cancelled, which is skipped.</li>
 *   <li>A slot claimed by a publisher but not yet published is waited for (until the deadline), never read early.
 *       Between its claim and its publish a publisher runs no user code, so the wait is a few instructions long
 *       unless its thread is descheduled, or it failed there with an {@code Error}, in which case the slot is
 *       recovered as cancelled. A slot still unpublished at the deadline is counted as unknown: neither returned nor
 *       read; if its publisher goes on to publish it, the publisher sees the close and withdraws it (its call is
 *       refused), so the task is not accepted and then left unrun ({@code RingExecutorImpl.giveUpOn}). Such a slot
 *       is therefore not counted among the report's accepted tasks not run (it is logged).</li>
 * </ul>
 */
final class ExecutorSweep {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorSweep.class);

    private final RingExecutorImpl executor;
    private final RingBuffer<TaskSlot> ring;
    private final ExecutorWorker[] workers;
    private final ClaimSequence unkeyedClaims;
    private final AtomicBoolean done = new AtomicBoolean();

    ExecutorSweep(RingExecutorImpl executor, RingBuffer<TaskSlot> ring, ExecutorWorker[] workers,
            ClaimSequence unkeyedClaims) {
        this.executor = executor;
        this.ring = ring;
        this.workers = workers;
        this.unkeyedClaims = unkeyedClaims;
    }

    /**
     * What a sweep took.
     *
     * @param left    tasks to return or report, each a {@link NotRun}
     * @param unknown claimed slots never published by the deadline (given up on: their publishers are refused)
     */
    record Swept(List<Runnable> left, long unknown) {
        /**
         * Completes the future of every task taken: the executor's own ({@code submit}), or the task itself when it
         * is a future (a fired timer, a {@code FutureTask} of {@code invokeAll}), or what a {@link MustComplete}
         * task completes.
         */
        void failAll(RingClosedException why) {
            for (Runnable r : left) {
                NotRun n = (NotRun) r;
                if (n.future != null) {
                    n.future.completeExceptionally(why);
                } else if (n.body instanceof Future<?> f) {
                    f.cancel(false);
                } else {
                    notRun(n.body);
                }
            }
        }

        /**
         * For {@code shutdownNow}, which returns the tasks: tells each {@link MustComplete} task that it was not run
         * (its caller may drop the list; whoever waits on what the task completes must not wait forever).
         */
        void notRunAll() {
            for (Runnable r : left) {
                notRun(((NotRun) r).body);
            }
        }

        private static void notRun(Runnable body) {
            if (body instanceof MustComplete m) {
                try {
                    m.notRun();
                } catch (Throwable t) {
                    Logging.errorQuietly(LOG, "A task's notRun() threw while the executor shut down", t);
                }
            }
        }
    }

    /** A task returned by {@code shutdownNow}: runs what the slot held. */
    record NotRun(Runnable body, CompletableFuture<Object> future) implements Runnable {
        @Override
        public void run() {
            body.run();
        }
    }

    /**
     * @param end a {@link System#nanoTime()} deadline for waiting on moving positions and unpublished slots
     * @return what the first call took; nothing for any later call
     */
    Swept once(long end) {
        if (!done.compareAndSet(false, true)) {
            return new Swept(List.of(), 0);
        }
        return sweep(end);
    }

    private Swept sweep(long end) {
        SubmitterLane[] lanes = executor.lanes();
        SlotAnnouncement[] all = new SlotAnnouncement[workers.length + lanes.length];
        for (int i = 0; i < workers.length; i++) {
            all[i] = workers[i].position;
        }
        for (int i = 0; i < lanes.length; i++) {
            all[workers.length + i] = lanes[i].position;
        }
        long[] announced = freezePositions(all, end);
        // a worker stood in for (ADR 0019): its keyed tasks up to the cover are in its backlog, taken here in order
        List<Runnable> left = new ArrayList<>();
        long[] covered = new long[workers.length];
        List<StandIn.Moved> moved = new ArrayList<>();
        for (int i = 0; i < workers.length; i++) {
            moved.clear();
            covered[i] = workers[i].standIn.takeForSweep(moved);
            for (StandIn.Moved m : moved) {
                left.add(new NotRun(asRunnable(m), m.future()));
            }
        }
        long min = Long.MAX_VALUE;
        for (ExecutorWorker w : workers) {
            min = Math.min(min, Math.max(w.sequence.get(), covered[w.index]));
        }
        long cursor = ring.getCursor();
        long unknown = 0;
        IdleStrategy idle = FullRingBackoff.get();
        for (long seq = min + 1; seq <= cursor; seq++) {
            idle.reset();
            while (!ring.isAvailable(seq) && !executor.recoverAbandoned(seq) && System.nanoTime() - end < 0) {
                idle.idle();
            }
            if (!ring.isAvailable(seq) && executor.giveUpOn(seq)) { // else published meanwhile: taken below
                unknown++;
                LOG.warn("Ring '{}': slot {} stayed claimed but unpublished through the shutdown; its publisher "
                        + "is refused if it resumes", executor.name(), seq);
                continue;
            }
            TaskSlot slot = ring.get(seq);
            int o = slot.owner;
            boolean take;
            if (o == TaskSlot.CANCELLED) {
                take = false;
            } else if (o == TaskSlot.ANY_WORKER && workers.length > 1) {
                take = unkeyedClaims.claim(seq);
            } else { // claimed by its worker already: the sweep's unless announced
                int wi = o == TaskSlot.ANY_WORKER ? 0 : o;
                take = seq > covered[wi] && (workers[wi].own.claim(seq) || seq > announced[wi]);
            }
            if (take) {
                left.add(new NotRun(slot.asRunnable(), slot.future));
            }
        }
        for (int i = 0; i < lanes.length; i++) {
            unknown += sweepLane(lanes[i], announced[workers.length + i], left, end);
        }
        return new Swept(left, unknown);
    }

    private static Runnable asRunnable(StandIn.Moved m) {
        TaskSlot copy = new TaskSlot();
        copy.task = m.task();
        copy.callable = m.callable();
        copy.future = m.future();
        return copy.asRunnable();
    }

    /**
     * Takes a lane's published slots its (halted) worker has not started, up to the lane's last announced claim as
     * read now, after waiting (until {@code end}) for its owner to publish it. Slots still unpublished at the
     * deadline are taken if filled (their stamp; the worker may have run them already), and from the first one not
     * filled on given up ({@link SubmitterLane#giveUpFrom}: if the owner resumes, it withdraws them and is refused)
     * and counted as unknown; one its owner abandoned (an {@code Error}) is not counted; a slot
     * published as cancelled is skipped (its owner was refused).
     *
     * @return how many claimed slots stayed unpublished through the deadline
     */
    private long sweepLane(SubmitterLane lane, long announced, List<Runnable> left, long end) {
        long last = lane.lastClaimed.get();
        long published = lane.awaitPublished(last, null, end);
        long unknown = 0;
        if (published < last) {
            long upTo = lane.giveUpFrom(published + 1, last); // its owner withdraws the slots after upTo
            if (lane.abandoned != last) {
                unknown = last - upTo;
            }
            published = upTo;
        }
        if (unknown > 0) {
            LOG.error("Ring '{}': {} slot(s) of a submitter lane of thread '{}' stayed claimed but unpublished "
                    + "through the shutdown; their owner's call is refused if it resumes", executor.name(), unknown,
                    lane.owner.getName());
        }
        for (long seq = lane.consumed.get() + 1; seq <= published; seq++) {
            TaskSlot slot = lane.ring.get(seq);
            if (slot.stampAcquire() == seq && (lane.claimed.claim(seq) || seq > announced)) {
                left.add(new NotRun(slot.asRunnable(), slot.future));
            }
        }
        return unknown;
    }

    /**
     * Reads each worker's announced position until none moved for a millisecond (at least one millisecond, then
     * until {@code end}), then freezes each with a CAS: a worker that announced a slot and then saw the halt can
     * withdraw it only before the freeze; after it, the sweep counts that slot as started and the worker runs it.
     *
     * @return the frozen positions
     */
    private static long[] freezePositions(SlotAnnouncement[] all, long end) {
        while (true) {
            long[] pos = positions(all);
            for (int round = 0; round < 100; round++) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                long[] again = positions(all);
                boolean stable = Arrays.equals(pos, again);
                pos = again;
                if (stable || System.nanoTime() - end >= 0) {
                    break;
                }
            }
            boolean frozen = true;
            for (int i = 0; i < all.length && frozen; i++) {
                frozen = all[i].freeze(pos[i]);
            }
            if (frozen) {
                return pos;
            }
        }
    }

    private static long[] positions(SlotAnnouncement[] all) {
        long[] pos = new long[all.length];
        for (int i = 0; i < all.length; i++) {
            pos[i] = all[i].position();
        }
        return pos;
    }
}
