package io.vela.transport.codec.hand;

import net.openhft.chronicle.wire.SelfDescribingMarshallable;
import net.openhft.chronicle.wire.ValueIn;
import net.openhft.chronicle.wire.WireIn;
import net.openhft.chronicle.wire.WireOut;

/** Version 2 of {@link Quote1}: a field added in the middle, read by name with a default when absent. */
public class Quote2 extends SelfDescribingMarshallable {
    public long id;
    public int size = 100;
    public double price;

    @Override
    public void writeMarshallable(WireOut wire) {
        wire.write("id").int64(id).write("size").int32(size).write("price").float64(price);
    }

    @Override
    public void readMarshallable(WireIn wire) {
        id = wire.read("id").int64();
        ValueIn size = wire.read("size");
        this.size = size.isPresent() ? size.int32() : 100; // an older record has no size: keep the default
        price = wire.read("price").float64();
    }
}
