package io.vela.transport.aeron;

import io.vela.engine.OfferResult;
import io.vela.engine.RingClosedException;
import io.vela.engine.actor.ActorPath;
import io.vela.engine.actor.ActorRef;
import io.vela.transport.TransportException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ref to an actor in another process, reached over Aeron: each tell is one record on the stream of a remote
 * {@link ActorEndpoint} — the target's path, then the message as the codec encodes it. Made by
 * {@link RemoteActors#ref(String)}.
 *
 * <p>Delivery follows the shared publisher's {@link BackPressurePolicy} on this side and the target's mailbox
 * overflow on the other; a path the remote endpoint does not expose is counted there
 * ({@link ActorEndpoint#unknownTargets()}). {@link #ask} is not supported over the wire: its future fails at once.
 *
 * <p>Threads: any. {@link #tell} and {@link #tryTell} allocate nothing beyond the codec's work.
 *
 * @param <M> the type of message the remote actor accepts
 */
public final class RemoteActorRef<M> implements ActorRef<M> {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteActorRef.class);

    private final ActorPath path;
    private final AeronPublisher publisher;
    private final DirectBuffer header;

    RemoteActorRef(ActorPath path, AeronPublisher publisher, DirectBuffer header) {
        this.path = path;
        this.publisher = publisher;
        this.header = header;
    }

    @Override
    public ActorPath path() {
        return path;
    }

    /**
     * Sends {@code message} onto the stream following the publisher's {@link BackPressurePolicy}. As with a local
     * ref to a stopped actor, a tell once the publisher (or the transport) is closed returns normally: the message
     * is given up, counted in the publisher's {@link AeronPublisher#refused()} and logged at debug.
     *
     * @throws io.vela.engine.RingFullException back-pressured or not connected (fail-fast, block-timeout)
     */
    @Override
    public void tell(M message) {
        try {
            publisher.send(header, header.capacity(), message);
        } catch (RingClosedException e) {
            LOG.debug("Tell to remote actor {} after its stream closed: given up", path);
        }
    }

    /** @return ACCEPTED when Aeron took it; FULL when back-pressured or not connected; CLOSED */
    @Override
    public OfferResult tryTell(M message) {
        return publisher.trySend(header, header.capacity(), message);
    }

    /** @return a future failed at once with a {@link TransportException}: ask does not cross Aeron */
    @Override
    public <R> CompletableFuture<R> ask(Function<ActorRef<R>, M> toMessage, Duration timeout) {
        return CompletableFuture.failedFuture(new TransportException("ask over Aeron is not supported (remote "
                + "actor " + path + " on " + publisher.channel() + " stream " + publisher.streamId()
                + "); tell a message carrying a reply address instead"));
    }

    @Override
    public String toString() {
        return "RemoteActorRef[" + path + " via " + publisher + "]";
    }
}
