package io.vela.bench.events;

/** A preallocated ring slot (Vela topic, raw Disruptor): who sent it, a value, and when it was scheduled to be sent. */
public final class BenchEvent {
    int publisher;
    long value;
    long sendNanos;

    /** Fills a slot from a publisher's state; allocates nothing. */
    static void fill(BenchEvent slot, Sender s) {
        slot.publisher = s.pid;
        slot.value = s.value;
        slot.sendNanos = s.sendNanos;
    }
}
