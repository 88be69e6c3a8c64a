package io.vela.transport.aeron;

import io.vela.transport.codec.CodecException;
import io.vela.transport.codec.MessageCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A small codec for the Aeron tests (test scope only; the project's codec is Chronicle Wire's): a tag byte, then a
 * {@code long} (tag 1) or a length-prefixed UTF-8 string (tag 2). Tag 9 ("Poison") encodes a record no decoder
 * accepts, to test decode failures.
 */
final class TestCodec implements MessageCodec {
    /** Encodes to a record that {@link #decode} rejects. */
    static final Object POISON = new Object() {
        @Override
        public String toString() {
            return "poison";
        }
    };

    @Override
    public int encode(Object message, MutableDirectBuffer buffer, int offset, int capacity) {
        if (message instanceof Long l) {
            require(capacity, 9, "Long");
            buffer.putByte(offset, (byte) 1);
            buffer.putLong(offset + 1, l);
            return 9;
        }
        if (message instanceof String s) {
            require(capacity, 1 + Integer.BYTES + s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                    "String"); // as MessageCodec says: a CodecException when it does not fit
            int n = buffer.putStringUtf8(offset + 1, s, capacity - 1);
            buffer.putByte(offset, (byte) 2);
            return 1 + n;
        }
        if (message == POISON) {
            require(capacity, 1, "Poison");
            buffer.putByte(offset, (byte) 9);
            return 1;
        }
        throw new CodecException("unknown message type", message.getClass().getName(), 0, null);
    }

    private static void require(int capacity, int n, String type) {
        if (capacity < n) {
            throw new CodecException("record does not fit in " + capacity + " bytes", type, 0, null);
        }
    }

    @Override
    public Object decode(DirectBuffer buffer, int offset, int length) {
        if (length < 1) {
            throw new CodecException("empty record", "unknown", 0, null);
        }
        byte tag = buffer.getByte(offset);
        if (tag == 1 && length == 9) {
            return buffer.getLong(offset + 1);
        }
        if (tag == 2 && length >= 5) {
            return buffer.getStringUtf8(offset + 1);
        }
        throw new CodecException("unknown tag " + tag + " or bad length " + length, "unknown", 0, null);
    }
}
