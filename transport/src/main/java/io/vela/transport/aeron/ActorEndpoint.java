package io.vela.transport.aeron;

import io.vela.engine.RingRejectedException;
import io.vela.engine.actor.ActorRef;
import io.vela.transport.codec.CodecException;
import io.vela.transport.codec.MessageCodec;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the actor messages of one Aeron stream (sent by {@link RemoteActorRef}s) into local actors by path.
 * Only {@linkplain #expose exposed} actors are reachable: a message for any other path is counted in
 * {@link #unknownTargets()} and dropped (logged at debug), never a crash. A message the target refuses (its mailbox
 * full under {@code FAIL}) is counted in {@link #refused()}; one for a stopped actor goes to the local dead
 * letters, as a local tell does.
 *
 * <p>Threads: delivery runs on the transport's poller thread and follows the target's mailbox overflow (under
 * {@code BLOCK} the poller waits up to the actor's block timeout). {@link #expose} and the counters may be used from
 * any thread. Each message allocates its decoded form and the path's {@code String}.
 */
public final class ActorEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActorEndpoint.class);

    private final MessageCodec codec;
    private final ConcurrentHashMap<String, ActorRef<Object>> actors = new ConcurrentHashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private AeronSubscription subscription;

    ActorEndpoint(MessageCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    void attach(AeronSubscription s) {
        this.subscription = s;
    }

    /**
     * Makes {@code actor} reachable from remote refs at its path.
     *
     * @param actor a local actor
     * @return this endpoint
     */
    @SuppressWarnings("unchecked")
    public ActorEndpoint expose(ActorRef<?> actor) {
        actors.put(actor.path().toString(), (ActorRef<Object>) actor);
        return this;
    }

    /**
     * Makes {@code actor} unreachable again (later messages for it count as unknown targets).
     *
     * @param actor a local actor exposed before
     */
    public void unexpose(ActorRef<?> actor) {
        actors.remove(actor.path().toString(), actor);
    }

    void onRecord(DirectBuffer buffer, int offset, int length) {
        int pathLength = length < Short.BYTES ? -1 : buffer.getShort(offset);
        if (pathLength <= 0 || pathLength > RemoteActors.MAX_PATH_BYTES || Short.BYTES + pathLength > length) {
            throw new CodecException("not an actor message: bad path length " + pathLength, "actor envelope", 0,
                    null);
        }
        String path = buffer.getStringWithoutLengthUtf8(offset + Short.BYTES, pathLength);
        ActorRef<Object> target = actors.get(path);
        if (target == null) {
            unknown.incrementAndGet();
            LOG.debug("Aeron actor message for {}, which is not exposed here: dropped", path);
            return;
        }
        int body = Short.BYTES + pathLength;
        Object message = codec.decode(buffer, offset + body, length - body);
        try {
            target.tell(message);
            delivered.lazySet(delivered.get() + 1); // the poller thread: a single writer
        } catch (RingRejectedException e) {
            refused.incrementAndGet();
        }
    }

    /** @return messages handed to a local actor's mailbox */
    public long delivered() {
        return delivered.get();
    }

    /** @return messages for paths not exposed here (dropped) */
    public long unknownTargets() {
        return unknown.get();
    }

    /** @return messages the target actor refused (mailbox full) */
    public long refused() {
        return refused.get();
    }

    /** @return messages that did not decode (counted, skipped) */
    public long failures() {
        return subscription.failures();
    }

    /** @return the stream's subscription (peers, counters) */
    public AeronSubscription subscription() {
        return subscription;
    }

    /** Stops delivery. Idempotent. */
    @Override
    public void close() {
        subscription.close();
    }
}
