package io.vela.transport.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vela.transport.codec.hand.Quote1;
import io.vela.transport.codec.hand.Quote2;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Version 1 and version 2 of the same message, under the same type id in two codecs: each reads the other. */
class SchemaEvolutionTest {
    private static WireMessageCodec v1(WireFormat f) {
        return WireMessageCodec.builder().register(io.vela.transport.codec.v1.Order.class, 7).format(f).build();
    }

    private static WireMessageCodec v2(WireFormat f) {
        return WireMessageCodec.builder().register(io.vela.transport.codec.v2.Order.class, 7).format(f).build();
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void aNewReaderReadsAnOldRecordWithTheNewFieldAtItsDefault(WireFormat f) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        int n = v1(f).encode(new io.vela.transport.codec.v1.Order(5, "BP.L", 4.5, 10), buffer, 0, 512);
        Object read = v2(f).decode(buffer, 0, n);
        assertEquals(new io.vela.transport.codec.v2.Order(5, "BP.L", 4.5, 10, "XLON"), read);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void anOldReaderReadsANewRecordAndSkipsTheNewField(WireFormat f) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        int n = v2(f).encode(new io.vela.transport.codec.v2.Order(5, "BP.L", 4.5, 10, "XPAR"), buffer, 0, 512);
        Object read = v1(f).decode(buffer, 0, n);
        assertEquals(new io.vela.transport.codec.v1.Order(5, "BP.L", 4.5, 10), read);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void textFormsEvolveTheSameWay(WireFormat f) {
        String oldText = v1(f).toText(new io.vela.transport.codec.v1.Order(5, "BP.L", 4.5, 10));
        assertEquals(new io.vela.transport.codec.v2.Order(5, "BP.L", 4.5, 10, "XLON"), v2(f).fromText(oldText));
        String newText = v2(f).toText(new io.vela.transport.codec.v2.Order(5, "BP.L", 4.5, 10, "XPAR"));
        assertEquals(new io.vela.transport.codec.v1.Order(5, "BP.L", 4.5, 10), v1(f).fromText(newText));
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void handWrittenWireFormsEvolveByFieldNameBothWays(WireFormat f) {
        WireMessageCodec v1 = WireMessageCodec.builder().register(Quote1.class, 9, "Quote").format(f).build();
        WireMessageCodec v2 = WireMessageCodec.builder().register(Quote2.class, 9, "Quote").format(f).build();
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        Quote1 old = new Quote1();
        old.id = 3;
        old.price = 9.5;
        int n = v1.encode(old, buffer, 0, 512);
        Quote2 read = (Quote2) v2.decode(buffer, 0, n);
        assertEquals(3, read.id);
        assertEquals(100, read.size);
        assertEquals(9.5, read.price);
        Quote2 young = new Quote2();
        young.id = 4;
        young.size = 7;
        young.price = 1.25;
        n = v2.encode(young, buffer, 0, 512);
        Quote1 back = (Quote1) v1.decode(buffer, 0, n);
        assertEquals(4, back.id);
        assertEquals(1.25, back.price);
    }
}
