package io.vela.bench.http;

import java.nio.charset.StandardCharsets;

/** The two request shapes of the {@code http} suite, identical for every subject. */
enum HttpCase {
    /** {@code GET /plaintext}, answered with {@code Hello, World!} as {@code text/plain}. */
    PLAINTEXT("plaintext", "GET", "/plaintext", new byte[0]),
    /** {@code POST /json} with a small JSON object, echoed back as {@code application/json}. */
    JSON("json", "POST", "/json", "{\"message\":\"Hello, World!\",\"id\":42,\"tags\":[\"a\",\"b\"]}"
            .getBytes(StandardCharsets.UTF_8));

    /** The plaintext answer. */
    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    final String caseName;
    final String method;
    final String path;
    final byte[] body;

    HttpCase(String caseName, String method, String path, byte[] body) {
        this.caseName = caseName;
        this.method = method;
        this.path = path;
        this.body = body;
    }
}
