package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.counters.CountersFileReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A server's route counters reach the runtime's counters file, which {@code vela-stat} reads from outside. */
@Timeout(30)
class CountersFileTest {
    @TempDir
    Path dir;

    @Test
    void routeCountersAreInTheCountersFile() throws Exception {
        VelaConfig config = VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).set(HttpSettings.PORT, 0)
                .set(Settings.COUNTERS_DIR, dir.toString()).set(Settings.COUNTERS_SAMPLE_MS, 10L).build();
        try (Fixture f = new Fixture(config)) {
            f.start(f.builder().get("/hello", req -> HttpResponse.text(200, "hi"))
                    .get("/missing", req -> HttpResponse.of(404)));
            for (int i = 0; i < 3; i++) {
                assertThat(f.get("/hello").statusCode()).isEqualTo(200);
            }
            assertThat(f.get("/missing").statusCode()).isEqualTo(404);
            assertThat(f.get("/nowhere").statusCode()).isEqualTo(404);
            String prefix = "component http:" + f.server.port() + " ";
            try (CountersFileReader reader = CountersFileReader.open(f.runtime.counters().file().orElseThrow())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                Map<String, Long> values;
                do { // the counters thread copies the server's numbers every 10 ms
                    Thread.sleep(10);
                    values = reader.snapshot().stream().filter(s -> s.label().startsWith(prefix))
                            .collect(Collectors.toMap(s -> s.label().substring(prefix.length()), s -> s.value(),
                                    (a, b) -> b));
                } while (values.getOrDefault("GET_/hello.requests", 0L) < 3 && System.nanoTime() < deadline);
                assertThat(values).containsEntry("GET_/hello.requests", 3L)
                        .containsEntry("GET_/hello.2xx", 3L)
                        .containsEntry("GET_/hello.in-flight", 0L)
                        .containsEntry("GET_/missing.4xx", 1L)
                        .containsEntry("unrouted", 1L)
                        .containsKey("GET_/hello.p99-us")
                        .containsKey("connections-accepted")
                        .containsEntry("slow-readers-closed", 0L);
            }
        }
    }
}
