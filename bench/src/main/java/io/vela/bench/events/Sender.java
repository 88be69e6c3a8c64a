package io.vela.bench.events;

/** One publisher's state: its id, a running value, the scheduled send time, and how many events it expects delivered. */
public final class Sender {
    final int pid;
    long value;
    long sendNanos;
    long expected;

    Sender(int pid) {
        this.pid = pid;
    }
}
