package io.vela.bench.actors;

/**
 * An actor system with one counting actor, for the tell cases: {@link #tell} sends a preallocated message from a
 * sender; the actor counts it in the {@link Tally} it was made with.
 */
interface TellSubject extends AutoCloseable {
    /** @param sender the calling sender's index (its message is preallocated) */
    void tell(int sender);

    /** Stops the actor system and waits for its threads to end. */
    @Override
    void close();

    /** Makes a subject. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param topology threads and throughput
         * @param senders  how many senders will call {@link #tell}
         * @param tally    where the actor counts
         * @return the running subject
         */
        TellSubject create(ActorTopology topology, int senders, Tally tally);
    }
}
