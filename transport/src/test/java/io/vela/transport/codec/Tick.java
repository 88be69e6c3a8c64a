package io.vela.transport.codec;

import net.openhft.chronicle.wire.SelfDescribingMarshallable;

/** A sample message of primitives only: encodes and decodes into a reused target without allocating. */
public class Tick extends SelfDescribingMarshallable {
    public long instrument;
    public long timestampNanos;
    public double bid;
    public double ask;
    public int level;

    public Tick() {
    }

    public Tick(long instrument, long timestampNanos, double bid, double ask, int level) {
        this.instrument = instrument;
        this.timestampNanos = timestampNanos;
        this.bid = bid;
        this.ask = ask;
        this.level = level;
    }
}
