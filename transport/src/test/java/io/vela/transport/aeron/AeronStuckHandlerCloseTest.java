package io.vela.transport.aeron;

import static io.vela.transport.aeron.AeronTestSupport.await;
import static io.vela.transport.aeron.AeronTestSupport.config;
import static io.vela.transport.aeron.AeronTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A handler stuck past the transport's close (2 s for the poller) that then returns: the poller must not go on
 * reading term buffers the closed client has unmapped (a crash of the whole JVM), nor hand the handler messages
 * of a closed transport. In a class of its own: if this crashes the fork, the other classes' results survive.
 */
@Timeout(20)
class AeronStuckHandlerCloseTest {
    @Test
    void aHandlerThatReturnsAfterTheTransportClosedGetsNothingMoreAndTheJvmSurvives() throws Exception {
        AeronTransport t = start(config().set(AeronSettings.CLOSE_LINGER_MS, 0L));
        AtomicBoolean release = new AtomicBoolean();
        AtomicInteger afterRelease = new AtomicInteger();
        AtomicReference<Thread> poller = new AtomicReference<>();
        CountDownLatch entered = new CountDownLatch(1);
        t.subscribe("aeron:ipc", 25, new TestCodec(), m -> {
            if (poller.compareAndSet(null, Thread.currentThread())) {
                entered.countDown();
                while (!release.get()) {
                    Thread.onSpinWait(); // deaf to interrupts, like a tight loop in user code
                }
                return;
            }
            afterRelease.incrementAndGet();
        });
        AeronPublisher pub = t.publisher("aeron:ipc", 25, new TestCodec(), BackPressurePolicy.BLOCK);
        await("connected", Duration.ofSeconds(5), pub::isConnected);
        for (long i = 0; i < 50; i++) {
            pub.send(i); // 49 queued behind the stuck one, in the same term
        }
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        t.close(); // gives up on the poller after 2 s
        System.gc(); // unmapping is prompt, but let a Cleaner run too
        release.set(true);
        poller.get().join(3_000);
        assertThat(poller.get().isAlive()).as("poller thread ended once its handler returned").isFalse();
        assertThat(afterRelease.get()).as("messages given to a handler after its transport closed").isZero();
    }
}
