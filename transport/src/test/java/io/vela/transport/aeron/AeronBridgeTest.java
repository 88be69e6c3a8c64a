package io.vela.transport.aeron;

import static io.vela.transport.aeron.AeronTestSupport.await;
import static io.vela.transport.aeron.AeronTestSupport.config;
import static io.vela.transport.aeron.AeronTestSupport.freePort;
import static io.vela.transport.aeron.AeronTestSupport.start;
import static io.vela.transport.aeron.AeronTestSupport.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.OfferResult;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.engine.actor.ActorRef;
import io.vela.engine.actor.Behaviors;
import io.vela.transport.TransportException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Event-bus topics and actor refs over Aeron (loopback UDP) between two runtimes in one JVM. */
@Timeout(30)
class AeronBridgeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private VelaRuntime a;
    private VelaRuntime b;
    private AeronTransport ta;
    private AeronTransport tb;

    @BeforeEach
    void start2() {
        VelaConfig rt = VelaConfig.builder().set(io.vela.engine.Settings.EXECUTOR_WORKERS, 1).build();
        a = VelaRuntime.start(rt);
        b = VelaRuntime.start(rt);
        ta = start(config().set(AeronSettings.OVERFLOW, BackPressurePolicy.BLOCK));
        tb = start(config().set(AeronSettings.OVERFLOW, BackPressurePolicy.BLOCK));
    }

    @AfterEach
    void stop() {
        ta.close();
        tb.close();
        a.close();
        b.close();
    }

    @Test
    void aTopicCrossesBothWays() {
        String ab = udp(freePort());
        String ba = udp(freePort());
        ConcurrentLinkedQueue<String> atB = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> atA = new ConcurrentLinkedQueue<>();
        b.events().subscribe(String.class, atB::add);
        a.events().subscribe(Long.class, atA::add);
        TopicLink in = tb.importTopic(ab, 20, new TestCodec(), b.events());
        TopicLink out = ta.exportTopic(a.events(), String.class, ab, 20, new TestCodec());
        TopicLink inA = ta.importTopic(ba, 21, new TestCodec(), a.events());
        TopicLink outB = tb.exportTopic(b.events(), Long.class, ba, 21, new TestCodec());
        await("links connected", WAIT, () -> in.forwarded() == 0 && ta.isClosed() == false
                && tb.isClosed() == false && connected(ab, 20));
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            a.events().publish("e" + i);
            b.events().publish((long) i);
        }
        await("all crossed", WAIT, () -> atB.size() == n && atA.size() == n, () -> "at B " + atB.size()
                + ", at A " + atA.size() + "; out " + out.forwarded() + "/" + out.refused() + ", in " + in.forwarded()
                + "/" + in.refused() + "/" + in.failures() + ", outB " + outB.forwarded() + ", inA "
                + inA.forwarded());
        assertThat(atB).startsWith("e0", "e1").endsWith("e" + (n - 1)).doesNotHaveDuplicates();
        assertThat(atA).doesNotHaveDuplicates();
        assertThat(out.forwarded()).isEqualTo(n);
        assertThat(in.forwarded()).isEqualTo(n);
        assertThat(outB.forwarded()).isEqualTo(n);
        assertThat(inA.forwarded()).isEqualTo(n);
        assertThat(out.refused() + out.dropped() + in.refused() + in.failures()).isZero();
    }

    private boolean connected(String channel, int stream) {
        try (AeronPublisher probe = ta.publisher(channel, stream, new TestCodec())) {
            return probe.isConnected();
        }
    }

    @Test
    void anImportIntoAClosedBusCountsRefusals() {
        String ch = udp(freePort());
        TopicLink in = tb.importTopic(ch, 22, new TestCodec(), b.events());
        AeronPublisher pub = ta.publisher(ch, 22, new TestCodec());
        await("connected", WAIT, pub::isConnected);
        b.events().close();
        for (long i = 0; i < 10; i++) {
            pub.send(i);
        }
        await("refused", WAIT, () -> in.refused() == 10);
        assertThat(in.forwarded()).isZero();
    }

    @Test
    void remoteActorRefDeliversByPathAndCountsUnknownTargets() throws Exception {
        String ch = udp(freePort());
        ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        ActorRef<String> counter = b.actors().spawn(Behaviors.receiveMessage(m -> {
            got.add(m);
            return Behaviors.same();
        }), "counter");
        ActorRef<String> hidden = b.actors().spawn(Behaviors.receiveMessage(m -> Behaviors.same()), "hidden");
        ActorEndpoint endpoint = tb.actorEndpoint(ch, 30, new TestCodec()).expose(counter);
        RemoteActors remote = ta.remoteActors(ch, 30, new TestCodec());
        RemoteActorRef<String> ref = remote.ref("/user/counter");
        assertThat(ref.path()).isEqualTo(counter.path());
        await("connected", WAIT, remote.publisher()::isConnected);
        for (int i = 0; i < 500; i++) {
            ref.tell("m" + i);
        }
        assertThat(ref.tryTell("last")).isEqualTo(OfferResult.ACCEPTED);
        remote.<String>ref("/user/nobody").tell("lost");
        remote.<String>ref(hidden.path().toString()).tell("not exposed");
        await("delivered", WAIT, () -> got.size() == 501 && endpoint.unknownTargets() == 2);
        assertThat(got).startsWith("m0", "m1").endsWith("m499", "last");
        assertThat(endpoint.delivered()).isEqualTo(501);

        b.actors().stop(counter); // a stopped actor: its messages go to the local dead letters
        await("stopped", WAIT, () -> b.actors().find(counter.path()).isEmpty());
        long dead = b.actors().deadLetters().count();
        ref.tell("too late");
        await("dead-lettered", WAIT, () -> b.actors().deadLetters().count() == dead + 1);

        assertThatThrownBy(() -> ref.ask(r -> "q", Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TransportException.class);
        assertThatThrownBy(() -> remote.ref("user/x")).isInstanceOf(IllegalArgumentException.class);
        remote.close();
        long refusedBefore = remote.publisher().refused();
        ref.tell("after close"); // ActorRef's contract: an unreachable target does not make tell throw
        assertThat(remote.publisher().refused()).isEqualTo(refusedBefore + 1);
        assertThat(ref.tryTell("after close")).isEqualTo(OfferResult.CLOSED);
    }

    @Test
    void garbageOnAnActorStreamIsCountedNotFatal() {
        String ch = udp(freePort());
        ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        ActorRef<String> sink = b.actors().spawn(Behaviors.receiveMessage(m -> {
            got.add(m);
            return Behaviors.same();
        }), "sink");
        ActorEndpoint endpoint = tb.actorEndpoint(ch, 31, new TestCodec()).expose(sink);
        AeronPublisher raw = ta.publisher(ch, 31, new TestCodec()); // plain records, no path header
        RemoteActors remote = ta.remoteActors(ch, 31, new TestCodec());
        await("connected", WAIT, raw::isConnected);
        raw.send(7L);
        raw.send("");
        remote.<String>ref("/user/sink").tell("fine");
        await("delivered", WAIT, () -> got.contains("fine"));
        assertThat(endpoint.failures() + endpoint.unknownTargets()).isEqualTo(2);
    }
}
