package io.vela.bench.transport;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * Subject {@code chronicle-raw}: the same five fields marshalled by hand on Chronicle {@code Bytes}, positionally,
 * with no field names (so no schema evolution): the floor for Chronicle-based encoding.
 */
public final class RawTick implements BytesMarshallable {
    long instrument;
    long timestampNanos;
    double bid;
    double ask;
    int level;

    @Override
    public void readMarshallable(BytesIn<?> in) {
        instrument = in.readLong();
        timestampNanos = in.readLong();
        bid = in.readDouble();
        ask = in.readDouble();
        level = in.readInt();
    }

    @Override
    public void writeMarshallable(BytesOut<?> out) {
        out.writeLong(instrument);
        out.writeLong(timestampNanos);
        out.writeDouble(bid);
        out.writeDouble(ask);
        out.writeInt(level);
    }
}
