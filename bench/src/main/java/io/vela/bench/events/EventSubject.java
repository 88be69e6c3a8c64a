package io.vela.bench.events;

/**
 * One bus under test, wired for a topology (publishers → subscribers, all subscribers on one consumer thread).
 * {@link #publish} is called by the publisher threads; handlers count into {@link Deliveries}.
 */
interface EventSubject extends AutoCloseable {
    /** @param s the publisher's state (its id, value and scheduled send time go into the event) */
    void publish(Sender s);

    /**
     * Publishes {@code batch.length} events at once where the bus has a batch publish (Vela's
     * {@code Topic.publishAll(translator, array)}, the Disruptor's {@code publishEvents}); one by one otherwise.
     *
     * @param batch one publisher's state per event (the same object throughout: the translator reads it)
     */
    default void publishBatch(Sender[] batch) {
        for (Sender s : batch) {
            publish(s);
        }
    }

    @Override
    void close();

    /** Makes a subject. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param publishers how many publisher threads will call {@link #publish}
         * @param subscribers how many subscribers, sharing one consumer thread
         * @param deliveries where handlers count
         * @return the running subject
         */
        EventSubject create(int publishers, int subscribers, Deliveries deliveries);
    }
}
