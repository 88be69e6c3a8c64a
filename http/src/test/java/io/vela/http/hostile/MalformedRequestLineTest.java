package io.vela.http.hostile;

import static io.vela.http.hostile.HostileCase.send;
import static io.vela.http.hostile.Wire.HOST;
import static io.vela.http.hostile.Wire.get;
import static io.vela.http.hostile.Wire.head;

import java.io.IOException;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request lines that are not {@code method SP request-target SP HTTP-version} (RFC 9112 section 3): 400 and close,
 * since nothing after a broken start line can be trusted; the target forms that are valid (absolute-form, OPTIONS
 * asterisk-form, a leading empty line) are served.
 */
class MalformedRequestLineTest extends HostileSuite {

    static Stream<HostileCase> cases() {
        return Stream.of(
                send("method only", "GET\r\n\r\n").answersAndCloses(400),
                send("no version (HTTP/0.9 simple request)", "GET /hello\r\n\r\n").answersAndCloses(400),
                send("method with a non-token char", head("G(T /hello HTTP/1.1", HOST)).answersAndCloses(400),
                send("method with a control char", head("G\u0001T /hello HTTP/1.1", HOST)).answersAndCloses(400),
                send("NUL in the target", head("GET /hel\u0000lo HTTP/1.1", HOST)).answersAndCloses(400),
                send("DEL in the target", head("GET /hel\u007flo HTTP/1.1", HOST)).answersAndCloses(400),
                send("space inside the target", head("GET /hel lo HTTP/1.1", HOST)).answersAndCloses(400),
                send("trailing token after the version", head("GET /hello HTTP/1.1 x", HOST))
                        .answersAndCloses(400),
                // RFC 9112 makes "HTTP" case-sensitive, but Netty's codec upper-cases the version token before any
                // handler sees it; the version still means one thing, so no two parsers can disagree on it
                send("lower-case protocol name: refused, or read as HTTP/1.1", head("GET /hello http/1.1", HOST))
                        .answers(200, 400),
                send("version without a minor number", head("GET /hello HTTP/1", HOST)).answersAndCloses(400),
                send("version with letters", head("GET /hello HTTP/1.x", HOST)).answersAndCloses(400),
                send("version without a dot", head("GET /hello HTTP/11", HOST)).answersAndCloses(400),
                send("origin-form without its slash", head("GET hello HTTP/1.1", HOST)).answersAndCloses(400),
                send("asterisk-form with GET", head("GET * HTTP/1.1", HOST)).answersAndCloses(400),
                send("authority-form with GET", head("GET localhost:80 HTTP/1.1", HOST)).answersAndCloses(400),
                send("absolute-form with a broken URI", head("GET http://[::1/hello HTTP/1.1", HOST))
                        .answersAndCloses(400),
                send("bad percent-encoding in the path", get("/hel%zzlo")).answersAndCloses(400),
                send("binary garbage", garbage(new Random(10), 512)).closesOrAnswersAndCloses(400),
                send("NUL bytes only", new byte[256]).closesOrAnswersAndCloses(400),
                send("CONNECT to an origin server", head("CONNECT localhost:443 HTTP/1.1", "Host: localhost:443"))
                        .answers(400, 405, 501),
                send("method name in lower case (unknown method)", head("get /hello HTTP/1.1", HOST))
                        .answers(405, 501),
                // valid forms: served, and the connection stays usable
                send("absolute-form (valid)", head("GET http://localhost/hello HTTP/1.1", HOST))
                        .answersAndKeepsAlive(200).withBody("ok"),
                send("absolute-form with a query and another host (valid)",
                        head("GET http://example.com:8080/seq/7?x=1 HTTP/1.1", HOST)).answersAndKeepsAlive(200)
                        .withBody("7"),
                send("OPTIONS asterisk-form (valid)", head("OPTIONS * HTTP/1.1", HOST)).answersAndKeepsAlive(200, 204),
                send("an empty line before the request line (valid)", "\r\n" + get("/hello"))
                        .answersAndKeepsAlive(200).withBody("ok"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answeredAsSpecified(HostileCase c) throws IOException {
        HostileChecks.check(port(), c);
    }

    /** Random bytes ending in an empty line, so a lenient parser has a whole "head" to choke on. */
    static byte[] garbage(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        b[length - 4] = '\r';
        b[length - 3] = '\n';
        b[length - 2] = '\r';
        b[length - 1] = '\n';
        return b;
    }
}
