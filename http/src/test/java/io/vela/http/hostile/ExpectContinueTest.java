package io.vela.http.hostile;

import static io.vela.http.hostile.HostileServer.MAX_BODY;
import static io.vela.http.hostile.HostileServer.REQUEST_READ_MS;
import static io.vela.http.hostile.Wire.HOST;
import static io.vela.http.hostile.Wire.head;
import static io.vela.http.hostile.Wire.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code Expect: 100-continue} (RFC 9110 section 10.1.1): 100 then the answer when the body is acceptable; the
 * final refusal (413) instead of 100 when it is not; 417 for an expectation the server does not know; no 100 to an
 * HTTP/1.0 client; a client that gets its 100 and never sends the body is cut off by the request deadline.
 */
class ExpectContinueTest extends HostileSuite {
    private static final String EXPECT = "Expect: 100-continue";

    @Test
    void continueThenAnswer() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            conn.write(head("POST /echo HTTP/1.1", HOST, "Content-Length: 5", EXPECT));
            RawResponse interim = conn.readResponse(HostileChecks.ANSWER).orElseThrow();
            assertThat(interim.status()).as("%s", interim).isEqualTo(100);
            conn.write("hello");
            RawResponse r = conn.readFinalResponse(HostileChecks.ANSWER).orElseThrow();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello");
            HostileChecks.assertServesOn(conn, "the same connection afterwards");
        }
    }

    @Test
    void bodySentWithoutWaitingForContinueIsServed() throws IOException {
        HostileChecks.check(port(), HostileCase.send("Expect with the body sent at once",
                post("hello", "Content-Length: 5", EXPECT)).answersAndKeepsAlive(200).withBody("hello"));
    }

    @Test
    void oversizeBodyIsRefusedInsteadOfContinued() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            conn.write(head("POST /echo HTTP/1.1", HOST, "Content-Length: " + (MAX_BODY * 16L), EXPECT));
            RawResponse r = conn.readResponse(HostileChecks.ANSWER).orElseThrow();
            assertThat(r.status()).as("the first answer, instead of 100: %s", r).isEqualTo(413);
            // the client did not send the body, so the stream is still in sync: either fate of the connection is fine
        }
        HostileChecks.assertStillServes(port());
    }

    @Test
    void unknownExpectationIs417() throws IOException {
        HostileChecks.check(port(), HostileCase.send("Expect: something-else",
                post("hello", "Content-Length: 5", "Expect: something-else")).answers(417));
    }

    @Test
    void noContinueForHttp10() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            conn.write("POST /echo HTTP/1.0\r\nContent-Length: 5\r\n" + EXPECT + "\r\n\r\nhello");
            RawResponse r = conn.readResponse(HostileChecks.ANSWER).orElseThrow();
            assertThat(r.status()).as("the first answer to an HTTP/1.0 client: %s", r).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void continuedButBodyNeverSentIsCutOff() throws IOException {
        try (RawConnection conn = RawConnection.open(port())) {
            long start = System.nanoTime();
            conn.write(head("POST /echo HTTP/1.1", HOST, "Content-Length: 5", EXPECT));
            Optional<RawResponse> r = HostileChecks.readAnswer(conn, "a continued body never sent",
                    "a close, or 408 then close");
            r.ifPresent(res -> assertThat(res.status()).as("%s", res).isEqualTo(408));
            HostileChecks.assertClosesAfterAnswer(conn, "a continued body never sent", r.isEmpty());
            assertThat(System.nanoTime() - start).as("cut off by the request deadline")
                    .isLessThan((REQUEST_READ_MS + 1500) * 1_000_000);
        }
        HostileChecks.assertStillServes(port());
    }
}
