package io.vela.transport.codec;

import io.vela.transport.TransportException;

/**
 * Bytes that do not decode into a message, or a message that cannot be encoded: names the message type (when it is
 * known) and the offset, within the record, where reading or writing failed.
 */
public class CodecException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final String typeName;
    private final long offset;

    /**
     * @param message  what went wrong
     * @param typeName the message type involved, or {@code "unknown"} when the bytes did not say
     * @param offset   the offset within the record where reading or writing failed, or -1 when there is none
     * @param cause    the underlying failure, may be {@code null}
     */
    public CodecException(String message, String typeName, long offset, Throwable cause) {
        super(message + " (type " + typeName + ", offset " + offset + ")", cause);
        this.typeName = typeName;
        this.offset = offset;
    }

    /** @return the message type involved, or {@code "unknown"} */
    public String typeName() {
        return typeName;
    }

    /** @return the offset within the record where reading or writing failed, or -1 */
    public long offset() {
        return offset;
    }
}
