package io.vela.engine.actor;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;

/**
 * The loop of a pinned actor, run by an Agrona {@code AgentRunner} on a thread of its own with the actor's idle
 * strategy. It ends (the thread exits) right after the actor has stopped; when the loop has ended, for whatever
 * reason, {@link #onClose()} hands the actor to ordinary turns on the ring workers (late mail goes to the dead
 * letters there). A handler's interrupt is cleared after its message, or the runner would end the loop. Allocates
 * nothing per message.
 */
final class PinnedAgent implements Agent {
    private final ActorCell<?> cell;
    private final int throughput;

    PinnedAgent(ActorCell<?> cell, int throughput) {
        this.cell = cell;
        this.throughput = throughput;
    }

    @Override
    public void onStart() {
        cell.runningOn = Thread.currentThread();
    }

    @Override
    public int doWork() {
        int work = cell.process(throughput);
        if (cell.lifeState() == ActorCell.STOPPED) {
            throw new AgentTerminationException(); // onClose hands over to the ring workers
        }
        return work;
    }

    /** The loop has ended, whatever the reason: from now on ring-worker turns serve the actor (late mail). */
    @Override
    public void onClose() {
        cell.pinnedLoopEnded();
    }

    @Override
    public String roleName() {
        return "actor" + cell.path;
    }
}
