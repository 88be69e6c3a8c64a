package io.vela.bench.actors;

import io.vela.bench.actors.Messages.Count;
import io.vela.bench.actors.Messages.Pong;
import io.vela.bench.actors.Messages.Reply;
import io.vela.engine.VelaRuntime;
import io.vela.engine.actor.ActorOptions;
import io.vela.engine.actor.ActorRef;
import io.vela.engine.actor.Behavior;
import io.vela.engine.actor.Behaviors;
import io.vela.engine.actor.MailboxOverflow;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Subject {@code vela}: Vela's actors on a runtime with the topology's ring workers and wait strategy
 * ({@link ActorTopology#velaConfig()}); every actor has {@link ActorTopology#MAILBOX} mailbox slots, the
 * {@code FAIL} overflow (a full mailbox fails the run instead of hiding in a figure) and
 * {@link ActorTopology#THROUGHPUT} messages per turn. Messages are preallocated where the protocol allows.
 */
final class VelaActorSubjects {
    private static final ActorOptions OPTIONS = ActorOptions.builder().mailboxCapacity(ActorTopology.MAILBOX)
            .overflow(MailboxOverflow.FAIL).throughput(ActorTopology.THROUGHPUT).build();

    private VelaActorSubjects() {
    }

    /** A ping carrying its reply address. */
    record Ping(ActorRef<Pong> replyTo) {
    }

    /** An ask request. */
    record Request(ActorRef<Reply> replyTo) {
    }

    /**
     * @param topology threads and wait strategy
     * @param senders  how many senders
     * @param tally    where the actor counts
     * @return the subject: {@code tell} goes to one counting actor
     */
    static TellSubject tell(ActorTopology topology, int senders, Tally tally) {
        Count[] messages = Messages.counts(senders);
        VelaRuntime runtime = VelaRuntime.start(topology.velaConfig());
        ActorRef<Count> counter;
        try {
            counter = runtime.actors().spawn(Behaviors.<Count>receiveMessage(m -> {
                tally.processed(m.sender());
                return Behaviors.same();
            }), "counter", OPTIONS);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        return new TellSubject() {
            @Override
            public void tell(int sender) {
                counter.tell(messages[sender]);
            }

            @Override
            public void close() {
                runtime.close();
            }
        };
    }

    /**
     * A pinger pings a ponger, one ping in flight, and times each round trip.
     *
     * @param topology     threads and wait strategy
     * @param warmNanos    not recorded
     * @param measureNanos recorded
     * @return the round trips
     * @throws Exception if the run fails or takes far longer than asked
     */
    static Histogram pingPong(ActorTopology topology, long warmNanos, long measureNanos) throws Exception {
        RoundTrips trips = new RoundTrips(warmNanos, measureNanos);
        try (VelaRuntime runtime = VelaRuntime.start(topology.velaConfig())) {
            ActorRef<Ping> ponger = runtime.actors().spawn(Behaviors.<Ping>receiveMessage(p -> {
                p.replyTo().tell(Pong.PONG);
                return Behaviors.same();
            }), "ponger", OPTIONS);
            Behavior<Pong> pinger = Behaviors.setup(ctx -> {
                Ping ping = new Ping(ctx.self());
                trips.start();
                ponger.tell(ping);
                return Behaviors.<Pong>receiveMessage(pong -> {
                    if (trips.next()) {
                        ponger.tell(ping);
                    }
                    return Behaviors.same();
                });
            });
            runtime.actors().spawn(pinger, "pinger", OPTIONS);
            return trips.done().get(warmNanos + measureNanos + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The calling thread asks an actor that answers each request.
     *
     * @param topology     threads and wait strategy
     * @param warmNanos    not recorded
     * @param measureNanos recorded
     * @return the round trips
     */
    static Histogram ask(ActorTopology topology, long warmNanos, long measureNanos) {
        Duration timeout = Duration.ofSeconds(5);
        try (VelaRuntime runtime = VelaRuntime.start(topology.velaConfig())) {
            ActorRef<Request> responder = runtime.actors().spawn(Behaviors.<Request>receiveMessage(r -> {
                r.replyTo().tell(Reply.REPLY);
                return Behaviors.same();
            }), "responder", OPTIONS);
            return new RoundTrips(warmNanos, measureNanos).askLoop(() -> responder.<Reply>ask(Request::new, timeout));
        }
    }
}
