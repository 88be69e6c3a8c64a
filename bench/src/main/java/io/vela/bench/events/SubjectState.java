package io.vela.bench.events;

import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH state for one subject in one topology: made once per trial, so that only the measured bus's threads exist in
 * the fork. {@link #run} publishes a batch and waits until every subscriber has received it: the benchmarks count
 * delivered events, not enqueued ones.
 */
public abstract class SubjectState {
    /** Events per benchmark invocation. */
    public static final int BATCH = 1000;

    private final EventSubject.Factory factory;
    private final int publishers;
    private final int subscribers;
    private EventSubject subject;
    private Deliveries deliveries;

    SubjectState(EventSubject.Factory factory, int publishers, int subscribers) {
        this.factory = factory;
        this.publishers = publishers;
        this.subscribers = subscribers;
    }

    /** Starts the bus. */
    @Setup(Level.Trial)
    public void start() {
        deliveries = new Deliveries(subscribers, publishers, null);
        subject = factory.create(publishers, subscribers, deliveries);
    }

    /** Stops the bus. */
    @TearDown(Level.Trial)
    public void stop() {
        subject.close();
    }

    /**
     * Publishes {@link #BATCH} events from {@code p} and waits until every subscriber has them. Not inlined, so
     * that it is compiled once, early (docs/benchmarks.md: the JIT recompiles long benchmark methods late).
     *
     * @param p the calling publisher's state
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void run(PublisherState p) {
        Sender s = p.sender;
        EventSubject subj = subject;
        for (int i = 0; i < BATCH; i++) {
            s.value++;
            subj.publish(s);
        }
        awaitDelivered(s);
    }

    /**
     * Publishes {@link #BATCH} events from {@code p} as one batch publish and waits until every subscriber has them.
     *
     * @param p the calling publisher's state
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void runBatch(PublisherState p) {
        Sender s = p.sender;
        s.value += BATCH;
        subject.publishBatch(p.batch);
        awaitDelivered(s);
    }

    private void awaitDelivered(Sender s) {
        s.expected += BATCH;
        for (int k = 0; k < subscribers; k++) {
            while (deliveries.count(k, s.pid) < s.expected) {
                Thread.yield();
            }
        }
    }
}
