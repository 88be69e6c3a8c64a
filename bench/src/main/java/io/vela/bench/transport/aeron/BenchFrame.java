package io.vela.bench.transport.aeron;

import io.vela.transport.codec.CodecException;
import io.vela.transport.codec.MessageCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The benchmark's message and its codec: a sequence number and a fixed payload ({@value #LENGTH} bytes in all),
 * the same bytes the raw Aeron subject writes by hand. The codec decodes into one reused instance (one thread
 * decodes: the poller), so neither side allocates per message.
 */
final class BenchFrame {
    /** Bytes per message. */
    static final int LENGTH = 32;

    long seq;
    long a;
    long b;
    long c;

    /** A {@link MessageCodec} for {@link BenchFrame}s; decodes into one reused frame. */
    static final class Codec implements MessageCodec {
        private final BenchFrame decoded = new BenchFrame();

        @Override
        public int encode(Object message, MutableDirectBuffer buffer, int offset, int capacity) {
            if (!(message instanceof BenchFrame f)) {
                throw new CodecException("not a BenchFrame", message.getClass().getName(), 0, null);
            }
            if (capacity < LENGTH) {
                throw new CodecException("does not fit in " + capacity + " bytes", "BenchFrame", 0, null);
            }
            write(buffer, offset, f.seq, f.a, f.b, f.c);
            return LENGTH;
        }

        @Override
        public Object decode(DirectBuffer buffer, int offset, int length) {
            if (length != LENGTH) {
                throw new CodecException("length " + length + ", expected " + LENGTH, "BenchFrame", 0, null);
            }
            read(buffer, offset, decoded);
            return decoded;
        }
    }

    static void read(DirectBuffer buffer, int offset, BenchFrame into) {
        into.seq = buffer.getLong(offset);
        into.a = buffer.getLong(offset + 8);
        into.b = buffer.getLong(offset + 16);
        into.c = buffer.getLong(offset + 24);
    }

    static void write(MutableDirectBuffer buffer, int offset, long seq, long a, long b, long c) {
        buffer.putLong(offset, seq);
        buffer.putLong(offset + 8, a);
        buffer.putLong(offset + 16, b);
        buffer.putLong(offset + 24, c);
    }
}
