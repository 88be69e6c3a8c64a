package io.vela.bench.transport;

/** Subject {@code jackson}'s message: the same five public fields as {@link BenchTick}, on a plain class. */
public final class JacksonTick {
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
