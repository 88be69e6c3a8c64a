package io.vela.transport.aeron;

import io.aeron.Aeron;
import io.aeron.CncFileDescriptor;
import io.aeron.AeronCounters;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.vela.engine.RingClosedException;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaConfigException;
import io.vela.engine.event.EventBus;
import io.vela.transport.TransportException;
import io.vela.transport.codec.MessageCodec;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vela's path between machines (and between processes on one host) over Aeron: publishers and subscriptions on
 * Aeron streams named by a channel URI ({@code aeron:udp?endpoint=127.0.0.1:40123}, multicast
 * {@code aeron:udp?endpoint=239.1.1.1:40124|interface=127.0.0.1}, or {@code aeron:ipc}) and a stream id, messages
 * encoded by a {@link MessageCodec}; event-bus topics bridged both ways ({@link #exportTopic},
 * {@link #importTopic}); actors reached by path ({@link #remoteActors}, {@link #actorEndpoint}).
 *
 * <pre>{@code
 * try (AeronTransport aeron = AeronTransport.start(config)) {             // embedded media driver
 *     aeron.subscribe("aeron:udp?endpoint=127.0.0.1:40123", 10, codec, msg -> log.info("got {}", msg));
 *     AeronPublisher out = aeron.publisher("aeron:udp?endpoint=10.0.0.2:40123", 10, codec);
 *     out.send(new OrderPlaced(42));                                       // back-pressure: transport.aeron.overflow
 * }
 * }</pre>
 *
 * <p>By default the transport runs an embedded {@code MediaDriver} in a directory of its own under the temp dir
 * (deleted on close), with {@code transport.aeron.threading-mode} (default {@code shared}: one driver thread, ADR
 * 0011); with {@code transport.aeron.driver=external} it connects to a driver already running in
 * {@code transport.aeron.dir}.
 *
 * <p>Threads: every method may be called from any thread. The transport owns the driver's thread(s) (embedded),
 * the Aeron client's conductor thread and one poller thread ({@code vela-aeron-poller}) that runs every
 * subscription's handler; {@link #close()} stops them all. Creating publishers and subscriptions allocates (and
 * talks to the driver); see {@link AeronPublisher} and {@link AeronSubscription} for their hot paths.
 */
public final class AeronTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AeronTransport.class);

    private final VelaConfig config;
    private final PeerListener peerListener;
    private final ThreadFactory threadFactory;
    private final MediaDriver driver;
    private final String dir;
    private final Aeron aeron;
    private final InboundPoller poller;
    private final AgentRunner pollerRunner;
    private final List<AeronPublisher> publishers = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> links = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private AeronTransport(Builder b) {
        this.config = b.config;
        this.peerListener = b.peerListener;
        this.threadFactory = b.threadFactory;
        int term = config.get(AeronSettings.TERM_LENGTH);
        if (Integer.bitCount(term) != 1) {
            throw new VelaConfigException(List.of(AeronSettings.TERM_LENGTH.key() + " = " + term
                    + " is invalid; valid: " + "a power of two in [65536, 1073741824]"));
        }
        String configured = config.get(AeronSettings.DIR);
        boolean embedded = config.get(AeronSettings.DRIVER) == DriverMode.EMBEDDED;
        MediaDriver d = null;
        Aeron a = null;
        AgentRunner runner = null;
        try {
            if (embedded) {
                String path = "auto".equals(configured) ? Path.of(System.getProperty("java.io.tmpdir"),
                        "vela-aeron-" + UUID.randomUUID()).toString() : configured;
                d = MediaDriver.launch(driverContext(path, term));
                this.dir = d.aeronDirectoryName();
            } else {
                this.dir = "auto".equals(configured) ? new Aeron.Context().aeronDirectoryName() : configured;
                if (!new File(dir, CncFileDescriptor.CNC_FILE).exists()) { // else the client waits 10 s to say so
                    throw new TransportException("no Aeron media driver in " + dir + " (no "
                            + CncFileDescriptor.CNC_FILE + "); start one, or set " + AeronSettings.DRIVER.key()
                            + "=embedded");
                }
            }
            a = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir).errorHandler(AeronTransport::logError)
                    .subscriberErrorHandler(AeronTransport::logError).threadFactory(b.threadFactory));
            this.poller = new InboundPoller(config.get(AeronSettings.FRAGMENT_LIMIT));
            runner = new AgentRunner(newIdle(), AeronTransport::logError, null, poller);
            AgentRunner.startOnThread(runner, b.threadFactory);
        } catch (RuntimeException | Error e) {
            closeQuietly(runner, a, d);
            if (embedded && d == null && !"auto".equals(configured)) {
                throw new TransportException("cannot start an embedded Aeron media driver in " + configured, e);
            }
            throw e instanceof TransportException te ? te : new TransportException("cannot start the Aeron "
                    + "transport (driver " + config.get(AeronSettings.DRIVER).name().toLowerCase() + ", dir "
                    + configured + "): " + e.getMessage(), e);
        }
        this.driver = d;
        this.aeron = a;
        this.pollerRunner = runner;
    }

    private MediaDriver.Context driverContext(String path, int term) {
        long peerNs = TimeUnit.MILLISECONDS.toNanos(config.get(AeronSettings.PEER_TIMEOUT_MS));
        return new MediaDriver.Context()
                .aeronDirectoryName(path)
                .dirDeleteOnStart(false) // Aeron then refuses a directory whose driver is alive, clears a stale one
                .dirDeleteOnShutdown(true)
                .threadingMode(config.get(AeronSettings.THREADING).aeronMode())
                .sharedIdleStrategy(newIdle())
                .sharedNetworkIdleStrategy(newIdle())
                .conductorIdleStrategy(newIdle())
                .senderIdleStrategy(newIdle())
                .receiverIdleStrategy(newIdle())
                .publicationTermBufferLength(term)
                .ipcTermBufferLength(term)
                .imageLivenessTimeoutNs(peerNs)
                .publicationConnectionTimeoutNs(peerNs)
                .errorHandler(AeronTransport::logError);
    }

    /** @return a transport configured by {@code config}'s {@code transport.aeron.*} keys */
    public static AeronTransport start(VelaConfig config) {
        return builder().config(config).build();
    }

    /** @return a builder (configuration defaults, no listener, daemon threads) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A publisher on a stream, following {@code transport.aeron.overflow}.
     *
     * @param channel  the channel URI
     * @param streamId the stream id
     * @param codec    encodes the messages (used under the publisher's lock only)
     * @return the publisher; close it, or the transport's close will
     * @throws TransportException  when Aeron refuses the channel (the message names it)
     * @throws RingClosedException when the transport is closed
     */
    public AeronPublisher publisher(String channel, int streamId, MessageCodec codec) {
        return publisher(channel, streamId, codec, config.get(AeronSettings.OVERFLOW));
    }

    /**
     * A publisher on a stream with its own back-pressure policy.
     *
     * @param channel  the channel URI
     * @param streamId the stream id
     * @param codec    encodes the messages
     * @param policy   what a send does when Aeron does not take the message now
     * @return the publisher
     * @throws TransportException  when Aeron refuses the channel
     * @throws RingClosedException when the transport is closed
     */
    public AeronPublisher publisher(String channel, int streamId, MessageCodec codec, BackPressurePolicy policy) {
        return publisherBuilder(channel, streamId, codec).policy(policy).build();
    }

    /**
     * A builder for a publisher with options (policy, block timeout, single writer).
     *
     * @param channel  the channel URI
     * @param streamId the stream id
     * @param codec    encodes the messages
     * @return the builder
     */
    public AeronPublisher.Builder publisherBuilder(String channel, int streamId, MessageCodec codec) {
        return new AeronPublisher.Builder(this, channel, streamId, codec, config.get(AeronSettings.OVERFLOW),
                config.get(AeronSettings.BLOCK_TIMEOUT_MS));
    }

    AeronPublisher newPublisher(String channel, int streamId, MessageCodec codec, BackPressurePolicy policy,
            long blockTimeoutMs, boolean singleWriter) {
        requireOpen(channel);
        Publication p;
        try {
            p = aeron.addExclusivePublication(channel, streamId);
        } catch (RuntimeException e) {
            throw new TransportException("cannot publish on aeron channel " + channel + " stream " + streamId
                    + ": " + e.getMessage(), e);
        }
        AeronPublisher pub = new AeronPublisher(this, p, codec, policy, blockTimeoutMs,
                config.get(AeronSettings.MAX_MESSAGE_BYTES), newIdle(), singleWriter);
        publishers.add(pub);
        if (closed) {
            pub.close();
            throw closedException(channel);
        }
        return pub;
    }

    /**
     * Subscribes to a stream: every message is decoded with {@code codec} and given to {@code handler} on the
     * poller thread. A message that does not decode, or whose handler throws, is counted in
     * {@link AeronSubscription#failures()} and the stream goes on.
     *
     * @param channel  the channel URI
     * @param streamId the stream id
     * @param codec    decodes the messages (used by the poller thread only)
     * @param handler  receives them
     * @return the subscription
     */
    public AeronSubscription subscribe(String channel, int streamId, MessageCodec codec, Consumer<Object> handler) {
        return subscribe(channel, streamId, codec, handler, PeerListener.NONE);
    }

    /**
     * Subscribes to a stream, with a listener for peers coming and going on it.
     *
     * @param channel  the channel URI
     * @param streamId the stream id
     * @param codec    decodes the messages
     * @param handler  receives them
     * @param listener told of this stream's peers (besides the transport's own listener)
     * @return the subscription
     */
    public AeronSubscription subscribe(String channel, int streamId, MessageCodec codec, Consumer<Object> handler,
            PeerListener listener) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(handler, "handler");
        return subscribeRecords(channel, streamId, (buffer, offset, length) ->
                handler.accept(codec.decode(buffer, offset, length)), listener);
    }

    AeronSubscription subscribeRecords(String channel, int streamId, AeronSubscription.RecordSink sink,
            PeerListener listener) {
        requireOpen(channel);
        AeronSubscription s = new AeronSubscription(this, Objects.requireNonNull(channel, "channel"), streamId,
                sink, Objects.requireNonNull(listener, "listener"));
        Subscription sub;
        try {
            sub = aeron.addSubscription(channel, streamId, s::onAvailable, s::onUnavailable);
        } catch (RuntimeException e) {
            throw new TransportException("cannot subscribe to aeron channel " + channel + " stream " + streamId
                    + ": " + e.getMessage(), e);
        }
        s.attach(sub);
        poller.add(s);
        if (closed) {
            s.close();
            throw closedException(channel);
        }
        return s;
    }

    /**
     * Publishes the events of {@code type} (and its subtypes) that {@code bus} delivers onto a stream. The bus
     * subscription is inline: under {@code block} / {@code block-timeout} a back-pressured stream holds up the
     * topic's consumer and, through the ring, the bus's publishers ({@code events.overflow}).
     *
     * @param bus      the local bus
     * @param type     the events to forward
     * @param channel  the channel URI
     * @param streamId the stream id
     * @param codec    encodes the events
     * @param <E>      the event type
     * @return the link: counters and close
     */
    public <E> TopicLink exportTopic(EventBus bus, Class<E> type, String channel, int streamId, MessageCodec codec) {
        AeronPublisher pub = publisher(channel, streamId, codec);
        TopicLink link = TopicLink.export(this, bus, type, pub);
        links.add(link);
        return link;
    }

    /**
     * Publishes every message of a stream into {@code bus} as an object event ({@link EventBus#publish(Object)},
     * so {@code events.overflow} applies on the poller thread); a refusal by the bus is counted in
     * {@link TopicLink#refused()}.
     *
     * @param channel  the channel URI
     * @param streamId the stream id
     * @param codec    decodes the messages
     * @param bus      the local bus
     * @return the link
     */
    public TopicLink importTopic(String channel, int streamId, MessageCodec codec, EventBus bus) {
        TopicLink link = TopicLink.importing(this, channel, streamId, codec, bus);
        links.add(link);
        return link;
    }

    /**
     * Refs to actors of a remote {@link ActorEndpoint} listening on a stream.
     *
     * @param channel  the endpoint's channel URI
     * @param streamId its stream id
     * @param codec    encodes the messages
     * @return a factory of {@link RemoteActorRef}s sharing one publisher
     */
    public RemoteActors remoteActors(String channel, int streamId, MessageCodec codec) {
        return new RemoteActors(publisher(channel, streamId, codec));
    }

    /**
     * An endpoint delivering a stream's actor messages into local actors by path: only actors
     * {@linkplain ActorEndpoint#expose exposed} on it are reachable.
     *
     * @param channel  the channel URI
     * @param streamId the stream id
     * @param codec    decodes the messages
     * @return the endpoint
     */
    public ActorEndpoint actorEndpoint(String channel, int streamId, MessageCodec codec) {
        ActorEndpoint endpoint = new ActorEndpoint(codec);
        endpoint.attach(subscribeRecords(channel, streamId, endpoint::onRecord, PeerListener.NONE));
        links.add(endpoint);
        return endpoint;
    }

    /** @return the Aeron directory in use (embedded: this transport's own) */
    public String aeronDirectory() {
        return dir;
    }

    /** @return true when this transport runs its own media driver */
    public boolean embeddedDriver() {
        return driver != null;
    }

    /** @return true once {@link #close()} has begun */
    public boolean isClosed() {
        return closed;
    }

    PeerListener peerListener() {
        return peerListener;
    }

    IdleStrategy newIdle() {
        return config.get(AeronSettings.IDLE).newIdleStrategy();
    }

    boolean pollerRunning() {
        return pollerRunner != null && !pollerRunner.isClosed() && pollerRunner.thread() != null
                && pollerRunner.thread().isAlive() && Thread.currentThread() != pollerRunner.thread();
    }

    void forget(AeronPublisher p) {
        publishers.remove(p);
    }

    void forget(AeronSubscription s) {
        poller.remove(s);
    }

    void forget(AutoCloseable link) {
        links.remove(link);
    }

    /**
     * Waits, up to {@code transport.aeron.close-linger-ms}, until the driver has sent (UDP) or the subscribers
     * have read (IPC) everything {@code p} accepted, so that a close does not lose accepted messages.
     */
    void linger(Publication p) {
        long lingerNs = TimeUnit.MILLISECONDS.toNanos(config.get(AeronSettings.CLOSE_LINGER_MS));
        if (lingerNs == 0 || closedClient()) {
            return;
        }
        long target = p.position();
        long deadline = System.nanoTime() + lingerNs;
        IdleStrategy idle = newIdle();
        while (p.isConnected() && consumed(p) < target && System.nanoTime() - deadline < 0) {
            idle.idle();
        }
    }

    private boolean closedClient() {
        return aeron == null || aeron.isClosed();
    }

    /** The least position the driver has sent (UDP) or a subscriber has read (IPC); MAX_VALUE if unknown. */
    private long consumed(Publication p) {
        CountersReader counters = aeron.countersReader();
        if (p.channel().startsWith("aeron:ipc")) {
            long[] min = {Long.MAX_VALUE};
            counters.forEach((id, typeId, key, label) -> {
                if (typeId == AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID && key.getInt(8) == p.sessionId()
                        && key.getInt(12) == p.streamId()) {
                    min[0] = Math.min(min[0], counters.getCounterValue(id));
                }
            });
            return min[0];
        }
        int id = counters.findByTypeIdAndRegistrationId(AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID,
                p.registrationId());
        return id == CountersReader.NULL_COUNTER_ID ? Long.MAX_VALUE : counters.getCounterValue(id);
    }

    private void requireOpen(String channel) {
        if (closed) {
            throw closedException(channel);
        }
    }

    private static RingClosedException closedException(String channel) {
        return new RingClosedException("aeron " + channel, 0, "the Aeron transport is closed");
    }

    /**
     * Closes the links and publishers (each waits up to {@code transport.aeron.close-linger-ms} for what it
     * accepted to leave), stops the poller (waiting at most 2 s for a stuck handler, then leaving its thread
     * interrupted), closes the subscriptions, the Aeron client and the embedded driver, and deletes the embedded
     * driver's directory. Idempotent. Called from a subscription's handler (the poller thread), it refuses new
     * work at once and returns; the rest runs on a thread of its own ({@code vela-aeron-close}) while the poller,
     * once that handler returns, goes on reading what the publishers linger for.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (pollerRunner != null && pollerRunner.thread() == Thread.currentThread()) {
            Thread closer = threadFactory.newThread(this::finishClose); // the poller cannot wait for itself
            closer.setName("vela-aeron-close");
            closer.start();
            return;
        }
        finishClose();
    }

    private void finishClose() {
        for (AutoCloseable link : links) {
            try {
                link.close();
            } catch (Exception e) {
                LOG.warn("Closing an Aeron link failed", e);
            }
        }
        publishers.forEach(AeronPublisher::close);
        stopPoller();
        for (AeronSubscription s : poller.snapshot()) {
            s.closeOnPoller();
        }
        closeQuietly(null, aeron, driver);
        if (driver != null) {
            IoUtil.delete(new File(dir), true);
        }
    }

    private void stopPoller() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try {
            pollerRunner.close(200, thread -> {
                if (System.nanoTime() - deadline >= 0) {
                    throw new PollerStuck();
                }
            });
        } catch (PollerStuck e) {
            LOG.warn("The Aeron poller thread did not stop within 2 s: a subscription handler does not return");
        }
    }

    private static void closeQuietly(AgentRunner runner, Aeron a, MediaDriver d) {
        for (AutoCloseable c : new AutoCloseable[] {runner, a, d}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("Closing {} failed", c, e);
                }
            }
        }
    }

    private static void logError(Throwable t) {
        LOG.warn("Aeron reported an error", t);
    }

    /** Thrown from the poller's close-fail action once the close deadline has passed. */
    private static final class PollerStuck extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PollerStuck() {
            super("poller stuck", null, false, false);
        }
    }

    /** Builds an {@link AeronTransport}. */
    public static final class Builder {
        private VelaConfig config = VelaConfig.defaults();
        private PeerListener peerListener = PeerListener.NONE;
        private ThreadFactory threadFactory = r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        };

        private Builder() {
        }

        /**
         * @param config the {@code transport.aeron.*} keys
         * @return this builder
         */
        public Builder config(VelaConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param listener told of peers coming and going on every subscription
         * @return this builder
         */
        public Builder peerListener(PeerListener listener) {
            this.peerListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param threadFactory makes the poller's and the Aeron client's threads
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * @return a running transport
         * @throws TransportException when the driver cannot start or cannot be reached
         */
        public AeronTransport build() {
            return new AeronTransport(this);
        }
    }
}
