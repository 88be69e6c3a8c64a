package io.vela.transport.aeron;

import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscribed Aeron stream, polled by the transport's poller thread (an Agrona {@code AgentRunner}), whole
 * messages reassembled by a {@code FragmentAssembler} and handed to a record handler (for a plain subscription:
 * decoded by its codec and given to the user's handler). Counts what it received, what did not decode, what the
 * handler threw, and the peers that came and went.
 *
 * <p>Threads: the handler runs on the poller thread, one message at a time; a handler that blocks holds up every
 * subscription of the transport. A handler that leaves the thread's interrupt flag set has it cleared (logged once
 * per subscription): it must not stop the poller. The counters and {@link #close()} may be used from any thread. Polling allocates
 * nothing beyond the decoded message (and the assembler's buffer growth for a fragmented message).
 */
public final class AeronSubscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AeronSubscription.class);

    /** Receives each whole record; runs on the poller thread. */
    @FunctionalInterface
    interface RecordSink {
        void onRecord(DirectBuffer buffer, int offset, int length);
    }

    private final AeronTransport transport;
    private final String channel;
    private final int streamId;
    private final RecordSink sink;
    private final PeerListener listener;
    private final FragmentAssembler assembler;
    private final CompletableFuture<Void> closedOnPoller = new CompletableFuture<>();
    private final PaddedCounter received = new PaddedCounter();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong available = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private volatile Subscription subscription;
    private volatile boolean closeRequested;
    private boolean interruptLogged; // poller thread only

    AeronSubscription(AeronTransport transport, String channel, int streamId, RecordSink sink,
            PeerListener listener) {
        this.transport = transport;
        this.channel = channel;
        this.streamId = streamId;
        this.sink = sink;
        this.listener = listener;
        this.assembler = new FragmentAssembler(this::onFragment);
    }

    void attach(Subscription s) {
        this.subscription = s;
    }

    private void onFragment(DirectBuffer buffer, int offset, int length, Header header) {
        received.increment();
        try {
            sink.onRecord(buffer, offset, length);
        } catch (Throwable t) { // a handler's failure, whatever it is, must not stop the poller
            long n = failures.incrementAndGet();
            if (n == 1) {
                LOG.warn("Handler of aeron {} stream {} failed (further failures are counted, logged at debug)",
                        channel, streamId, t);
            } else {
                LOG.debug("Handler of aeron {} stream {} failed", channel, streamId, t);
            }
        }
        if (Thread.interrupted()) {
            // Agrona's AgentRunner ends its loop on an interrupted thread that has no work: a handler that
            // restored its interrupt flag would silence every subscription. The transport's close stops the
            // runner by its running flag first, so clearing the flag here never keeps a closing poller alive.
            if (!interruptLogged) {
                interruptLogged = true;
                LOG.warn("Handler of aeron {} stream {} left the poller thread interrupted; the flag was cleared",
                        channel, streamId);
            }
        }
    }

    /** Poller thread only. */
    int poll(int fragmentLimit) {
        Subscription s = subscription;
        if (closeRequested) {
            closeOnPoller();
            return 1;
        }
        return s == null ? 0 : s.poll(assembler, fragmentLimit);
    }

    void closeOnPoller() {
        try {
            Subscription s = subscription;
            if (s != null) {
                s.close();
            }
        } finally {
            transport.forget(this);
            closedOnPoller.complete(null);
        }
    }

    void onAvailable(Image image) {
        available.incrementAndGet();
        notify(image, true);
    }

    void onUnavailable(Image image) {
        unavailable.incrementAndGet();
        notify(image, false);
    }

    private void notify(Image image, boolean up) {
        PeerEvent e = new PeerEvent(channel, streamId, image.sessionId(), image.sourceIdentity());
        LOG.debug("Peer {} on aeron {} stream {}: {}", up ? "available" : "lost", channel, streamId, e);
        for (PeerListener l : new PeerListener[] {transport.peerListener(), listener}) {
            try {
                if (up) {
                    l.onAvailable(e);
                } else {
                    l.onUnavailable(e);
                }
            } catch (Throwable t) {
                LOG.warn("Peer listener threw on {}", e, t);
            }
        }
    }

    void countFailure() {
        failures.incrementAndGet();
    }

    /** @return the channel URI */
    public String channel() {
        return channel;
    }

    /** @return the stream id */
    public int streamId() {
        return streamId;
    }

    /** @return true while at least one peer's stream is connected */
    public boolean isConnected() {
        Subscription s = subscription;
        return s != null && !closeRequested && s.isConnected();
    }

    /** @return whole messages received (handled or not) */
    public long received() {
        return received.get();
    }

    /** @return messages that did not decode or whose handler threw (each logged: the first at warn) */
    public long failures() {
        return failures.get();
    }

    /** @return peer streams that became available (a reconnecting peer counts again) */
    public long peersAvailable() {
        return available.get();
    }

    /** @return peer streams lost */
    public long peersLost() {
        return unavailable.get();
    }

    /**
     * Stops delivery: the poller closes the Aeron subscription between two polls; waits up to a second for that
     * (a handler stuck in a message delays it). Idempotent.
     */
    @Override
    public void close() {
        closeRequested = true;
        if (!transport.pollerRunning()) {
            closeOnPoller();
            return;
        }
        try {
            closedOnPoller.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("aeron {} stream {}: the poller did not close the subscription within 1 s (a handler is "
                    + "stuck?); the transport's close will", channel, streamId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
