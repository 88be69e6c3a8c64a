package io.vela.http.hostile;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One hostile request and what the server must do about it: answer with one of the given statuses, and then close
 * the connection, keep it open, or either. Immutable; built with {@link #send} and the {@code answers...} methods.
 *
 * @param name         what the case is, shown as the test's name
 * @param request      the exact bytes written
 * @param statuses     the statuses allowed (usually one; more where RFC 9110/9112 leaves the server a choice)
 * @param close        what must happen to the connection after the answer
 * @param silentClose  whether closing without any answer is also acceptable
 * @param body         the body the answer must carry, when it is checked
 */
record HostileCase(String name, byte[] request, Set<Integer> statuses, Close close, boolean silentClose,
                   Optional<String> body) {

    /** What must happen to the connection once the server has answered. */
    enum Close {
        /** The server must close it: the stream cannot be trusted. */
        MUST,
        /** The server must keep it: a normal request on the same connection is answered. */
        MUST_NOT,
        /** Either. */
        MAY
    }

    /**
     * @param name    the case's name
     * @param request the request text; each char is one octet (ISO-8859-1)
     * @return a case that still needs its expected answer
     */
    static HostileCase send(String name, String request) {
        return send(name, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * @param name    the case's name
     * @param request the request bytes
     * @return a case that still needs its expected answer
     */
    static HostileCase send(String name, byte[] request) {
        return new HostileCase(name, request, Set.of(), Close.MAY, false, Optional.empty());
    }

    /** @return this case expecting one of the statuses and a close */
    HostileCase answersAndCloses(Integer... allowed) {
        return answers(Close.MUST, allowed);
    }

    /** @return this case expecting one of the statuses, the connection either kept or closed */
    HostileCase answers(Integer... allowed) {
        return answers(Close.MAY, allowed);
    }

    /** @return this case expecting one of the statuses and the connection kept for the next request */
    HostileCase answersAndKeepsAlive(Integer... allowed) {
        return answers(Close.MUST_NOT, allowed);
    }

    /** @return this case expecting a close, with or without one of the statuses first */
    HostileCase closesOrAnswersAndCloses(Integer... allowed) {
        return new HostileCase(name, request, statusSet(allowed), Close.MUST, true, body);
    }

    /** @return this case also requiring the answer's body */
    HostileCase withBody(String expected) {
        return new HostileCase(name, request, statuses, close, silentClose, Optional.of(expected));
    }

    private HostileCase answers(Close c, Integer... allowed) {
        return new HostileCase(name, request, statusSet(allowed), c, false, body);
    }

    private static Set<Integer> statusSet(Integer... allowed) {
        return new TreeSet<>(Arrays.asList(allowed));
    }

    /** @return the expectation in words, for failure messages */
    String expectation() {
        String s = statuses.stream().map(String::valueOf).collect(Collectors.joining(" or "));
        return (silentClose ? "a close, or " : "") + s + switch (close) {
            case MUST -> " then close";
            case MUST_NOT -> " on a kept-alive connection";
            case MAY -> "";
        };
    }

    @Override
    public String toString() {
        return name + " -> " + expectation();
    }
}
