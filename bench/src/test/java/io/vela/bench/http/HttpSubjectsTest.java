package io.vela.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every subject of the http suite answers both cases as the generator expects; the generator counts right. */
@Timeout(40)
class HttpSubjectsTest {
    static final java.util.List<String> SUBJECTS = HttpSuite.SUBJECTS;

    @ParameterizedTest
    @FieldSource("SUBJECTS")
    void subjectServesBothCasesAndTheFixedRateRecordsEveryDueRequest(String subject) throws Exception {
        try (SubjectServer server = ServerMain.subject(subject)) {
            int port = server.start(1);
            for (HttpCase c : HttpCase.values()) {
                try (LoadGenerator gen = new LoadGenerator(port, c, 4)) {
                    assertThat(gen.saturate(200, 300)).as("%s %s req/s", subject, c).isPositive();
                    Histogram h = gen.fixedRate(500, 200, 400);
                    // due every 2 ms for 400 ms: 200 requests recorded, give or take the one on the edge
                    assertThat(h.getTotalCount()).as("%s %s samples", subject, c).isBetween(199L, 201L);
                    assertThat(h.getValueAtPercentile(50)).isPositive();
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void anUnknownSubjectNamesTheValidOnes() {
        assertThatThrownBy(() -> ServerMain.subject("nginx")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nginx'").hasMessageContaining("vela, vela-loop, netty-raw, vertx-http");
    }
}
