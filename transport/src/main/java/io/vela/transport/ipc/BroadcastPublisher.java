package io.vela.transport.ipc;

import io.vela.engine.OfferResult;
import io.vela.transport.MessageSink;
import io.vela.transport.codec.MessageCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;

/**
 * Writes messages into an {@link IpcBroadcast}'s buffer. Each record carries a sequence number ahead of the codec's
 * record, so subscribers can count exactly what they lost when lapped.
 *
 * <p>Threads: any thread (offers are serialized on this publisher); one publisher per buffer across all processes.
 * {@link #close()} from any thread. Allocation: what the codec's encode allocates (nothing for
 * {@code WireMessageCodec}).
 */
public final class BroadcastPublisher implements MessageSink, AutoCloseable {
    static final int SEQUENCE_LENGTH = 8;

    private final IpcFile file;
    private final MessageCodec codec;
    private final BroadcastTransmitter transmitter;
    private final UnsafeBuffer scratch;
    private final UseGuard guard;
    private long sequence;

    BroadcastPublisher(IpcFile file, MessageCodec codec) {
        this.file = file;
        this.guard = new UseGuard(file::close);
        this.codec = codec;
        this.transmitter = new BroadcastTransmitter(file.buffer());
        this.scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(transmitter.maxMsgLength()));
    }

    /**
     * Writes the message; never waits (the oldest records are overwritten).
     *
     * @param message a message the codec knows
     * @return {@link OfferResult#ACCEPTED}, or {@link OfferResult#CLOSED} once closed
     * @throws io.vela.transport.codec.CodecException when the codec cannot encode it
     */
    @Override
    public synchronized OfferResult offer(Object message) {
        if (!guard.enter()) {
            return OfferResult.CLOSED;
        }
        try {
            int length = codec.encode(message, scratch, SEQUENCE_LENGTH, scratch.capacity() - SEQUENCE_LENGTH);
            scratch.putLong(0, sequence, ByteOrder.LITTLE_ENDIAN);
            transmitter.transmit(IpcWriter.RECORD_TYPE, scratch, 0, SEQUENCE_LENGTH + length);
            sequence++;
            return OfferResult.ACCEPTED;
        } finally {
            guard.exit();
        }
    }

    /** @return messages published */
    public synchronized long publishedCount() {
        return sequence;
    }

    /** Stops publishing and unmaps the file. Idempotent. */
    @Override
    public void close() {
        guard.close(UseGuard.DEFAULT_WAIT_NANOS);
    }
}
