package io.vela.http.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.VelaConfig;
import io.vela.http.HttpSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code http.max-connections}: the connection past the cap is refused (connect fails, or it is closed, with a 503
 * at most) while the connections within the cap keep being served; once one of them closes, a new one is served.
 */
class ConnectionCapTest extends HostileSuite {
    private static final int CAP = 4;

    @Override
    protected VelaConfig.Builder configure(VelaConfig.Builder config) {
        // long idle timeouts: the connections within the cap must not be closed as idle while a case waits
        return config.set(HttpSettings.MAX_CONNECTIONS, CAP).set(HttpSettings.IDLE_TIMEOUT_MS, 10_000L)
                .set(HttpSettings.REQUEST_READ_TIMEOUT_MS, 10_000L);
    }

    @Test
    void connectionPastTheCapIsRefusedAndTheOthersKeepBeingServed() throws IOException {
        List<RawConnection> open = new ArrayList<>();
        try {
            fillToTheCap(open);
            assertRefused();
            for (RawConnection c : open) {
                HostileChecks.assertServesOn(c, "a connection within the cap, after the refusal");
            }
            open.remove(0).close();
            assertServedWithin(Duration.ofSeconds(2));
        } finally {
            open.forEach(RawConnection::close);
        }
    }

    @Test
    void manyConnectionsPastTheCapAreAllRefused() throws IOException {
        List<RawConnection> open = new ArrayList<>();
        try {
            fillToTheCap(open);
            for (int i = 0; i < 3 * CAP; i++) {
                assertRefused();
            }
        } finally {
            open.forEach(RawConnection::close);
        }
        assertServedWithin(Duration.ofSeconds(2));
    }

    /** Opens connections up to the cap, each served once (so the server has accepted and counted it). */
    private void fillToTheCap(List<RawConnection> open) throws IOException {
        for (int i = 0; i < CAP; i++) {
            RawConnection c = RawConnection.open(port());
            open.add(c);
            HostileChecks.assertServesOn(c, "connection " + i + " within the cap");
        }
    }

    private void assertRefused() throws IOException {
        RawConnection extra;
        try {
            extra = RawConnection.open(port());
        } catch (ConnectException refused) {
            return;
        }
        try (extra) {
            HostileChecks.writeTolerantly(extra, HostileChecks.GET_HELLO.getBytes(
                    java.nio.charset.StandardCharsets.ISO_8859_1));
            Optional<RawResponse> r = HostileChecks.readAnswer(extra, "connection past the cap",
                    "a close, or 503 then close");
            r.ifPresent(res -> assertThat(res.status()).as("past the cap: %s", res).isEqualTo(503));
            HostileChecks.assertClosesAfterAnswer(extra, "connection past the cap", r.isEmpty());
        }
    }

    /** The server counts a closed connection out asynchronously: a new one is served once it has. */
    private void assertServedWithin(Duration limit) throws IOException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            try (RawConnection c = RawConnection.open(port())) {
                c.write(HostileChecks.GET_HELLO);
                Optional<RawResponse> r = c.readFinalResponse(HostileChecks.ANSWER);
                if (r.isPresent() && r.get().status() == 200) {
                    return;
                }
            } catch (IOException refusedYet) {
                if (System.nanoTime() > end) {
                    throw refusedYet;
                }
            }
            assertThat(System.nanoTime()).as("a new connection served within %s of one closing", limit)
                    .isLessThan(end);
            sleepBriefly();
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
