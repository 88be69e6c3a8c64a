package io.vela.http.hostile;

import static io.vela.http.hostile.HostileCase.send;
import static io.vela.http.hostile.Wire.HOST;
import static io.vela.http.hostile.Wire.get;
import static io.vela.http.hostile.Wire.head;

import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Header fields that break RFC 9110/9112's grammar or its Host rules: 400 (and close where the head could be read
 * two ways); obs-text in a value is opaque data and is served; obs-fold is either refused or unfolded to spaces.
 */
class HeaderAbuseTest extends HostileSuite {

    static Stream<HostileCase> cases() {
        return Stream.of(
                send("header line without a colon", get("/hello", "X-Foo bar")).answersAndCloses(400),
                send("space between name and colon", get("/hello", "X-Foo : bar")).answersAndCloses(400),
                send("tab between name and colon", get("/hello", "X-Foo\t: bar")).answersAndCloses(400),
                send("space before colon in Host", head("GET /hello HTTP/1.1", "Host : localhost"))
                        .answersAndCloses(400),
                send("empty header name", get("/hello", ": value")).answersAndCloses(400),
                send("non-token char in a name", get("/hello", "X(Foo): bar")).answersAndCloses(400),
                send("non-ASCII name (UTF-8 bytes)", get("/hello", "X-F\u00c3\u00bc: bar")).answersAndCloses(400),
                send("NUL in a value", get("/hello", "X-Foo: a\u0000b")).answersAndCloses(400),
                send("control char in a value", get("/hello", "X-Foo: a\u0001b")).answersAndCloses(400),
                send("bare CR inside a value", get("/hello", "X-Foo: a\rb")).answersAndCloses(400),
                send("missing Host on HTTP/1.1", head("GET /hello HTTP/1.1")).answers(400),
                send("duplicate Host", get("/hello", "Host: other")).answers(400),
                send("Host with a space", head("GET /hello HTTP/1.1", "Host: local host")).answers(400),
                send("Host with user info", head("GET /hello HTTP/1.1", "Host: user@localhost")).answers(400),
                send("Host with a bad port", head("GET /hello HTTP/1.1", "Host: localhost:http")).answers(400),
                send("obs-fold: refused, or unfolded to a space",
                        get("/header/X-Fold", "X-Fold: a", " b")).answers(200, 400).withBody("a b"),
                send("whitespace-led line right after the request line: refused, or ignored",
                        head("POST /echo HTTP/1.1", " Transfer-Encoding: chunked", HOST, "Content-Length: 3") + "abc")
                        .answers(200, 400).withBody("abc"),
                // valid: served, connection kept
                send("missing Host on HTTP/1.0 (valid)", "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                        .answersAndKeepsAlive(200).withBody("ok"),
                send("obs-text (UTF-8) in a value (valid)", get("/header/X-Name", "X-Name: J\u00c3\u00bcrgen"))
                        .answersAndKeepsAlive(200),
                send("a hundred small headers (valid)", get("/hello", hundredHeaders()))
                        .answersAndKeepsAlive(200).withBody("ok"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answeredAsSpecified(HostileCase c) throws IOException {
        HostileChecks.check(port(), c);
    }

    private static String[] hundredHeaders() {
        String[] h = new String[100];
        for (int i = 0; i < h.length; i++) {
            h[i] = "X-H" + i + ": v" + i;
        }
        return h;
    }
}
