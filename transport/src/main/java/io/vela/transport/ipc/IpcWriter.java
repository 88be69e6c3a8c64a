package io.vela.transport.ipc;

import io.vela.engine.OfferResult;
import io.vela.transport.MessageSink;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingClosedException;
import io.vela.engine.RingFullException;
import io.vela.transport.codec.MessageCodec;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * One writer on an {@link IpcChannel}: encodes a message with its codec and writes it, as one record, into the
 * shared ring. A channel has any number of writers, in any number of processes.
 *
 * <p>Threads: one thread at a time may offer or send (the codec and scratch buffer are the writer's); give each
 * thread a writer of its own. {@link #close()} may be called from any thread, also while another offers: an offer
 * that began before it completes (and its record is delivered), later ones return {@link OfferResult#CLOSED}.
 *
 * <p>Allocation: {@link #offer} allocates nothing beyond what the codec's encode allocates (nothing, for
 * {@code WireMessageCodec}); {@link #send} under {@code block} or {@code block-timeout} allocates nothing while it
 * waits; a refusal by {@code send} allocates its exception.
 */
public final class IpcWriter implements MessageSink, AutoCloseable {
    /** The Agrona message type id Vela records carry on the ring. */
    static final int RECORD_TYPE = 1;

    private final IpcChannel channel;
    private final IpcFile file;
    private final MessageCodec codec;
    private final ManyToOneRingBuffer ring;
    private final UnsafeBuffer scratch;
    private final UseGuard guard;
    private final IdleStrategy backoff = new BackoffIdleStrategy(10, 20, 1_000, 100_000);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong full = new AtomicLong();

    IpcWriter(IpcChannel channel, IpcFile file, MessageCodec codec) {
        this.channel = channel;
        this.file = file;
        this.guard = new UseGuard(file::close);
        this.codec = codec;
        this.ring = new ManyToOneRingBuffer(file.buffer());
        this.scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(ring.maxMsgLength()));
    }

    /**
     * Writes the message if the ring has room; never waits.
     *
     * @param message a message the codec knows
     * @return {@link OfferResult#ACCEPTED} (the reader will get it), {@link OfferResult#FULL} or
     *         {@link OfferResult#CLOSED} (this writer is closed)
     * @throws io.vela.transport.codec.CodecException when the codec cannot encode it (unknown type, too long for a
     *                                                record: at most an eighth of the ring)
     */
    @Override
    public OfferResult offer(Object message) {
        if (!guard.enter()) {
            return OfferResult.CLOSED;
        }
        try {
            int length = codec.encode(message, scratch, 0, scratch.capacity());
            if (ring.write(RECORD_TYPE, scratch, 0, length)) {
                accepted.lazySet(accepted.get() + 1);
                return OfferResult.ACCEPTED;
            }
            full.lazySet(full.get() + 1);
            return OfferResult.FULL;
        } finally {
            guard.exit();
        }
    }

    /**
     * Writes the message, following the channel's overflow policy when the ring is full: {@code block} waits until
     * there is room or the writer closes, {@code block-timeout} waits up to the channel's send timeout, {@code
     * fail-fast} refuses at once.
     *
     * @param message a message the codec knows
     * @throws RingFullException   when refused by {@code fail-fast}, after the timeout, or when the waiting
     *                             thread is interrupted (its flag is kept set) — naming the file, its capacity and
     *                             the policy
     * @throws RingClosedException when the writer is closed
     */
    public void send(Object message) {
        OverflowPolicy policy = channel.overflowPolicy();
        long deadline = policy == OverflowPolicy.BLOCK_TIMEOUT ? System.nanoTime() + channel.sendTimeout().toNanos() : 0;
        backoff.reset();
        while (true) {
            OfferResult r = offer(message);
            if (r == OfferResult.ACCEPTED) {
                return;
            }
            if (r == OfferResult.CLOSED) {
                throw new RingClosedException(file.path().toString(), channel.capacity(), "the writer on "
                        + file.path() + " is closed");
            }
            if (policy == OverflowPolicy.FAIL_FAST
                    || (policy == OverflowPolicy.BLOCK_TIMEOUT && System.nanoTime() - deadline > 0)) {
                throw new RingFullException(file.path().toString(), channel.capacity(), "the ring " + file.path()
                        + " (capacity " + channel.capacity() + " bytes) is full; overflow policy "
                        + policy.configName() + (policy == OverflowPolicy.BLOCK_TIMEOUT ? " after "
                        + channel.sendTimeout().toMillis() + " ms" : ""));
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new RingFullException(file.path().toString(), channel.capacity(), "the ring " + file.path()
                        + " (capacity " + channel.capacity() + " bytes) is full and the waiting sender was "
                        + "interrupted (flag kept set); overflow policy "
                        + policy.configName());
            }
            backoff.idle();
        }
    }

    /** @return messages this writer wrote into the ring */
    public long acceptedCount() {
        return accepted.get();
    }

    /** @return offers this writer found the ring full for (each retry of a {@code send} counts) */
    public long fullCount() {
        return full.get();
    }

    /**
     * @return when the reader last polled, in epoch milliseconds, or 0 when no reader has; a writer can tell a
     *         stopped reader from a busy one
     */
    public long readerHeartbeatMillis() {
        if (!guard.enter()) {
            return 0;
        }
        try {
            return ring.consumerHeartbeatTime();
        } finally {
            guard.exit();
        }
    }

    /** @return true once closed */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /** Stops writing and unmaps the file; records already written stay for the reader. Idempotent. */
    @Override
    public void close() {
        guard.close(UseGuard.DEFAULT_WAIT_NANOS);
    }
}
