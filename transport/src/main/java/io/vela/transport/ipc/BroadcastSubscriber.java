package io.vela.transport.ipc;

import io.vela.transport.MessageHandler;
import io.vela.transport.MessageSource;
import io.vela.transport.codec.CodecException;
import io.vela.transport.codec.MessageCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an {@link IpcBroadcast}'s buffer from the newest record on (a subscriber joining a buffer that already holds
 * records first gets the latest of them, as Agrona's receiver does). Each record is copied out and validated before it is
 * decoded (as Agrona's {@code CopyBroadcastReceiver} does), so a record the publisher overwrote mid-read is never
 * delivered. A
 * subscriber that falls behind is lapped: {@link #lappedCount()} says how often, {@link #lostCount()} how many
 * messages it missed (from the publisher's sequence numbers, so a loss is counted when the next record after it
 * arrives).
 *
 * <p>Threads: one thread at a time may poll; {@link #close()} from any thread. Allocation: what the codec's decode
 * allocates (the message).
 */
public final class BroadcastSubscriber implements MessageSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastSubscriber.class);

    private final IpcFile file;
    private final MessageCodec codec;
    private BroadcastReceiver receiver;
    private long lapsBefore;
    private final UnsafeBuffer scratch;
    private final UseGuard guard;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong laps = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private MessageHandler handler;
    private long expected = -1;
    private volatile Thread poller;

    BroadcastSubscriber(IpcFile file, MessageCodec codec) {
        this.file = file;
        this.guard = new UseGuard(file::close);
        this.codec = codec;
        this.receiver = new BroadcastReceiver(file.buffer());
        this.scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(receiver.capacity() / 8));
    }

    /**
     * Delivers up to {@code limit} messages to {@code handler} on this thread; never waits.
     *
     * @param handler receives each message
     * @param limit   the most records to take
     * @return records taken (delivered or failed); 0 when none or closed
     */
    @Override
    public int poll(MessageHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        if (!guard.enter()) {
            return 0;
        }
        this.handler = handler;
        poller = Thread.currentThread();
        int taken = 0;
        try {
            for (int attempt = 0; attempt < limit && taken < limit; attempt++) {
                if (guard.isClosed() || !receiver.receiveNext()) {
                    break;
                }
                int length = receiver.length();
                if (length < BroadcastPublisher.SEQUENCE_LENGTH || length > scratch.capacity()) {
                    if (receiver.validate()) { // not a lap: a record no publisher of ours wrote (a publisher's
                        resync(length);        // records are at most an eighth of the buffer)
                        break;
                    }
                    continue; // overwritten while read: counted as lost when the next record's sequence arrives
                }
                int type = receiver.typeId();
                scratch.putBytes(0, receiver.buffer(), receiver.offset(), length);
                if (!receiver.validate()) {
                    continue; // overwritten while copied: counted as lost when the next record's sequence arrives
                }
                onRecord(type, scratch, 0, length);
                taken++;
            }
            laps.set(lapsBefore + receiver.lappedCount());
            return taken;
        } finally {
            this.handler = null;
            poller = null;
            guard.exit();
        }
    }

    /** A corrupt record length would wedge or misalign the receiver: count it and start again at the newest record. */
    private void resync(int length) {
        failed.lazySet(failed.get() + 1);
        LOG.warn("skipped a record on {} with an invalid length {}; resuming at the newest record", file.path(),
                length);
        lapsBefore += receiver.lappedCount();
        receiver = new BroadcastReceiver(file.buffer());
    }

    private void onRecord(int type, UnsafeBuffer buffer, int index, int length) {
        long seq = buffer.getLong(index, ByteOrder.LITTLE_ENDIAN);
        if (expected >= 0 && seq > expected) {
            lost.lazySet(lost.get() + seq - expected);
        }
        expected = seq + 1;
        Object message;
        try {
            message = codec.decode(buffer, index + BroadcastPublisher.SEQUENCE_LENGTH,
                    length - BroadcastPublisher.SEQUENCE_LENGTH);
            handler.onMessage(message);
            delivered.lazySet(delivered.get() + 1);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (CodecException e) {
            failed.lazySet(failed.get() + 1);
            LOG.warn("skipped a record on {} that does not decode: {}", file.path(), e.getMessage());
        } catch (Throwable t) {
            failed.lazySet(failed.get() + 1);
            LOG.warn("a broadcast handler on {} failed", file.path(), t);
        }
    }

    /** @return messages delivered to a handler that returned normally */
    public long deliveredCount() {
        return delivered.get();
    }

    /** @return messages published after this subscriber's first one that it never saw (it was lapped) */
    public long lostCount() {
        return lost.get();
    }

    /** @return times the publisher lapped this subscriber */
    public long lappedCount() {
        return laps.get();
    }

    /** @return records that did not decode or whose handler threw */
    public long failedCount() {
        return failed.get();
    }

    /** Stops reading and unmaps the file. Idempotent. */
    @Override
    public void close() {
        guard.close(Thread.currentThread() == poller ? 0 : UseGuard.DEFAULT_WAIT_NANOS);
    }
}
