package io.vela.engine.actor;

/**
 * One ring worker's "next turn" slot (ADR 0008, "The next-turn slot"): while the worker runs an actor turn, an actor
 * whose idle-to-scheduled CAS this worker wins is parked here instead of going to the executor ring, and runs on
 * this worker right after the current turn ends, at most {@link #MAX_HAND_OFFS} times in a row. The slot holds the
 * newest such actor; an older one goes to the ring.
 *
 * <p>Threads: only {@link #thread}, the worker it belongs to, reads or writes its mutable fields (plain fields).
 * Allocation: one instance per worker thread, created on the worker's first actor turn; nothing per message or turn.
 */
final class TurnLoop {
    /** Most turns handed off in a row on one worker before the slot's actor goes to the ring. */
    static final int MAX_HAND_OFFS = 16;

    final Thread thread;
    /** True while {@link #thread} is inside {@link #runFrom}: the only time the slot may be filled. */
    boolean active;
    /** The actor to run next on this worker: SCHEDULED, and owned by this worker until it runs or is submitted. */
    ActorCell<?> next;

    TurnLoop(Thread thread) {
        this.thread = thread;
    }

    /**
     * Runs {@code first}'s turn, then the slot's turns iteratively, up to {@link #MAX_HAND_OFFS} hand-offs; the slot
     * is empty when this returns or throws (what remains goes to the ring).
     */
    void runFrom(ActorCell<?> first, Dispatcher dispatcher) {
        active = true;
        try {
            ActorCell<?> c = first;
            int handOffs = 0;
            while (true) {
                c.turn();
                dispatcher.helpDrain();
                c = next;
                if (c == null) {
                    return;
                }
                next = null;
                if (++handOffs > MAX_HAND_OFFS) {
                    dispatcher.submitToRing(c); // let the ring's other work run: the chain goes on behind it
                    return;
                }
            }
        } finally {
            active = false;
            ActorCell<?> left = next;
            if (left != null) { // a turn threw past its own containment, or the bound was reached mid-turn
                next = null;
                dispatcher.submitToRing(left);
            }
        }
    }

    /**
     * Parks a scheduled actor in the slot. Only {@link #thread}, while {@link #active}.
     *
     * @return the actor it displaced, which the caller submits to the ring; or null
     */
    ActorCell<?> park(ActorCell<?> cell) {
        ActorCell<?> older = next;
        next = cell;
        return older;
    }
}
