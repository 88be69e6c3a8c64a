package io.vela.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The send-rate window's arithmetic (ADR 0014, decision 8), with the outbound buffer's counts given by hand: a
 * window judges only while bytes wait, credits only falls of what waits, carries a surplus over to a bounded number
 * of later windows, and ends unjudged (and the carry-over with it) when nothing waits.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SendRateTest {
    /** 1000 bytes per second over 100 ms windows: 100 bytes per window. */
    private static final long RATE = 1000;
    private static final long WINDOW_MS = 100;
    private static final long MS = 1_000_000;

    @Test
    void aWindowThatEndsWithTooFewBytesSentIsTooSlow() {
        SendRate r = new SendRate(RATE, WINDOW_MS);
        assertThat(r.afterFlush(10_000, 0)).as("bytes wait after a flush: a window starts").isTrue();
        assertThat(r.windowEnd()).isEqualTo(100 * MS);
        assertThat(r.tooSlow(9_950, 50 * MS)).as("the window has not ended").isFalse();
        assertThat(r.tooSlow(9_901, 100 * MS)).as("99 bytes sent, 100 asked for").isTrue();
    }

    @Test
    void aWindowThatSentEnoughStartsTheNext() {
        SendRate r = new SendRate(RATE, WINDOW_MS);
        r.afterFlush(10_000, 0);
        assertThat(r.tooSlow(9_900, 100 * MS)).as("exactly the minimum sent").isFalse();
        assertThat(r.running()).isTrue();
        assertThat(r.windowEnd()).as("the next window starts at the check").isEqualTo(200 * MS);
        assertThat(r.sentInWindow()).isZero();
        assertThat(r.tooSlow(9_850, 200 * MS)).as("50 bytes in the second window").isTrue();
    }

    @Test
    void nothingWaitingEndsTheWindowUnjudged() {
        SendRate r = new SendRate(RATE, WINDOW_MS);
        r.afterFlush(50, 0);
        assertThat(r.tooSlow(0, 100 * MS)).as("the client took everything, however little").isFalse();
        assertThat(r.running()).isFalse();
        assertThat(r.afterFlush(0, 150 * MS)).as("an answer the socket takes at once starts nothing").isFalse();
        assertThat(r.tooSlow(0, 10_000 * MS)).isFalse();
        assertThat(r.running()).isFalse();
    }

    @Test
    void bytesAddedByAFlushAreNotTakenForBytesSent() {
        SendRate r = new SendRate(RATE, WINDOW_MS);
        r.afterFlush(1_000, 0);
        r.look(990); // before the flush: 10 sent
        assertThat(r.afterFlush(5_990, 10 * MS)).as("a window already runs").isFalse();
        assertThat(r.tooSlow(5_980, 100 * MS)).as("20 bytes sent in all, though more waits than before").isTrue();
    }

    @Test
    void moreWaitingWithoutAFlushIsNotSent() {
        SendRate r = new SendRate(RATE, WINDOW_MS);
        r.afterFlush(1_000, 0);
        // the TLS layer's own records behind a stuck answer: more waits, nothing was sent
        assertThat(r.tooSlow(1_200, 50 * MS)).isFalse();
        assertThat(r.tooSlow(1_150, 100 * MS)).as("50 bytes sent since the growth").isTrue();
    }

    @Test
    void aWindowRestartsWhenBytesWaitAgain() {
        SendRate r = new SendRate(RATE, WINDOW_MS);
        r.afterFlush(1_000, 0);
        r.tooSlow(0, 50 * MS);
        assertThat(r.afterFlush(500, 70 * MS)).as("a new answer waits: a new window").isTrue();
        assertThat(r.windowEnd()).isEqualTo(170 * MS);
        assertThat(r.tooSlow(500, 100 * MS)).as("the old window's end is not this one's").isFalse();
        assertThat(r.tooSlow(500, 170 * MS)).isTrue();
    }

    @Test
    void aClientWhoseBytesLeaveInBurstsWindowsApartIsNotCut() {
        SendRate r = new SendRate(RATE, WINDOW_MS);
        long waiting = 1_000_000;
        r.afterFlush(waiting, 0);
        for (int w = 1; w <= 40; w++) {
            if (w % 2 == 1) { // 250 bytes every other window: 1.25 times the minimum on average
                waiting -= 250;
            }
            assertThat(r.tooSlow(waiting, w * WINDOW_MS * MS)).as("window %d", w).isFalse();
        }
    }

    @Test
    void aBurstThenNothingIsCutOnceItsCarriedWindowsAreUsedUp() {
        SendRate r = new SendRate(RATE, WINDOW_MS);
        r.afterFlush(1_000_000, 0);
        assertThat(r.tooSlow(990_000, 100 * MS)).as("10,000 bytes in the first window").isFalse();
        assertThat(r.carried()).as("carried, at most %d windows' minimum", SendRate.CARRIED_WINDOWS)
                .isEqualTo(SendRate.CARRIED_WINDOWS * 100L);
        for (int w = 2; w <= 1 + SendRate.CARRIED_WINDOWS; w++) {
            assertThat(r.tooSlow(990_000, w * 100 * MS)).as("window %d, paid by the carry-over", w).isFalse();
        }
        assertThat(r.tooSlow(990_000, (2 + SendRate.CARRIED_WINDOWS) * 100 * MS)).isTrue();
    }

    @Test
    void theCarryOverEndsWithTheWindows() {
        SendRate r = new SendRate(RATE, WINDOW_MS);
        r.afterFlush(100_000, 0);
        r.tooSlow(90_000, 100 * MS);
        assertThat(r.carried()).isPositive();
        assertThat(r.tooSlow(0, 150 * MS)).as("nothing waits").isFalse();
        assertThat(r.afterFlush(100_000, 200 * MS)).as("a new run of windows").isTrue();
        assertThat(r.carried()).isZero();
        assertThat(r.tooSlow(100_000, 300 * MS)).as("nothing sent in it, nothing carried into it").isTrue();
    }

    @Test
    void theMinimumIsAtLeastOneByte() {
        SendRate r = new SendRate(1, 10); // 1 B/s over 10 ms: 0.01 bytes, rounded up to 1
        r.afterFlush(10, 0);
        assertThat(r.tooSlow(10, 10 * MS)).isTrue();
    }

    /**
     * Review: a window whose bytes all went out between two looks ends at the next look, the look before a flush
     * included; the answer that flush adds waits in a window of its own (its grace), not in the rest of the old one
     * with the old one's bytes. (A handler that takes most of a window to answer must not cost its client the
     * grace.)
     */
    @Test
    void aWindowThatRanDryBeforeAFlushEndsThereAndTheFlushStartsANewOne() {
        SendRate r = new SendRate(RATE, WINDOW_MS);
        r.afterFlush(50, 0);
        r.look(0); // before the next flush, 95 ms later: the 50 bytes went out meanwhile
        assertThat(r.running()).as("nothing waits: the window ended, unjudged").isFalse();
        assertThat(r.afterFlush(10_000, 95 * MS)).as("the new answer's own window starts").isTrue();
        assertThat(r.windowEnd()).isEqualTo(195 * MS);
        assertThat(r.tooSlow(10_000, 100 * MS)).as("judged 5 ms after it started waiting").isFalse();
        assertThat(r.tooSlow(9_900, 195 * MS)).as("its window sent the minimum").isFalse();
    }
}
