package io.vela.transport.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns a message into the bytes of one record and back. The seam between what a message is (its wire form,
 * declared once per type) and how records move (a cross-process ring, a broadcast buffer, an Aeron publication):
 * every path out of the process writes records through a {@code MessageCodec} and reads them back through one.
 *
 * <p>An instance may keep scratch state: unless an implementation says otherwise, one instance is used by one thread
 * at a time.
 */
public interface MessageCodec {
    /**
     * Writes {@code message} as one record into {@code buffer} from {@code offset}.
     *
     * @param message  the message; its type must be known to this codec
     * @param buffer   where the record goes
     * @param offset   the first byte of the record
     * @param capacity how many bytes, from {@code offset}, the record may take
     * @return the number of bytes written
     * @throws CodecException when the type is unknown to this codec or the record does not fit in {@code capacity}
     */
    int encode(Object message, MutableDirectBuffer buffer, int offset, int capacity);

    /**
     * Reads the record of {@code length} bytes at {@code offset} back into a message.
     *
     * @param buffer where the record is
     * @param offset its first byte
     * @param length its length in bytes
     * @return the message, never {@code null}
     * @throws CodecException when the bytes are not a whole, valid record, naming the type (when the record says it)
     *                        and the offset within the record where reading failed
     */
    Object decode(DirectBuffer buffer, int offset, int length);
}
