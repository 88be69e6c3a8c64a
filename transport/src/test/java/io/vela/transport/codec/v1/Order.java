package io.vela.transport.codec.v1;

import net.openhft.chronicle.wire.SelfDescribingMarshallable;

/** Version 1 of a sample message: what an older process knows. */
public class Order extends SelfDescribingMarshallable {
    public long id;
    public String symbol;
    public double price;
    public int quantity;

    public Order() {
    }

    public Order(long id, String symbol, double price, int quantity) {
        this.id = id;
        this.symbol = symbol;
        this.price = price;
        this.quantity = quantity;
    }
}
