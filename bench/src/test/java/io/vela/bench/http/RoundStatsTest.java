package io.vela.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The http suite's latency rounds: one stall-heavy round does not decide the reported p99. */
@Timeout(10)
class RoundStatsTest {
    private static Histogram round(long typical, long stall, int stalls) {
        Histogram h = new Histogram(60_000_000_000L, 3);
        for (int i = 0; i < 1000 - stalls; i++) {
            h.recordValue(typical);
        }
        for (int i = 0; i < stalls; i++) {
            h.recordValue(stall);
        }
        return h;
    }

    @Test
    void theMedianRoundDecidesP99AndAllSamplesDecideP999() {
        HttpSuite.RoundStats s = new HttpSuite.RoundStats();
        s.add(round(100_000, 5_000_000, 100)); // a round hit by a 5 ms stall: 10% of its requests late
        s.add(round(120_000, 200_000, 20));
        s.add(round(110_000, 300_000, 20));
        s.add(round(130_000, 250_000, 20));
        s.add(round(90_000, 400_000, 20));

        // per-round p99 (2% late in the quiet rounds): 5 ms, 200, 300, 250, 400 µs -> median 300 µs; a merged histogram's p99 would be the stall
        assertThat(s.medianOf(99)).isBetween(299_000L, 301_000L);
        assertThat(s.medianOf(50)).isBetween(109_000L, 111_000L);
        assertThat(s.all.getTotalCount()).isEqualTo(5000);
        assertThat(s.all.getValueAtPercentile(99)).isGreaterThan(4_000_000L);
    }

    @Test
    void anEvenNumberOfRoundsReportsTheLowerMiddle() {
        HttpSuite.RoundStats s = new HttpSuite.RoundStats();
        s.add(round(100_000, 100_000, 0));
        s.add(round(300_000, 300_000, 0));
        assertThat(s.medianOf(50)).isBetween(99_000L, 101_000L);
    }
}
