package io.vela.engine.internal;

import java.util.Arrays;

/**
 * The submitter lanes one worker reads (ADR 0015): each lane is a single-producer ring written by one submitter
 * thread and read by this worker only, so neither side runs a CAS per task (the worker claims a batch of up to
 * {@value ExecutorWorker#MAX_CLAIM} slots with one uncontended CAS, which the shutdown sweep needs).
 *
 * <p>Threads: {@link #runAll}, {@link #hasWork} and {@link #drainAll} only on the worker's thread; {@link #add} and
 * {@link #remove} on any thread (copy-on-write under this object's lock). Allocates nothing per task; adding or
 * retiring a lane copies the array.
 */
final class LaneConsumer {
    private static final SubmitterLane[] NONE = new SubmitterLane[0];

    private final ExecutorWorker worker;
    /** Whether the last {@link #runAll} took every filled slot of the lanes it ran (the worker's thread only). */
    private boolean caughtUp;
    /** How many slots the last {@link #runAll} took (the worker's thread only). */
    private long taken;
    private volatile SubmitterLane[] lanes = NONE;

    LaneConsumer(ExecutorWorker worker) {
        this.worker = worker;
    }

    /**
     * Looks at the lanes' next slots' stamps ({@link SubmitterLane#hasWork}), not their cursors; a look that finds
     * nothing counts for the worker's streaming detection ({@link Streaming}).
     *
     * @return true if some lane has a filled slot this worker has not run, or was released (to retire it)
     */
    boolean hasWork() {
        for (SubmitterLane lane : lanes) {
            if (lane.hasWork()) {
                return true;
            }
        }
        if (worker.emptyLooks < Streaming.LOOKS) { // saturates: an idle worker looks billions of times
            worker.emptyLooks++;
        }
        return false;
    }

    /**
     * Runs one batch from every lane that has filled slots, and retires released lanes it finds empty.
     *
     * @return true if it ran (or skipped) any slot; {@link #caughtUp()} then says whether it took everything filled
     */
    boolean runAll() {
        SubmitterLane[] ls = lanes;
        boolean ran = false;
        boolean allTaken = true;
        long took = 0;
        for (SubmitterLane lane : ls) {
            long next = lane.consumed.get() + 1;
            long end = lane.runnableFrom(next, ExecutorWorker.MAX_CLAIM);
            if (end >= next) {
                runBatch(lane, next, end);
                ran = true;
                allTaken &= end - next + 1 < ExecutorWorker.MAX_CLAIM;
                took += end - next + 1;
            } else if (lane.released && lane.ring.getCursor() <= lane.consumed.get()) {
                // its owner published nothing after releasing it, and all of it has run; consumed may be past the
                // cursor: a slot run on its stamp whose publish an Error cut off (it never comes now)
                lane.retire();
            }
            if (worker.halt) {
                return ran;
            }
        }
        caughtUp = allTaken;
        taken = took;
        return ran;
    }

    /** @return how many slots the last {@link #runAll} took (run or skipped) */
    long taken() {
        return taken;
    }

    /** @return whether the last {@link #runAll} that ran something took every slot that was filled */
    boolean caughtUp() {
        return caughtUp;
    }

    /**
     * After the executor closed: runs every slot claimed on each lane up to the lane's last announced claim as read
     * now, waiting for its owner's publish if it has not landed yet (the close protocol of ADR 0015), until a read
     * finds nothing new. Returns early when halted: the shutdown sweep then takes what is left.
     */
    void drainAll() {
        for (SubmitterLane lane : lanes) {
            while (!worker.halt) {
                long next = lane.consumed.get() + 1;
                long last = lane.lastClaimed.get();
                if (last < next) {
                    break;
                }
                long published = lane.awaitPublished(last, worker, Long.MAX_VALUE);
                if (published < next) {
                    break; // halted, or only an abandoned slot is left
                }
                runBatch(lane, next, published);
            }
            if (worker.halt) {
                return;
            }
        }
    }

    private void runBatch(SubmitterLane lane, long next, long available) {
        worker.runBatch(lane.ring, lane.consumed, lane.claimed, lane.position, true, next,
                Math.min(available, next + ExecutorWorker.MAX_CLAIM - 1));
    }

    /** @return how many lanes this worker reads */
    int size() {
        return lanes.length;
    }

    /** @return the lanes, for the shutdown sweep */
    SubmitterLane[] lanes() {
        return lanes;
    }

    synchronized void add(SubmitterLane lane) {
        SubmitterLane[] ls = Arrays.copyOf(lanes, lanes.length + 1);
        ls[ls.length - 1] = lane;
        lanes = ls;
    }

    synchronized void remove(SubmitterLane lane) {
        SubmitterLane[] ls = lanes;
        for (int i = 0; i < ls.length; i++) {
            if (ls[i] == lane) {
                SubmitterLane[] copy = new SubmitterLane[ls.length - 1];
                System.arraycopy(ls, 0, copy, 0, i);
                System.arraycopy(ls, i + 1, copy, i, ls.length - i - 1);
                lanes = copy;
                return;
            }
        }
    }
}
