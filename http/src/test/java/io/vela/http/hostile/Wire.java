package io.vela.http.hostile;

/** Builds request text for the cases: lines joined with CRLF, one char per octet. Stateless. */
final class Wire {
    /** The line ending. */
    static final String CRLF = "\r\n";
    /** The Host header line every well-formed HTTP/1.1 case carries. */
    static final String HOST = "Host: localhost";

    private Wire() {
    }

    /**
     * @param requestLine the request line, without its CRLF
     * @param headers     header lines, without CRLFs
     * @return the request line, the headers, and the empty line that ends the head
     */
    static String head(String requestLine, String... headers) {
        StringBuilder b = new StringBuilder(requestLine).append(CRLF);
        for (String h : headers) {
            b.append(h).append(CRLF);
        }
        return b.append(CRLF).toString();
    }

    /**
     * @param target  the request target
     * @param headers header lines besides Host
     * @return a GET on HTTP/1.1 with Host and the given headers
     */
    static String get(String target, String... headers) {
        return head("GET " + target + " HTTP/1.1", prepend(HOST, headers));
    }

    /**
     * @param headers header lines besides Host (framing headers included: the caller writes them)
     * @param body    the body text, sent as is after the head
     * @return a POST to /echo on HTTP/1.1
     */
    static String post(String body, String... headers) {
        return head("POST /echo HTTP/1.1", prepend(HOST, headers)) + body;
    }

    /**
     * @param c    the char
     * @param n    how many
     * @return the char repeated
     */
    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
