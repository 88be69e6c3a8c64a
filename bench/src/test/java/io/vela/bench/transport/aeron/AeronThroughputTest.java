package io.vela.bench.transport.aeron;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.bench.cli.ForkedRun;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Aeron cases' forked main runs end to end and reports both subjects, measured. */
@Timeout(45)
class AeronThroughputTest {
    @Test
    void aShortIpcRunReportsBothSubjects() throws Exception {
        List<String[]> rows = ForkedRun.results(AeronThroughput.class, List.of("ipc", "50", "150", "1"), 40);
        assertThat(rows).extracting(r -> r[0]).containsExactly("vela", "aeron-raw");
        for (String[] r : rows) {
            assertThat(Double.parseDouble(r[1])).as("%s msgs/s", r[0]).isPositive();
            assertThat(Double.parseDouble(r[2])).as("%s B/msg on the sending thread", r[0]).isLessThan(1.0);
            assertThat(Double.parseDouble(r[3])).as("%s receiver CPU ns/msg", r[0]).isPositive();
        }
    }
}
