package io.vela.transport.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vela.transport.codec.v2.Order;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WireMessageCodecTest {
    static WireMessageCodec codec(WireFormat format) {
        return WireMessageCodec.builder().register(Order.class, 7).register(Tick.class, 8).format(format).build();
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void roundTripsEveryRegisteredType(WireFormat format) {
        WireMessageCodec codec = codec(format);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        Order order = new Order(42, "VOD.L", 101.25, 300, "XPAR");
        int n = codec.encode(order, buffer, 10, 1000);
        assertTrue(n > WireMessageCodec.HEADER_LENGTH, "record length " + n);
        Object back = codec.decode(buffer, 10, n);
        assertNotSame(order, back);
        assertEquals(order, back);
        assertEquals(Order.class, codec.typeOf(buffer, 10, n));

        Tick tick = new Tick(3, 123456789L, 1.5, 1.75, 2);
        int m = codec.encode(tick, buffer, 500, 500);
        assertEquals(tick, codec.decode(buffer, 500, m));
        assertEquals(8, codec.typeId(Tick.class));
    }

    @Test
    void decodeIntoReusesTheTargetAndResetsFieldsTheRecordLacks() {
        WireMessageCodec v1 = WireMessageCodec.builder().register(io.vela.transport.codec.v1.Order.class, 7).build();
        WireMessageCodec v2 = codec(WireFormat.BINARY);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        int n = v1.encode(new io.vela.transport.codec.v1.Order(1, "A", 2.0, 3), buffer, 0, 512);
        Order target = new Order(9, "Z", 9.0, 9, "OLD");
        assertSame(target, v2.decode(buffer, 0, n, target));
        assertEquals(new Order(1, "A", 2.0, 3, "XLON"), target);
    }

    @Test
    void decodeIntoATargetOfAnotherTypeIsRefused() {
        WireMessageCodec codec = codec(WireFormat.BINARY);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        int n = codec.encode(new Tick(1, 2, 3, 4, 5), buffer, 0, 512);
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(buffer, 0, n, new Order()));
        assertEquals("Tick", e.typeName());
    }

    @Test
    void anUnregisteredTypeIsRefusedByName() {
        WireMessageCodec codec = codec(WireFormat.BINARY);
        CodecException e = assertThrows(CodecException.class,
                () -> codec.encode(new io.vela.transport.codec.v1.Order(), new ExpandableArrayBuffer(), 0, 100));
        assertEquals(io.vela.transport.codec.v1.Order.class.getName(), e.typeName());
        assertTrue(e.getMessage().contains("Order=7"), e.getMessage());
    }

    @Test
    void aRecordThatDoesNotFitIsRefusedWithoutWritingPastCapacity() {
        WireMessageCodec codec = codec(WireFormat.BINARY);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        CodecException e = assertThrows(CodecException.class,
                () -> codec.encode(new Order(1, "x".repeat(200), 1, 1, "v"), buffer, 0, 64));
        assertEquals("Order", e.typeName());
        assertEquals(64, e.offset());
        for (int i = 0; i < 64; i++) {
            assertEquals(0, buffer.getByte(i), "byte " + i + " written");
        }
    }

    @Test
    void aRecordInAnotherFormatIsRefusedNamingBoth() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        int n = codec(WireFormat.YAML).encode(new Tick(1, 2, 3, 4, 5), buffer, 0, 512);
        CodecException e = assertThrows(CodecException.class, () -> codec(WireFormat.BINARY).decode(buffer, 0, n));
        assertTrue(e.getMessage().contains("yaml") && e.getMessage().contains("binary"), e.getMessage());
        assertEquals(WireMessageCodec.FORMAT_OFFSET, e.offset());
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void textFormRoundTripsAndIsReadable(WireFormat format) {
        WireMessageCodec codec = codec(format);
        Order order = new Order(42, "VOD.L", 101.25, 300, "XPAR");
        String text = codec.toText(order);
        assertTrue(text.contains("Order") && text.contains("VOD.L") && text.contains("venue"), text);
        if (format == WireFormat.JSON) {
            assertTrue(text.startsWith("{\"Order\""), text);
        }
        assertEquals(order, codec.fromText(text));
    }

    @Test
    void textNamingAnUnknownTypeIsRefused() {
        CodecException e = assertThrows(CodecException.class, () -> codec(WireFormat.YAML).fromText("Nope: { a: 1 }"));
        assertTrue(e.getMessage().contains("Nope"), e.getMessage());
    }

    @Test
    void badRegistrationsNameTheProblem() {
        IllegalArgumentException notWire = assertThrows(IllegalArgumentException.class,
                () -> WireMessageCodec.builder().register(String.class, 1));
        assertTrue(notWire.getMessage().contains("Marshallable"), notWire.getMessage());
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> WireMessageCodec.builder().register(Tick.class, 1).register(Order.class, 1));
        assertTrue(taken.getMessage().contains("type id 1"), taken.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WireMessageCodec.builder().build());
        IllegalArgumentException fmt = assertThrows(IllegalArgumentException.class,
                () -> WireFormat.fromConfigName("xml"));
        assertTrue(fmt.getMessage().contains("binary, yaml, json"), fmt.getMessage());
    }
}
