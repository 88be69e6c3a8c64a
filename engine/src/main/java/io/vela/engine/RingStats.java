package io.vela.engine;

/**
 * Live counters of one ring, readable from any thread at any time without locks or allocation. Each call reads
 * the current value; values read one after another are not a consistent snapshot.
 */
public interface RingStats {
    /** @return the ring's name, as used in thread names and errors */
    String name();

    /** @return slots in the ring */
    int capacity();

    /** @return items accepted into the ring */
    long published();

    /** @return items taken off the ring and handled (including those whose handler threw) */
    long completed();

    /** @return items refused: ring full under the overflow policy, or ring shut down */
    long rejected();

    /** @return items whose handler threw */
    long failed();

    /** @return free slots right now */
    long remainingCapacity();

    /** @return the most items one consumer took in one batch */
    long largestBatch();
}
