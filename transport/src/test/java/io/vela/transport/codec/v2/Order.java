package io.vela.transport.codec.v2;

import net.openhft.chronicle.wire.SelfDescribingMarshallable;

/** Version 2 of the sample message: one field more, with a default an older record leaves in place. */
public class Order extends SelfDescribingMarshallable {
    public long id;
    public String symbol;
    public double price;
    public int quantity;
    public String venue = "XLON";

    public Order() {
    }

    public Order(long id, String symbol, double price, int quantity, String venue) {
        this.id = id;
        this.symbol = symbol;
        this.price = price;
        this.quantity = quantity;
        this.venue = venue;
    }
}
