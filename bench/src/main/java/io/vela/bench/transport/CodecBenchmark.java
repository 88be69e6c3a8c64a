package io.vela.bench.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vela.transport.codec.WireMessageCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.Bytes;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Case {@code codec}: one encode + decode round trip of a five-field message per operation, on one thread.
 * {@code vela}: {@link WireMessageCodec} (binary), into a reused direct buffer and back into a reused message, with
 * the message's wire form written by hand by field name ({@link BenchTick}); {@code vela-reflective}: the same with
 * the wire form Chronicle derives by reflection ({@link ReflectiveTick}).
 * {@code jackson}: Jackson databind to a {@code byte[]} and back (its usual use: it allocates both).
 * {@code chronicle-raw}: hand-written {@code BytesMarshallable} on a reused Chronicle {@code Bytes}.
 * Each method returns a field of the decoded message, so nothing is optimized away; the state checks once that
 * each round trip gives back what it was given.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {

    /** The codecs and their reused buffers; one per JMH thread. */
    @State(Scope.Thread)
    public static class Codecs {
        final BenchTick tick = new BenchTick(42, 1_700_000_000_000L, 101.25, 101.5, 3);
        final BenchTick into = new BenchTick();
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final ObjectMapper mapper = new ObjectMapper();
        final JacksonTick plain = new JacksonTick();
        final Bytes<ByteBuffer> bytes = Bytes.elasticByteBuffer(256);
        final RawTick raw = new RawTick();
        final RawTick rawInto = new RawTick();
        WireMessageCodec codec;
        final ReflectiveTick reflective = new ReflectiveTick();
        final ReflectiveTick reflectiveInto = new ReflectiveTick();

        /** Builds the codec and checks every subject's round trip. */
        @Setup
        public void setup() throws IOException {
            codec = WireMessageCodec.builder().register(BenchTick.class, 1).register(ReflectiveTick.class, 2).build();
            reflective.instrument = 42;
            reflective.timestampNanos = 1_700_000_000_000L;
            reflective.bid = 101.25;
            reflective.ask = 101.5;
            reflective.level = 3;
            int r = codec.encode(reflective, buffer, 0, buffer.capacity());
            if (!reflective.equals(codec.decode(buffer, 0, r, reflectiveInto))) {
                throw new IllegalStateException("vela-reflective round trip differs");
            }
            raw.instrument = 42;
            raw.timestampNanos = 1_700_000_000_000L;
            raw.bid = 101.25;
            raw.ask = 101.5;
            raw.level = 3;
            bytes.singleThreadedCheckDisabled(true);
            raw.writeMarshallable(bytes);
            rawInto.readMarshallable(bytes);
            if (rawInto.timestampNanos != raw.timestampNanos || rawInto.level != raw.level) {
                throw new IllegalStateException("chronicle-raw round trip differs");
            }
            int n = codec.encode(tick, buffer, 0, buffer.capacity());
            if (!tick.equals(codec.decode(buffer, 0, n, into))) {
                throw new IllegalStateException("vela round trip differs");
            }
            plain.instrument = 42;
            plain.timestampNanos = 1_700_000_000_000L;
            plain.bid = 101.25;
            plain.ask = 101.5;
            plain.level = 3;
            JacksonTick back = mapper.readValue(mapper.writeValueAsBytes(plain), JacksonTick.class);
            if (back.timestampNanos != plain.timestampNanos || back.bid != plain.bid || back.level != plain.level) {
                throw new IllegalStateException("jackson round trip differs");
            }
        }
    }

    /**
     * @param c the codecs
     * @return a decoded field
     */
    @Benchmark
    public long vela(Codecs c) {
        int n = c.codec.encode(c.tick, c.buffer, 0, c.buffer.capacity());
        return c.codec.decode(c.buffer, 0, n, c.into).timestampNanos;
    }

    /**
     * @param c the codecs
     * @return a decoded field
     */
    @Benchmark
    public long velaReflective(Codecs c) {
        int n = c.codec.encode(c.reflective, c.buffer, 0, c.buffer.capacity());
        return c.codec.decode(c.buffer, 0, n, c.reflectiveInto).timestampNanos;
    }

    /**
     * @param c the codecs
     * @return a decoded field
     * @throws IOException never, for an in-memory round trip
     */
    @Benchmark
    public long jackson(Codecs c) throws IOException {
        byte[] json = c.mapper.writeValueAsBytes(c.plain);
        return c.mapper.readValue(json, JacksonTick.class).timestampNanos;
    }

    /**
     * @param c the codecs
     * @return a decoded field
     */
    @Benchmark
    public long chronicleRaw(Codecs c) {
        c.bytes.clear();
        c.raw.writeMarshallable(c.bytes);
        c.rawInto.readMarshallable(c.bytes);
        return c.rawInto.timestampNanos;
    }
}
