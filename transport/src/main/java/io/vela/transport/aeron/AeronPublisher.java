package io.vela.transport.aeron;

import io.aeron.Publication;
import io.vela.engine.OfferResult;
import io.vela.engine.RingClosedException;
import io.vela.engine.RingFullException;
import io.vela.transport.codec.MessageCodec;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Sends messages onto one Aeron stream ({@code channel} + {@code streamId}): each message is encoded by the
 * publisher's {@link MessageCodec} into a reused send buffer and offered to an exclusive publication. When Aeron
 * does not take it now, the publisher's {@link BackPressurePolicy} decides, and every outcome is counted: a message
 * is {@linkplain #sent() sent}, or refused to its caller ({@link RingFullException} / {@link RingClosedException},
 * or a {@code FULL} / {@code CLOSED} from {@link #trySend}), or {@linkplain #dropped() dropped} under
 * {@code DROP} — never silently lost on this side.
 *
 * <p>Aeron's offer results map as follows: {@code BACK_PRESSURED} and {@code NOT_CONNECTED} are "full" (policy
 * applies; counted in {@link #backPressured()} / {@link #notConnected()}), {@code ADMIN_ACTION} is retried at once
 * (counted in {@link #adminActions()}), {@code CLOSED} and {@code MAX_POSITION_EXCEEDED} are "closed".
 *
 * <p>Threads: every method may be called from any thread; sends are serialised by a lock (the codec and the send
 * buffer are shared), so one sender at a time encodes and offers; a sender waiting for the lock behind one that
 * waits for Aeron follows its own policy ({@code BLOCK_TIMEOUT}: its timeout counts from its call; {@code BLOCK}:
 * an interrupt ends the wait), and {@link #trySend} does not wait behind such a sender (it answers {@code FULL}). A publisher built with
 * {@link Builder#singleWriter(boolean) singleWriter(true)} has no lock: then only one thread at a time may send
 * (the caller's promise, as with a single-publisher ring), and a {@link #close()} racing a send does not wait for
 * it (a message Aeron takes during the close is still sent by the driver, which lingers the publication). A send
 * allocates nothing beyond what the codec allocates; a refusal allocates its exception. {@link #close()} makes
 * later and waiting sends fail with {@link RingClosedException}, then waits up to
 * {@code transport.aeron.close-linger-ms} for the driver to send what was accepted.
 */
public final class AeronPublisher implements AutoCloseable {
    private static final int ADMIN_RETRIES = 8;

    private final AeronTransport transport;
    private final Publication publication;
    private final MessageCodec codec;
    private final BackPressurePolicy policy;
    private final long blockTimeoutNs;
    private final String name;
    private final UnsafeBuffer buffer;
    private final IdleStrategy idle;
    private final ReentrantLock lock;
    private final PaddedCounter sent = new PaddedCounter();
    private final AtomicLong backPressured = new AtomicLong();
    private final AtomicLong notConnected = new AtomicLong();
    private final AtomicLong adminActions = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean senderWaits; // written under the lock; read by trySend to avoid waiting behind it

    AeronPublisher(AeronTransport transport, Publication publication, MessageCodec codec, BackPressurePolicy policy,
            long blockTimeoutMs, int maxMessageBytes, IdleStrategy idle, boolean singleWriter) {
        this.transport = transport;
        this.lock = singleWriter ? null : new ReentrantLock();
        this.publication = publication;
        this.codec = Objects.requireNonNull(codec, "codec");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.blockTimeoutNs = TimeUnit.MILLISECONDS.toNanos(blockTimeoutMs);
        this.name = "aeron " + publication.channel() + " stream " + publication.streamId();
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.min(maxMessageBytes,
                publication.maxMessageLength())));
        this.idle = idle;
    }

    /**
     * Sends {@code message}, following the publisher's {@link BackPressurePolicy} when Aeron does not take it now.
     *
     * @param message the message, not null
     * @throws RingFullException   back-pressured or not connected, under {@code FAIL_FAST} at once or under
     *                             {@code BLOCK_TIMEOUT} after the timeout (also when a waiting sender is
     *                             interrupted; its flag stays set); the message names the stream and the reason
     * @throws RingClosedException the publisher (or the transport) is closed, or closes while this send waits
     * @throws io.vela.transport.codec.CodecException the codec cannot encode it (nothing was sent)
     */
    public void send(Object message) {
        send(null, 0, message);
    }

    /**
     * Sends {@code message} if Aeron takes it now; never waits, throws no refusal.
     *
     * @param message the message, not null
     * @return {@link OfferResult#ACCEPTED}; {@code FULL} when back-pressured or not connected; {@code CLOSED}
     * @throws io.vela.transport.codec.CodecException the codec cannot encode it
     */
    public OfferResult trySend(Object message) {
        return trySend(null, 0, message);
    }

    OfferResult trySend(DirectBuffer header, int headerLength, Object message) {
        Objects.requireNonNull(message, "message");
        if (!lockUnlessASenderWaits()) {
            return closed ? OfferResult.CLOSED : OfferResult.FULL; // queued behind a sender Aeron keeps waiting
        }
        try {
            if (closed) {
                return OfferResult.CLOSED;
            }
            long r = offer(encode(header, headerLength, message));
            if (r > 0) {
                sent.increment();
                return OfferResult.ACCEPTED;
            }
            return r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED ? OfferResult.CLOSED
                    : OfferResult.FULL;
        } finally {
            unlock();
        }
    }

    void send(DirectBuffer header, int headerLength, Object message) {
        Objects.requireNonNull(message, "message");
        // the clock is read up front only where a wait for the lock counts against the timeout; otherwise only
        // when Aeron refuses (a clock read costs about as much as an IPC offer)
        boolean timedLock = lock != null && policy == BackPressurePolicy.BLOCK_TIMEOUT;
        long start = timedLock ? System.nanoTime() : 0L;
        lockForSend(start);
        try {
            if (closed) {
                throw closedException();
            }
            int length = encode(header, headerLength, message);
            long r = offer(length);
            if (r > 0) {
                sent.increment();
                return;
            }
            switch (policy) {
                case DROP -> {
                    if (isClosed(r)) {
                        throw closedException();
                    }
                    dropped.lazySet(dropped.get() + 1);
                }
                case FAIL_FAST -> throw refusal(r, "fail-fast");
                case BLOCK, BLOCK_TIMEOUT -> await(length, r, timedLock ? start : System.nanoTime());
                default -> throw new IllegalStateException(policy.name());
            }
        } finally {
            unlock();
        }
    }

    private void lock() {
        if (lock != null) {
            lock.lock();
        }
    }

    /**
     * Takes the lock for a send. A sender that holds it may be waiting on a back-pressured stream, so under
     * {@code BLOCK_TIMEOUT} the wait for the lock counts against the send's own timeout, and under {@code BLOCK} it
     * ends on an interrupt, as the wait for Aeron does.
     */
    private void lockForSend(long start) {
        if (lock == null) {
            return;
        }
        try {
            if (policy == BackPressurePolicy.BLOCK_TIMEOUT) {
                if (!lock.tryLock(blockTimeoutNs - (System.nanoTime() - start), TimeUnit.NANOSECONDS)) {
                    throw closed ? closedException() : refusal(Publication.BACK_PRESSURED, "block-timeout "
                            + TimeUnit.NANOSECONDS.toMillis(blockTimeoutNs) + " ms (behind another sender)");
                }
            } else if (policy == BackPressurePolicy.BLOCK) {
                lock.lockInterruptibly();
            } else {
                lock.lock(); // fail-fast and drop: the holder never waits on Aeron
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refusal(Publication.BACK_PRESSURED, "interrupted while waiting");
        }
    }

    /** @return false, without waiting, when the lock is held by a sender that waits for Aeron */
    private boolean lockUnlessASenderWaits() {
        if (lock == null) {
            return true;
        }
        while (!lock.tryLock()) {
            if (senderWaits) {
                return false;
            }
            Thread.onSpinWait(); // the holder encodes and offers once, or starts waiting (and says so)
        }
        return true;
    }

    private void unlock() {
        if (lock != null) {
            lock.unlock();
        }
    }

    private void await(int length, long first, long start) {
        senderWaits = true;
        try {
            awaitAccepted(length, first, start + blockTimeoutNs);
        } finally {
            senderWaits = false;
        }
    }

    private void awaitAccepted(int length, long first, long deadline) {
        long r = first;
        idle.reset();
        while (true) {
            if (closed || isClosed(r)) {
                throw closedException();
            }
            if (Thread.currentThread().isInterrupted()) {
                throw refusal(r, "interrupted while waiting");
            }
            if (policy == BackPressurePolicy.BLOCK_TIMEOUT && System.nanoTime() - deadline >= 0) {
                throw refusal(r, "block-timeout " + TimeUnit.NANOSECONDS.toMillis(blockTimeoutNs) + " ms");
            }
            idle.idle();
            r = offer(length);
            if (r > 0) {
                sent.increment();
                return;
            }
        }
    }

    private int encode(DirectBuffer header, int headerLength, Object message) {
        if (header != null) {
            buffer.putBytes(0, header, 0, headerLength);
        }
        return headerLength + codec.encode(message, buffer, headerLength, buffer.capacity() - headerLength);
    }

    /** One offer; ADMIN_ACTION retried a few times; every refusal counted once per offer. */
    private long offer(int length) {
        long r = publication.offer(buffer, 0, length);
        for (int i = 0; r == Publication.ADMIN_ACTION && i < ADMIN_RETRIES; i++) {
            adminActions.lazySet(adminActions.get() + 1);
            r = publication.offer(buffer, 0, length);
        }
        if (r == Publication.BACK_PRESSURED || r == Publication.ADMIN_ACTION) {
            backPressured.lazySet(backPressured.get() + 1);
        } else if (r == Publication.NOT_CONNECTED) {
            notConnected.lazySet(notConnected.get() + 1);
        }
        return r;
    }

    private static boolean isClosed(long r) {
        return r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED;
    }

    private RuntimeException refusal(long r, String why) {
        if (isClosed(r)) {
            return closedException();
        }
        refused.incrementAndGet(); // also from a sender refused before it got the lock: not a single writer
        String state = r == Publication.NOT_CONNECTED ? "not connected (no subscriber, or the peer is lost)"
                : "back-pressured (receivers a window behind)";
        return new RingFullException(name, publication.termBufferLength(), name + " is " + state + "; policy "
                + why);
    }

    private RingClosedException closedException() {
        refused.incrementAndGet();
        return new RingClosedException(name, publication.termBufferLength(), name + " is closed");
    }

    /** @return the largest record this publisher sends: its send buffer's capacity */
    int maxMessageBytes() {
        return buffer.capacity();
    }

    /** @return true when at least one subscriber is connected to this stream */
    public boolean isConnected() {
        return !closed && publication.isConnected();
    }

    /** @return the stream's channel URI */
    public String channel() {
        return publication.channel();
    }

    /** @return the stream id */
    public int streamId() {
        return publication.streamId();
    }

    /** @return this publisher's policy */
    public BackPressurePolicy policy() {
        return policy;
    }

    /** @return messages Aeron took */
    public long sent() {
        return sent.get();
    }

    /** @return offers answered {@code BACK_PRESSURED} (retries of one send count each time) */
    public long backPressured() {
        return backPressured.get();
    }

    /** @return offers answered {@code NOT_CONNECTED} (retries of one send count each time) */
    public long notConnected() {
        return notConnected.get();
    }

    /** @return offers answered {@code ADMIN_ACTION} (retried at once) */
    public long adminActions() {
        return adminActions.get();
    }

    /** @return messages given up under {@code DROP} */
    public long dropped() {
        return dropped.get();
    }

    /** @return sends that threw a refusal (full or closed) */
    public long refused() {
        return refused.get();
    }

    /** @return true once {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Refuses later sends (and wakes waiting ones with {@link RingClosedException}), waits for the sender in
     * progress, then up to {@code transport.aeron.close-linger-ms} for the driver to send what was accepted, and
     * closes the publication. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lock(); // senders check `closed` while they wait, so this is bounded by one encode + offer
        try {
            if (!publication.isClosed()) {
                transport.linger(publication);
                publication.close();
            }
        } finally {
            unlock();
            transport.forget(this);
        }
    }

    /**
     * Builds a publisher: {@code transport.publisherBuilder(channel, streamId, codec)}. Defaults: the transport's
     * {@code transport.aeron.overflow} and {@code block-timeout-ms}, several writers.
     */
    public static final class Builder {
        private final AeronTransport transport;
        private final String channel;
        private final int streamId;
        private final MessageCodec codec;
        private BackPressurePolicy policy;
        private long blockTimeoutMs;
        private boolean singleWriter;

        Builder(AeronTransport transport, String channel, int streamId, MessageCodec codec,
                BackPressurePolicy policy, long blockTimeoutMs) {
            this.transport = transport;
            this.channel = Objects.requireNonNull(channel, "channel");
            this.streamId = streamId;
            this.codec = Objects.requireNonNull(codec, "codec");
            this.policy = policy;
            this.blockTimeoutMs = blockTimeoutMs;
        }

        /**
         * @param policy what a send does when Aeron does not take the message now
         * @return this builder
         */
        public Builder policy(BackPressurePolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param timeout how long {@code BLOCK_TIMEOUT} retries (at least 1 ms)
         * @return this builder
         */
        public Builder blockTimeout(java.time.Duration timeout) {
            this.blockTimeoutMs = Math.max(1, timeout.toMillis());
            return this;
        }

        /**
         * @param singleWriter true when only one thread at a time will send: no lock on the send path; that
         *                     thread must also not race the transport's {@code close()} with a send (close the
         *                     publisher, or stop sending, first: the client unmaps its buffers on close)
         * @return this builder
         */
        public Builder singleWriter(boolean singleWriter) {
            this.singleWriter = singleWriter;
            return this;
        }

        /**
         * @return the publisher
         * @throws io.vela.transport.TransportException when Aeron refuses the channel
         * @throws RingClosedException                  when the transport is closed
         */
        public AeronPublisher build() {
            return transport.newPublisher(channel, streamId, codec, policy, blockTimeoutMs, singleWriter);
        }
    }

    @Override
    public String toString() {
        return name + " (" + policy.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ")";
    }
}
