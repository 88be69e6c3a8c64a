package io.vela.bench.transport;

import net.openhft.chronicle.wire.SelfDescribingMarshallable;
import net.openhft.chronicle.wire.WireIn;
import net.openhft.chronicle.wire.WireOut;

/**
 * The message of the {@code transport} suite: five primitive fields. Declares its wire form once, for Vela's
 * codec, in the fast form ADR 0010 recommends for hot messages: {@code writeMarshallable}/{@code readMarshallable}
 * written by hand, field by field, by name (so it still evolves: fields are matched by name, a missing one reads as
 * 0). {@link ReflectiveTick} is the same message in the reflective form.
 */
public class BenchTick extends SelfDescribingMarshallable {
    /** Instrument id. */
    public long instrument;
    /** Event time. */
    public long timestampNanos;
    /** Best bid. */
    public double bid;
    /** Best ask. */
    public double ask;
    /** Book level; negative asks the echo side to answer. */
    public int level;

    @Override
    public void writeMarshallable(WireOut wire) {
        wire.write("instrument").int64(instrument)
                .write("timestampNanos").int64(timestampNanos)
                .write("bid").float64(bid)
                .write("ask").float64(ask)
                .write("level").int32(level);
    }

    @Override
    public void readMarshallable(WireIn wire) {
        instrument = wire.read("instrument").int64();
        timestampNanos = wire.read("timestampNanos").int64();
        bid = wire.read("bid").float64();
        ask = wire.read("ask").float64();
        level = wire.read("level").int32();
    }

    /** For the codecs. */
    public BenchTick() {
    }

    /**
     * @param instrument     instrument id
     * @param timestampNanos event time
     * @param bid            best bid
     * @param ask            best ask
     * @param level          book level
     */
    public BenchTick(long instrument, long timestampNanos, double bid, double ask, int level) {
        this.instrument = instrument;
        this.timestampNanos = timestampNanos;
        this.bid = bid;
        this.ask = ask;
        this.level = level;
    }
}
