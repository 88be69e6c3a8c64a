package io.vela.transport.aeron;

import static io.vela.transport.aeron.AeronTestSupport.await;
import static io.vela.transport.aeron.AeronTestSupport.config;
import static io.vela.transport.aeron.AeronTestSupport.freePort;
import static io.vela.transport.aeron.AeronTestSupport.start;
import static io.vela.transport.aeron.AeronTestSupport.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.vela.transport.codec.Tick;
import io.vela.transport.codec.WireMessageCodec;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The project's Chronicle Wire codec over Aeron: what a user sends is what the other side receives. */
@Timeout(30)
class AeronWireCodecTest {
    private static WireMessageCodec codec() {
        return WireMessageCodec.builder().register(Tick.class, 1).build();
    }

    @Test
    void wireEncodedMessagesCrossLoopbackUdp() {
        String ch = udp(freePort());
        try (AeronTransport t = start(config().set(AeronSettings.OVERFLOW, BackPressurePolicy.BLOCK))) {
            ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
            AeronSubscription sub = t.subscribe(ch, 50, codec(), got::add);
            AeronPublisher pub = t.publisher(ch, 50, codec());
            await("connected", Duration.ofSeconds(10), pub::isConnected);
            for (int i = 0; i < 100; i++) {
                pub.send(new Tick(i, 1_000L + i, 1.5 + i, 1.75 + i, i % 5));
            }
            await("received", Duration.ofSeconds(10), () -> got.size() == 100);
            assertThat(sub.failures()).isZero();
            int i = 0;
            for (Object o : got) {
                assertThat(o).isEqualTo(new Tick(i, 1_000L + i, 1.5 + i, 1.75 + i, i % 5));
                i++;
            }
        }
    }
}
