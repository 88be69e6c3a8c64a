package io.vela.bench.transport;

import net.openhft.chronicle.wire.SelfDescribingMarshallable;

/**
 * Subject {@code vela-reflective}: {@link BenchTick}'s five fields with the wire form Chronicle derives by
 * reflection (no hand-written methods): the convenient form.
 */
public class ReflectiveTick extends SelfDescribingMarshallable {
    /** Instrument id. */
    public long instrument;
    /** Event time. */
    public long timestampNanos;
    /** Best bid. */
    public double bid;
    /** Best ask. */
    public double ask;
    /** Book level. */
    public int level;
}
