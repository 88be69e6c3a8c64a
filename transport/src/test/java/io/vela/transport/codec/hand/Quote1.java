package io.vela.transport.codec.hand;

import net.openhft.chronicle.wire.SelfDescribingMarshallable;
import net.openhft.chronicle.wire.WireIn;
import net.openhft.chronicle.wire.WireOut;

/** Version 1 of a message whose wire form is written by hand, field by field, by name (the fast form). */
public class Quote1 extends SelfDescribingMarshallable {
    public long id;
    public double price;

    @Override
    public void writeMarshallable(WireOut wire) {
        wire.write("id").int64(id).write("price").float64(price);
    }

    @Override
    public void readMarshallable(WireIn wire) {
        id = wire.read("id").int64();
        price = wire.read("price").float64();
    }
}
