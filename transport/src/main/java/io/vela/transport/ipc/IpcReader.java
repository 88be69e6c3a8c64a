package io.vela.transport.ipc;

import io.vela.transport.MessageHandler;
import io.vela.transport.MessagePump;
import io.vela.transport.MessageSource;
import io.vela.transport.codec.CodecException;
import io.vela.transport.codec.MessageCodec;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ControlledMessageHandler.Action;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader of an {@link IpcChannel}: takes records off the shared ring, decodes them and hands them to a
 * {@link MessageHandler}, either on the caller's thread ({@link #poll}) or on a thread of its own ({@link #start}).
 *
 * <p>A writer that died between claiming a record and committing it would stop the ring at that record; when the
 * ring has not moved for the channel's unblock timeout while writers are ahead, the reader unblocks it (Agrona's
 * {@code unblock()}, which turns the dead claim into padding) and goes on ({@link #unblockedCount()}). A record
 * that does not decode is logged and counted ({@link #corruptCount()}), a handler that throws is logged and counted
 * ({@link #failedCount()}); neither stops the reader.
 *
 * <p>Threads: one thread at a time may poll (a channel has one reader); {@link #close()} may be called from any
 * thread. Allocation: what the codec's decode allocates (the message); nothing else per record.
 */
public final class IpcReader implements MessageSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IpcReader.class);

    private final IpcChannel channel;
    private final IpcFile file;
    private final MessageCodec codec;
    private final ManyToOneRingBuffer ring;
    private final UseGuard guard;
    private final ControlledMessageHandler onRecord = this::onRecord;
    private final long unblockNanos;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong unblocked = new AtomicLong();
    private MessageHandler handler;
    private long stalledSince;
    private long stalledAt = -1;
    private volatile MessagePump agent;
    private volatile Thread poller;
    private boolean closing;

    IpcReader(IpcChannel channel, IpcFile file, MessageCodec codec) {
        this.channel = channel;
        this.file = file;
        this.guard = new UseGuard(file::close);
        this.codec = codec;
        this.ring = new ManyToOneRingBuffer(file.buffer());
        this.unblockNanos = channel.unblockTimeout().toNanos();
    }

    /**
     * Delivers up to {@code limit} messages to {@code handler} on this thread; never waits.
     *
     * @param handler receives each message
     * @param limit   the most records to take
     * @return how many records were taken (delivered, failed or corrupt); 0 when none or closed
     */
    @Override
    public int poll(MessageHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        if (!guard.enter()) {
            return 0;
        }
        try {
            poller = Thread.currentThread();
            ring.consumerHeartbeatTime(System.currentTimeMillis());
            this.handler = handler;
            int n = ring.controlledRead(onRecord, limit);
            if (n == 0 && !guard.isClosed()) {
                // a read that met the padding at the ring's end stepped over it and stopped: read again after it,
                // so that 0 means nothing is there
                n = ring.controlledRead(onRecord, limit);
            }
            if (n == 0 && !guard.isClosed()) {
                unblockIfStalled();
            } else {
                stalledAt = -1;
            }
            return n;
        } finally {
            this.handler = null;
            poller = null;
            guard.exit();
        }
    }

    private Action onRecord(int type, DirectBuffer buffer, int index, int length) {
        if (guard.isClosed()) {
            return Action.ABORT; // closed by the handler or while it held a message: the rest stays for the next reader
        }
        Object message;
        try {
            message = codec.decode(buffer, index, length);
        } catch (CodecException e) {
            corrupt.lazySet(corrupt.get() + 1);
            LOG.warn("skipped a record on {} that does not decode: {}", file.path(), e.getMessage());
            return Action.CONTINUE;
        }
        try {
            handler.onMessage(message);
            delivered.lazySet(delivered.get() + 1);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            failed.lazySet(failed.get() + 1);
            LOG.warn("the handler of {} failed on a {}", file.path(), message.getClass().getName(), t);
        }
        return Action.CONTINUE;
    }

    private void unblockIfStalled() {
        long consumer = ring.consumerPosition();
        if (ring.producerPosition() <= consumer) {
            stalledAt = -1;
            return;
        }
        long now = System.nanoTime();
        if (stalledAt != consumer) {
            stalledAt = consumer;
            stalledSince = now;
        } else if (now - stalledSince >= unblockNanos) {
            if (ring.unblock()) {
                unblocked.lazySet(unblocked.get() + 1);
                LOG.warn("unblocked {} at position {}: a writer claimed a record and did not commit it within {} ms"
                        + " (it probably died)", file.path(), consumer, channel.unblockTimeout().toMillis());
            }
            stalledAt = -1;
        }
    }

    /**
     * Starts a thread that polls and delivers to {@code handler} until {@link #close()}.
     *
     * @param handler       receives each message, on the reader's thread
     * @param idle          how the thread waits when the ring is empty (e.g. Agrona's {@code BackoffIdleStrategy})
     * @param threadFactory makes the thread
     * @return this reader
     * @throws IllegalStateException when already started, or closed
     */
    public synchronized IpcReader start(MessageHandler handler, IdleStrategy idle, ThreadFactory threadFactory) {
        if (agent != null) {
            throw new IllegalStateException("the reader of " + file.path() + " is already started");
        }
        if (closing) {
            throw new IllegalStateException("the reader of " + file.path() + " is closed");
        }
        agent = MessagePump.start(this, handler, idle, threadFactory, "vela-ipc-" + file.path().getFileName());
        return this;
    }

    /** @return messages handed to a handler that returned normally */
    public long deliveredCount() {
        return delivered.get();
    }

    /** @return records skipped because they did not decode */
    public long corruptCount() {
        return corrupt.get();
    }

    /** @return messages whose handler threw */
    public long failedCount() {
        return failed.get();
    }

    /** @return times the ring was unblocked past a record a writer never committed */
    public long unblockedCount() {
        return unblocked.get();
    }

    /** @return bytes written into the ring and not yet read */
    public int backlogBytes() {
        if (!guard.enter()) {
            return 0;
        }
        try {
            return ring.size();
        } finally {
            guard.exit();
        }
    }

    /** @return the channel */
    public IpcChannel channel() {
        return channel;
    }

    /**
     * Stops the reader's thread (if started; waiting up to about a second for the message in hand) and unmaps the
     * file. Records not yet handed to the handler stay in the ring for the next reader, also when the handler itself
     * closes the reader or never returns (the file is then unmapped when it does return). Idempotent.
     */
    @Override
    public void close() {
        MessagePump a;
        synchronized (this) {
            closing = true; // a start() racing this close is refused, so no pump outlives the reader
            a = agent;
        }
        if (a != null) {
            a.close();
        }
        boolean handlerStuck = Thread.currentThread() == poller || (a != null && a.isRunning());
        guard.close(handlerStuck ? 0 : UseGuard.DEFAULT_WAIT_NANOS);
    }
}
