package io.vela.bench.http;

/** One server under test in the {@code http} suite; started in a JVM of its own by {@link ServerMain}. */
interface SubjectServer extends AutoCloseable {
    /**
     * Binds 127.0.0.1 on an ephemeral port and serves {@link HttpCase}'s paths.
     *
     * @param eventLoops I/O threads (the same for every subject)
     * @return the bound port
     * @throws Exception if it cannot start
     */
    int start(int eventLoops) throws Exception;
}
