package io.vela.transport.aeron;

import static io.vela.transport.aeron.AeronTestSupport.await;
import static io.vela.transport.aeron.AeronTestSupport.config;
import static io.vela.transport.aeron.AeronTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.vela.engine.OfferResult;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Paths found by review: handlers that misbehave towards the poller, closes from awkward places. */
@Timeout(20)
class AeronReviewTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /**
     * A handler that catches an InterruptedException and restores its flag, as Java's guidelines say, leaves the
     * poller thread interrupted; Agrona's AgentRunner stops its loop on an interrupted thread with no work, so every
     * subscription of the transport would go silent.
     */
    @Test
    void aHandlerThatRestoresItsInterruptFlagDoesNotStopThePoller() {
        try (AeronTransport t = start(config())) {
            ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
            t.subscribe("aeron:ipc", 21, new TestCodec(), m -> {
                got.add(m);
                if (Long.valueOf(1L).equals(m)) {
                    Thread.currentThread().interrupt(); // e.g. restored after catching InterruptedException
                }
            });
            AeronPublisher pub = t.publisher("aeron:ipc", 21, new TestCodec(), BackPressurePolicy.BLOCK);
            await("connected", WAIT, pub::isConnected);
            pub.send(1L);
            await("first message", WAIT, () -> got.size() == 1);
            sleep(100); // the poller goes idle with the flag set
            pub.send(2L);
            await("a message sent after the handler set its interrupt flag", WAIT, () -> got.size() == 2,
                    () -> "got " + got);
        }
    }

    /** A subscription closed from inside its own handler gets no further message ("stops delivery"). */
    @Test
    void aSubscriptionClosedFromItsOwnHandlerReceivesNothingMore() throws Exception {
        try (AeronTransport t = start(config())) {
            CountDownLatch backlog = new CountDownLatch(1);
            AtomicInteger afterClose = new AtomicInteger();
            AtomicBoolean closedIt = new AtomicBoolean();
            AtomicReference<AeronSubscription> self = new AtomicReference<>();
            AtomicReference<Throwable> closeFailure = new AtomicReference<>();
            CountDownLatch closed = new CountDownLatch(1);
            AeronSubscription sub = t.subscribe("aeron:ipc", 22, new TestCodec(), m -> {
                if (closedIt.get()) {
                    afterClose.incrementAndGet();
                    return;
                }
                try {
                    backlog.await(5, TimeUnit.SECONDS); // let the sender queue more messages behind this one
                    closedIt.set(true);
                    await("subscription known", WAIT, () -> self.get() != null);
                    self.get().close();
                } catch (Throwable e) {
                    closeFailure.set(e);
                } finally {
                    closed.countDown();
                }
            });
            self.set(sub);
            AeronPublisher pub = t.publisher("aeron:ipc", 22, new TestCodec(), BackPressurePolicy.BLOCK);
            await("connected", WAIT, pub::isConnected);
            for (long i = 0; i < 20; i++) {
                pub.send(i);
            }
            backlog.countDown();
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(closeFailure.get()).isNull();
            sleep(200);
            assertThat(afterClose.get()).as("messages handed to a handler after it closed its subscription")
                    .isZero();
        }
    }

    /**
     * {@code ActorRef.tell} to an actor that cannot be reached any more returns normally (a local ref's messages go
     * to the dead letters); only a full mailbox throws. A remote ref after its {@code RemoteActors} (or transport)
     * closed must not throw either: an actor replying to a remote ref would otherwise fail and be restarted.
     */
    @Test
    void aRemoteActorRefAfterCloseDoesNotThrowFromTell() {
        AeronTransport t = start(config());
        RemoteActors remote = t.remoteActors("aeron:ipc", 23, new TestCodec());
        RemoteActorRef<Long> ref = remote.ref("/user/orders");
        remote.close();
        assertThatCode(() -> ref.tell(1L)).doesNotThrowAnyException();
        assertThat(ref.tryTell(2L)).isEqualTo(OfferResult.CLOSED);
        assertThat(remote.publisher().refused()).as("the tell after close is counted").isEqualTo(1);
        RemoteActorRef<Long> later = t.remoteActors("aeron:ipc", 24, new TestCodec()).ref("/user/x");
        t.close();
        assertThatCode(() -> later.tell(3L)).doesNotThrowAnyException();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
