package io.vela.engine.internal;

/**
 * A worker's pause after it caught up with a submitter that is streaming tasks (ADR 0017; measured in ADR 0015,
 * "Figures").
 *
 * <p>With one submitter and a worker that runs tasks faster than they are submitted, the worker catches up after
 * every task and then polls the slot (or availability flag) the submitter writes next. Each poll takes that cache
 * line away from the submitter, and the submitter's close protocol (a store-load fence per task: a volatile store on
 * a lane, a CAS on the shared ring) then waits for the line to come back before it can go on — about as long as the
 * task's own cost again (issue #12). So when the worker sees that the next task was already there after fewer than
 * {@link #LOOKS} looks (the submitter is streaming), and it has taken everything there was, it stays away from the
 * rings for {@link #PAUSE_NANOS} and then takes the run the submitter filled meanwhile, in one batch. A submitter
 * that waits for each task (a round trip) makes the worker look many times between tasks, so it never triggers
 * the pause: a lone task is seen as soon as it is published. After a pause the worker always finds the next task at
 * once, so there the test is what the pause found: a run of {@link #AFTER_PAUSE} slots or more keeps it pausing, a
 * single task (a round trip that happened to look like a stream) ends it, and later single tasks found at once do
 * not restart it until a run of {@link #AFTER_PAUSE} or a look that finds nothing (a task that submits its own
 * continuation, one in flight, is found at the first look after every batch: it would pause after every other one).
 *
 * <p>The event bus's lossless consumers do the same behind a streaming publisher (ADR 0017, "Bus consumers"): a
 * publisher is a submitter, a consumer a worker, and a single-publisher topic's close fence waits for the ring's
 * cursor line the consumer polls.
 *
 * <p>Called on a worker's or a bus consumer's thread only; touches no shared state; allocates nothing.
 */
public final class Streaming {
    /** Fewer looks than this between two batches means the submitter is streaming. */
    public static final int LOOKS = 2;
    /** Right after a pause, finding fewer slots than this means the submitter is not streaming (any more). */
    public static final int AFTER_PAUSE = 2;
    /** How long the worker stays off the rings after catching up with a streaming submitter. */
    public static final long PAUSE_NANOS = 200;

    private Streaming() {
    }

    /** Spins for {@link #PAUSE_NANOS} without reading anything another thread writes. */
    public static void pause() {
        long until = System.nanoTime() + PAUSE_NANOS;
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }
}
