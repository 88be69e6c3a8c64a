package io.vela.http.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.VelaConfig;
import io.vela.http.HttpSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Slow readers (a slow-read attack on {@code http.max-connections}, ADR 0014 decision 8): a client that asks for a
 * large answer and then reads it a few bytes at a time, or not at all, drains it slower than
 * {@code http.min-send-rate} and is closed within a few {@code http.send-rate-window-ms}, and counted; a client that
 * reads slowly but above the rate gets the whole answer intact; with the rate at 0 the trickling client is not
 * closed. The server serves other clients throughout.
 *
 * <p>This class's server judges 512 KiB/s over 500 ms windows (256 KiB a window) and has an idle timeout long beside
 * the test (the trickle makes progress anyway), so that only the rate check can close a trickling client here.
 */
class SlowReaderTest extends HostileSuite {
    /** {@code SendRate.CARRIED_WINDOWS} (package-private elsewhere). */
    private static final int CARRIED_WINDOWS = 3;
    /** Bytes per second an answer must drain at least. */
    private static final long MIN_RATE = 512 * 1024;
    private static final long WINDOW_MS = 500;
    /** Long beside every case: a close within a case is the rate check's. */
    private static final long IDLE_MS = 10_000;
    /** The trickle: this many bytes per {@link #TRICKLE_PAUSE}, 20 KiB/s, a twenty-fifth of the minimum. */
    private static final int TRICKLE_BYTES = 2048;
    private static final Duration TRICKLE_PAUSE = Duration.ofMillis(100);
    /** A small receive buffer: the client's kernel holds little of the answer it does not read. */
    private static final int SMALL_RECEIVE_BUFFER = 16 * 1024;
    /** Scheduling slack on a shared 2-core machine. */
    private static final long SLACK_MS = 1500;
    /**
     * Within this a slow reader must be closed: the first window may pass on what the kernels took at once, and its
     * surplus pay for a few more.
     */
    private static final long CLOSED_WITHIN_MS = (2 + CARRIED_WINDOWS) * WINDOW_MS + SLACK_MS;

    @Override
    protected VelaConfig.Builder configure(VelaConfig.Builder config) {
        return slowReadSettings(config, MIN_RATE);
    }

    private static VelaConfig.Builder slowReadSettings(VelaConfig.Builder config, long minRate) {
        return config.set(HttpSettings.MIN_SEND_RATE, minRate).set(HttpSettings.SEND_RATE_WINDOW_MS, WINDOW_MS)
                .set(HttpSettings.IDLE_TIMEOUT_MS, IDLE_MS);
    }

    @Test
    void aClientTricklingALargeAnswerIsClosedAndCounted() throws IOException {
        long closedBefore = server.slowReadersClosed();
        try (RawConnection conn = RawConnection.open(port(), SMALL_RECEIVE_BUFFER)) {
            conn.write(HostileChecks.GET_HELLO.replace("/hello", "/huge"));
            long start = System.nanoTime();
            Trickle t = trickle(conn, server, closedBefore, start + TimeUnit.MILLISECONDS.toNanos(CLOSED_WITHIN_MS),
                    true);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(t.endedNanos - start);
            assertThat(t.counted).as("a client draining %d B/s was closed as a slow reader within %d ms (read %d "
                    + "bytes in %d ms; the stream ended: %s)", TRICKLE_BYTES * 1000L / TRICKLE_PAUSE.toMillis(),
                    CLOSED_WITHIN_MS, t.read, tookMs, t.ended).isTrue();
            assertThat(tookMs).as("closed after %d ms: not before the first window ended", tookMs)
                    .isGreaterThanOrEqualTo(WINDOW_MS - 50);
            // what the client's kernel still holds comes first, then the reset
            assertThat(conn.closedWithin(HostileChecks.ANSWER)).as("the client sees the stream end").isTrue();
            assertThat(t.read).as("the client got only part of the answer").isLessThan(HostileServer.HUGE.length);
        }
        assertThat(server.slowReadersClosed() - closedBefore).as("slow readers closed").isEqualTo(1);
        HostileChecks.assertStillServes(port());
    }

    @Test
    void aClientThatStopsReadingIsClosedByTheRateBeforeTheIdleTimeout() throws IOException {
        long closedBefore = server.slowReadersClosed();
        try (RawConnection conn = RawConnection.open(port(), SMALL_RECEIVE_BUFFER)) {
            conn.write(HostileChecks.GET_HELLO.replace("/hello", "/huge"));
            long start = System.nanoTime();
            boolean closed = awaitSlowReaderClosed(closedBefore,
                    start + TimeUnit.MILLISECONDS.toNanos(CLOSED_WITHIN_MS));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(closed).as("a client reading nothing was closed as a slow reader within %d ms (not after "
                    + "%d ms)", CLOSED_WITHIN_MS, tookMs).isTrue();
            assertThat(tookMs).as("closed after %d ms: not before the first window ended", tookMs)
                    .isGreaterThanOrEqualTo(WINDOW_MS - 50);
            assertThat(conn.closedWithin(HostileChecks.ANSWER)).as("the client sees the stream end").isTrue();
        }
        assertThat(server.slowReadersClosed() - closedBefore).as("slow readers closed").isEqualTo(1);
        HostileChecks.assertStillServes(port());
    }

