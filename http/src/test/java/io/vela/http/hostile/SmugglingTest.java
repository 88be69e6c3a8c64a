package io.vela.http.hostile;

import static io.vela.http.hostile.HostileCase.send;
import static io.vela.http.hostile.Wire.post;

import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Framing that two parsers could read two ways (request smuggling, RFC 9112 sections 6 and 7): Content-Length
 * with Transfer-Encoding, conflicting or malformed lengths, chunked applied twice, malformed chunks: 400 and close,
 * and never an answer to a request hidden in the body. A transfer coding other than chunked: 501 and close.
 */
class SmugglingTest extends HostileSuite {
    private static final String SMUGGLED = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n";

    static Stream<HostileCase> cases() {
        return Stream.of(
                send("Content-Length with Transfer-Encoding",
                        post("0\r\n\r\n", "Content-Length: 5", "Transfer-Encoding: chunked")).answersAndCloses(400),
                send("Transfer-Encoding with Content-Length (other order)",
                        post("0\r\n\r\n", "Transfer-Encoding: chunked", "Content-Length: 5")).answersAndCloses(400),
                send("CL.TE with a smuggled request in the body", post("0\r\n\r\n" + SMUGGLED,
                        "Content-Length: " + ("0\r\n\r\n" + SMUGGLED).length(), "Transfer-Encoding: chunked"))
                        .answersAndCloses(400),
                send("TE.CL with a smuggled request after a short length",
                        post("3\r\nabc\r\n0\r\n\r\n" + SMUGGLED, "Transfer-Encoding: chunked", "Content-Length: 3"))
                        .answersAndCloses(400),
                send("two different Content-Length headers", post("hello", "Content-Length: 5", "Content-Length: 6"))
                        .answersAndCloses(400),
                send("a Content-Length list of different values", post("hello", "Content-Length: 5, 6"))
                        .answersAndCloses(400),
                send("negative Content-Length", post("", "Content-Length: -5")).answersAndCloses(400),
                send("non-numeric Content-Length", post("hello", "Content-Length: five")).answersAndCloses(400),
                send("hexadecimal Content-Length", post("hello", "Content-Length: 0x5")).answersAndCloses(400),
                send("Content-Length with a plus sign", post("hello", "Content-Length: +5")).answersAndCloses(400),
                send("Content-Length with inner space", post("hello", "Content-Length: 1 0")).answersAndCloses(400),
                send("Content-Length past 2^63", post("hello", "Content-Length: 99999999999999999999999"))
                        .answersAndCloses(400),
                send("Content-Length of a petabyte", post("hello", "Content-Length: 1000000000000000"))
                        .answersAndCloses(413),
                send("space before the colon of Transfer-Encoding",
                        post("0\r\n\r\n", "Transfer-Encoding : chunked", "Content-Length: 5")).answersAndCloses(400),
                send("chunked applied twice in one header",
                        post("0\r\n\r\n", "Transfer-Encoding: chunked, chunked")).answersAndCloses(400),
                send("chunked applied twice in two headers",
                        post("0\r\n\r\n", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"))
                        .answersAndCloses(400),
                send("Transfer-Encoding: gzip", post("hello", "Transfer-Encoding: gzip")).answersAndCloses(501),
                send("Transfer-Encoding: gzip, chunked", post("0\r\n\r\n", "Transfer-Encoding: gzip, chunked"))
                        .answersAndCloses(501),
                send("Transfer-Encoding: identity", post("hello", "Transfer-Encoding: identity"))
                        .answersAndCloses(501),
                send("Transfer-Encoding: xchunked", post("0\r\n\r\n", "Transfer-Encoding: xchunked"))
                        .answersAndCloses(501),
                send("Transfer-Encoding on HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n0\r\n\r\n").closesOrAnswersAndCloses(200, 400),
                send("chunk size not hexadecimal", post("zz\r\nhello\r\n0\r\n\r\n", "Transfer-Encoding: chunked"))
                        .answersAndCloses(400),
                send("negative chunk size", post("-5\r\nhello\r\n0\r\n\r\n", "Transfer-Encoding: chunked"))
                        .answersAndCloses(400),
                send("chunk size past 2^64", post("fffffffffffffffffffff\r\nhello\r\n", "Transfer-Encoding: chunked"))
                        .answersAndCloses(400, 413),
                send("chunk longer than its size", post("2\r\nhello\r\n0\r\n\r\n", "Transfer-Encoding: chunked"))
                        .answersAndCloses(400),
                send("chunk extension of 64 KiB",
                        post("5;" + "a=b;".repeat(16 * 1024) + "\r\nhello\r\n0\r\n\r\n", "Transfer-Encoding: chunked"))
                        .answersAndCloses(400, 413),
                send("Content-Length in a chunked trailer: refused, or ignored",
                        post("5\r\nhello\r\n0\r\nContent-Length: 100\r\n\r\n", "Transfer-Encoding: chunked"))
                        .answers(200, 400).withBody("hello"),
                send("Content-Length with trailing whitespace (valid)", post("hello", "Content-Length: 5 \t"))
                        .answersAndKeepsAlive(200).withBody("hello"),
                send("two equal Content-Length headers: refused, or read as one",
                        post("hello", "Content-Length: 5", "Content-Length: 5")).answers(200, 400).withBody("hello"),
                // valid framing: served, connection kept (so the body was not read as a next request)
                send("GET with a Content-Length body (valid)", Wire.get("/hello", "Content-Length: 5") + "hello")
                        .answersAndKeepsAlive(200).withBody("ok"),
                send("GET with a chunked body (valid)",
                        Wire.get("/hello", "Transfer-Encoding: chunked") + "5\r\nhello\r\n0\r\n\r\n")
                        .answersAndKeepsAlive(200).withBody("ok"),
                send("Content-Length with leading zeros (valid)", post("hello", "Content-Length: 005"))
                        .answersAndKeepsAlive(200).withBody("hello"),
                send("chunked with a short extension (valid)",
                        post("5;name=value\r\nhello\r\n0\r\n\r\n", "Transfer-Encoding: chunked"))
                        .answersAndKeepsAlive(200).withBody("hello"),
                send("chunked with a trailer field (valid)",
                        post("5\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n", "Transfer-Encoding: chunked"))
                        .answersAndKeepsAlive(200).withBody("hello"),
                send("Transfer-Encoding in upper case (valid)",
                        post("5\r\nhello\r\n0\r\n\r\n", "Transfer-Encoding: CHUNKED"))
                        .answersAndKeepsAlive(200).withBody("hello"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answeredAsSpecified(HostileCase c) throws IOException {
        HostileChecks.check(port(), c);
    }
}
