package io.vela.transport.aeron;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter written by one thread at a time and read by any, alone on its cache line: the value sits in the middle
 * of a 15-long array, so a per-message increment on a sending thread does not keep invalidating the line of
 * fields another thread (the poller) reads and writes per message. Allocates nothing after construction.
 */
final class PaddedCounter {
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int SLOT = 7;

    private final long[] cells = new long[2 * SLOT + 1];

    /** Single writer: adds one with a release store. */
    void increment() {
        CELLS.setRelease(cells, SLOT, (long) CELLS.getOpaque(cells, SLOT) + 1);
    }

    /** @return the value (any thread) */
    long get() {
        return (long) CELLS.getAcquire(cells, SLOT);
    }
}
