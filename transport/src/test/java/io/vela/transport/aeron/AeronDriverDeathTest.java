package io.vela.transport.aeron;

import static io.vela.transport.aeron.AeronTestSupport.await;
import static io.vela.transport.aeron.AeronTestSupport.config;
import static io.vela.transport.aeron.AeronTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.RingClosedException;
import io.vela.engine.RingRejectedException;
import io.vela.engine.VelaConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * External-driver mode with a driver that dies (closed: Aeron's client is told at once; a killed one would take
 * the client's 10 s driver timeout). A sender blocked on the dead driver must end with a refusal (not hang, not an Aeron exception), later
 * sends and new publishers are refused as closed, and the transport still closes promptly.
 */
@Timeout(30)
class AeronDriverDeathTest {
    @Test
    void aDeadExternalDriverEndsBlockedSendsWithARefusalAndCloseStillWorks() throws Exception {
        AeronTransport driverOwner = start(config());
        VelaConfig external = config().set(AeronSettings.DRIVER, DriverMode.EXTERNAL)
                .set(AeronSettings.DIR, driverOwner.aeronDirectory()).build();
        AeronTransport t = AeronTransport.start(external);
        try {
            t.subscribe("aeron:ipc", 40, new TestCodec(), m -> { });
            AeronPublisher nobody = t.publisher("aeron:ipc", 41, new TestCodec(), BackPressurePolicy.BLOCK);
            AeronPublisher fine = t.publisher("aeron:ipc", 40, new TestCodec(), BackPressurePolicy.BLOCK);
            await("connected", Duration.ofSeconds(5), fine::isConnected);
            fine.send(1L);
            CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    nobody.send(2L); // no subscriber: waits
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            Thread.sleep(100);
            driverOwner.close(); // the driver dies
            Throwable ended = blocked.get(30, TimeUnit.SECONDS);
            assertThat(ended).as("a sender blocked on a dead driver").isInstanceOf(RingClosedException.class);
            await("the client gave up on the dead driver", Duration.ofSeconds(20), () -> {
                try {
                    fine.trySend(3L);
                    return !fine.isConnected();
                } catch (RuntimeException e) {
                    return false;
                }
            });
            assertThatThrownBy(() -> fine.send(4L)).isInstanceOf(RingRejectedException.class);
            assertThatThrownBy(() -> t.publisher("aeron:ipc", 42, new TestCodec()))
                    .isInstanceOf(io.vela.engine.VelaException.class);
        } finally {
            long start = System.nanoTime();
            t.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("close after the driver died, ms")
                    .isLessThan(5_000);
            driverOwner.close();
        }
    }
}
