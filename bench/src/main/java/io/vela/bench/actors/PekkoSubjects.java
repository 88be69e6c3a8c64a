package io.vela.bench.actors;

import io.vela.bench.actors.Messages.Count;
import io.vela.bench.actors.Messages.Pong;
import io.vela.bench.actors.Messages.Reply;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Subject {@code pekko}: Pekko typed 1.x (Java DSL), its default dispatcher a fork-join executor with the
 * topology's thread count and throughput ({@link ActorTopology#pekkoConfig()}), the default (unbounded) mailbox.
 * Messages are preallocated where the protocol allows, as for Vela.
 */
final class PekkoSubjects {
    private PekkoSubjects() {
    }

    /** A ping carrying its reply address, as Pekko typed carries senders. */
    record Ping(ActorRef<Pong> replyTo) {
    }

    /** An ask request. */
    record Request(ActorRef<Reply> replyTo) {
    }

    /**
     * The guardian is the counting actor; {@code tell} goes straight to it.
     *
     * @param topology threads and throughput
     * @param senders  how many senders
     * @param tally    where the actor counts
     * @return the subject
     */
    static TellSubject tell(ActorTopology topology, int senders, Tally tally) {
        Count[] messages = Messages.counts(senders);
        Behavior<Count> counter = Behaviors.receiveMessage(m -> {
            tally.processed(m.sender());
            return Behaviors.same();
        });
        ActorSystem<Count> system = ActorSystem.create(counter, "bench-tell", topology.pekkoConfig());
        return new TellSubject() {
            @Override
            public void tell(int sender) {
                system.tell(messages[sender]);
            }

            @Override
            public void close() {
                terminate(system);
            }
        };
    }

    /**
     * The guardian pings a ponger it spawned, one ping in flight, and times each round trip.
     *
     * @param topology     threads and throughput
     * @param warmNanos    not recorded
     * @param measureNanos recorded
     * @return the round trips
     * @throws Exception if the run fails or takes far longer than asked
     */
    static Histogram pingPong(ActorTopology topology, long warmNanos, long measureNanos) throws Exception {
        RoundTrips trips = new RoundTrips(warmNanos, measureNanos);
        Behavior<Pong> pinger = Behaviors.setup(ctx -> {
            ActorRef<Ping> ponger = ctx.spawn(Behaviors.<Ping>receiveMessage(p -> {
                p.replyTo().tell(Pong.PONG);
                return Behaviors.same();
            }), "ponger");
            Ping ping = new Ping(ctx.getSelf());
            trips.start();
            ponger.tell(ping);
            return Behaviors.receiveMessage(pong -> {
                if (trips.next()) {
                    ponger.tell(ping);
                }
                return Behaviors.same();
            });
        });
        ActorSystem<Pong> system = ActorSystem.create(pinger, "bench-pingpong", topology.pekkoConfig());
        try {
            return trips.done().get(warmNanos + measureNanos + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
        } finally {
            terminate(system);
        }
    }

    /**
     * The calling thread asks the guardian, which answers each request.
     *
     * @param topology     threads and throughput
     * @param warmNanos    not recorded
     * @param measureNanos recorded
     * @return the round trips
     */
    static Histogram ask(ActorTopology topology, long warmNanos, long measureNanos) {
        Behavior<Request> responder = Behaviors.receiveMessage(r -> {
            r.replyTo().tell(Reply.REPLY);
            return Behaviors.same();
        });
        ActorSystem<Request> system = ActorSystem.create(responder, "bench-ask", topology.pekkoConfig());
        Duration timeout = Duration.ofSeconds(5);
        try {
            return new RoundTrips(warmNanos, measureNanos).askLoop(() -> AskPattern.<Request, Reply>ask(system,
                    Request::new, timeout, system.scheduler()).toCompletableFuture());
        } finally {
            terminate(system);
        }
    }

    private static void terminate(ActorSystem<?> system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Pekko did not terminate within 10 s", e);
        }
    }
}
