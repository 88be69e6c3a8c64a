package io.vela.bench.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * The forked JVM of one {@code http} subject: starts it, prints {@code PORT <n>}, serves until its standard input
 * closes (the suite closes it when done), then stops it and exits.
 */
public final class ServerMain {
    private ServerMain() {
    }

    /**
     * @param args subject name ({@code vela}, {@code vela-loop}, {@code netty-raw}, {@code vertx-http}) and event-loop count
     * @throws Exception if the subject cannot start
     */
    public static void main(String[] args) throws Exception {
        int loops = Integer.parseInt(args[1]);
        try (SubjectServer server = subject(args[0])) {
            int port = server.start(loops);
            System.out.println("PORT " + port);
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // serve until the suite closes our stdin
            }
        } catch (IOException stdinGone) {
            // the suite is gone: stop
        }
        System.exit(0);
    }

    static SubjectServer subject(String name) {
        return switch (name) {
            case "vela" -> new VelaServer(false);
            case "vela-loop" -> new VelaServer(true);
            case "netty-raw" -> new NettyRawServer();
            case "vertx-http" -> new VertxServer();
            default -> throw new IllegalArgumentException("http subject '" + name
                    + "' is not known; valid values: vela, vela-loop, netty-raw, vertx-http");
        };
    }
}