    @Test
    void aClientReadingSlowlyAboveTheRateGetsTheWholeAnswer() throws IOException {
        long closedBefore = server.slowReadersClosed();
        try (RawConnection conn = RawConnection.open(port(), 64 * 1024)) {
            conn.write(HostileChecks.GET_HELLO.replace("/hello", "/huge"));
            long start = System.nanoTime();
            // at most 64 KiB per 10 ms: several times the minimum, a few windows for the whole answer
            byte[] answer = readSlowly(conn, 64 * 1024, Duration.ofMillis(10));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            int headEnd = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(headEnd).as("a head was read (%d bytes in all)", answer.length).isPositive();
            String head = new String(answer, 0, headEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            assertThat(head).startsWith("http/1.1 200").contains("content-length: " + HostileServer.HUGE.length);
            byte[] body = Arrays.copyOfRange(answer, headEnd + 4, answer.length);
            assertThat(body.length).as("body bytes").isEqualTo(HostileServer.HUGE.length);
            assertThat(Arrays.equals(body, HostileServer.HUGE)).as("the body intact").isTrue();
            assertThat(tookMs).as("the read spanned more than one window").isGreaterThan(WINDOW_MS);
            long rate = HostileServer.HUGE.length * 1000L / Math.max(1, tookMs);
            assertThat(rate).as("the reader's own rate, B/s: above the minimum").isGreaterThan(MIN_RATE);
            HostileChecks.assertServesOn(conn, "the slow reader's connection afterwards");
        }
        assertThat(server.slowReadersClosed() - closedBefore).as("slow readers closed").isZero();
        HostileChecks.assertStillServes(port());
    }

    @Test
    void withTheRateAtZeroATricklingClientIsNotClosed() throws IOException {
        try (HostileServer unchecked = HostileServer.start(c -> slowReadSettings(c, 0));
             RawConnection conn = RawConnection.open(unchecked.port(), SMALL_RECEIVE_BUFFER)) {
            conn.write(HostileChecks.GET_HELLO.replace("/hello", "/huge"));
            long start = System.nanoTime();
            Trickle t = trickle(conn, unchecked, 0, start + TimeUnit.MILLISECONDS.toNanos(CLOSED_WITHIN_MS), false);
            assertThat(t.ended || t.counted).as("closed after %d ms with the check off", TimeUnit.NANOSECONDS
                    .toMillis(t.endedNanos - start)).isFalse();
            assertThat(t.read).as("the trickle went on (bytes read)").isGreaterThan(TRICKLE_BYTES * 5L);
            assertThat(unchecked.openConnections()).as("the trickling connection, still open").isEqualTo(1);
            HostileChecks.assertStillServes(unchecked.port());
            assertThat(unchecked.slowReadersClosed()).isZero();
        }
    }

    /**
     * What a trickling client saw: whether the server counted a slow reader, whether the stream ended, the bytes read
     * and when the trickle stopped.
     */
    private record Trickle(boolean counted, boolean ended, long read, long endedNanos) {
    }

    /**
     * Reads {@link #TRICKLE_BYTES} per {@link #TRICKLE_PAUSE} until {@code target} counts a slow reader past
     * {@code countedBefore}, the stream ends, or {@code endNanos}; once, 300 ms into it (within the first window),
     * checks that the server serves a normal request meanwhile.
     */
    private static Trickle trickle(RawConnection conn, HostileServer target, long countedBefore, long endNanos,
                                   boolean checkServing) throws IOException {
        byte[] into = new byte[TRICKLE_BYTES];
        long read = 0;
        long serveAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        boolean served = !checkServing;
        while (System.nanoTime() < endNanos) {
            if (target.slowReadersClosed() > countedBefore) {
                return new Trickle(true, false, read, System.nanoTime());
            }
            int n = conn.read(into, HostileChecks.ANSWER);
            if (n < 0) {
                return new Trickle(target.slowReadersClosed() > countedBefore, true, read, System.nanoTime());
            }
            read += n;
            if (!served && System.nanoTime() > serveAt) {
                HostileChecks.assertStillServes(target.port()); // the same event loop: the trickle does not hold it
                served = true;
            }
            sleep(TRICKLE_PAUSE.toMillis());
        }
        return new Trickle(target.slowReadersClosed() > countedBefore, false, read, System.nanoTime());
    }

    /** @return whether the server closed a slow reader (its count passed {@code before}) before {@code endNanos} */
    private boolean awaitSlowReaderClosed(long before, long endNanos) {
        while (System.nanoTime() < endNanos) {
            if (server.slowReadersClosed() > before) {
                return true;
            }
            sleep(10);
        }
        return server.slowReadersClosed() > before;
    }

    /** @return the whole answer (head and body), read {@code piece} bytes at most per {@code pause} until its end */
    private static byte[] readSlowly(RawConnection conn, int piece, Duration pause) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream(HostileServer.HUGE.length + 256);
        byte[] into = new byte[piece];
        int expected = -1;
        while (expected < 0 || all.size() < expected) {
            int n = conn.read(into, HostileChecks.ANSWER);
            if (n < 0) {
                break;
            }
            all.write(into, 0, n);
            if (expected < 0) {
                int headEnd = indexOf(all.toByteArray(), "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                if (headEnd > 0) {
                    expected = headEnd + 4 + HostileServer.HUGE.length;
                }
            }
            sleep(pause.toMillis());
        }
        return all.toByteArray();
    }

    private static int indexOf(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
