package io.vela.http.hostile;

import static io.vela.http.hostile.HostileCase.send;
import static io.vela.http.hostile.Wire.HOST;
import static io.vela.http.hostile.Wire.get;
import static io.vela.http.hostile.Wire.head;

import java.io.IOException;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Versions other than HTTP/1.x (505), and other protocols spoken to the plain HTTP/1 port (TLS, the HTTP/2 preface,
 * SSH, the PROXY protocol): a close, with 400 or 505 at most. Upgrade requests the server does not implement are
 * served as plain HTTP/1.1, never switched.
 */
class VersionAndProtocolTest extends HostileSuite {
    /** The start of a TLS 1.2 ClientHello record (handshake, version 3.1, with SNI "localhost"). */
    private static final byte[] CLIENT_HELLO = HexFormat.of().parseHex(
            "16030100a20100009e0303" + "00".repeat(32) + "00" + "001c" + "c02bc02fc02cc030cca9cca8c009c013c00ac014"
                    + "009c009d002f0035" + "0100" + "0059" + "0000000e000c0000096c6f63616c686f7374"
                    + "000a00080006001d00170018" + "000b00020100" + "000d0012001004030804040105030805050108060601"
                    + "ff01000100" + "0010000b000908687474702f312e31" + "00170000" + "002b0003020303");
    /** PROXY protocol v2 signature and a LOCAL command with no addresses. */
    private static final byte[] PROXY_V2 = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "2000" + "0000");

    static Stream<HostileCase> cases() {
        return Stream.of(
                send("HTTP/2.0 in the request line", head("GET /hello HTTP/2.0", HOST)).answers(505),
                send("HTTP/3.0 in the request line", head("GET /hello HTTP/3.0", HOST)).answers(505),
                send("HTTP/0.9 in the request line", head("GET /hello HTTP/0.9", HOST)).answers(505),
                send("HTTP/9.9 in the request line", head("GET /hello HTTP/9.9", HOST)).answers(505),
                send("HTTP/2 connection preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
                        .closesOrAnswersAndCloses(400, 505),
                send("TLS ClientHello on the plain port", CLIENT_HELLO).closesOrAnswersAndCloses(400),
                send("SSH banner", "SSH-2.0-OpenSSH_9.6\r\n\r\n").closesOrAnswersAndCloses(400),
                send("PROXY protocol v1 line", "PROXY TCP4 192.0.2.1 192.0.2.2 56324 443\r\n" + get("/hello"))
                        .closesOrAnswersAndCloses(400),
                send("PROXY protocol v2 header", PROXY_V2).closesOrAnswersAndCloses(400),
                // served as HTTP/1.x, never switched
                send("HTTP/1.0 request (valid): answered, then closed", "GET /hello HTTP/1.0\r\n\r\n")
                        .answersAndCloses(200).withBody("ok"),
                send("Connection: close on HTTP/1.1 (valid): answered, then closed", get("/hello", "Connection: close"))
                        .answersAndCloses(200).withBody("ok"),
                send("h2c upgrade request: served as HTTP/1.1", get("/hello", "Connection: Upgrade, HTTP2-Settings",
                        "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"))
                        .answersAndKeepsAlive(200).withBody("ok"),
                send("WebSocket upgrade to a plain route: served as HTTP/1.1", get("/hello", "Connection: Upgrade",
                        "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="))
                        .answersAndKeepsAlive(200).withBody("ok"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answeredAsSpecified(HostileCase c) throws IOException {
        HostileChecks.check(port(), c);
    }
}
