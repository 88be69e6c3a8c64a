package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaConfigException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ConfigTest {

    @Test
    void httpKeysAreValidatedLikeTheEngines() {
        Properties p = new Properties();
        p.setProperty("vela.http.port", "70000");
        p.setProperty("vela.http.transport", "carrier-pigeon");
        p.setProperty("vela.http.idle-timeout", "5");
        assertThatThrownBy(() -> VelaConfig.builder().properties(p).build())
                .isInstanceOf(VelaConfigException.class)
                .hasMessageContaining("http.port = 70000 is invalid; valid: an integer in [0, 65535]")
                .hasMessageContaining("http.transport = 'carrier-pigeon' (from properties) is invalid; valid: auto, "
                        + "io-uring, epoll, nio")
                .hasMessageContaining("unknown key vela.http.idle-timeout (from properties); did you mean "
                        + "vela.http.idle-timeout-ms?");
    }

    @Test
    void sendRateKeysNameTheKeyTheValueAndTheRange() {
        Properties p = new Properties();
        p.setProperty("vela.http.min-send-rate", "-1");
        p.setProperty("vela.http.send-rate-window-ms", "5");
        assertThatThrownBy(() -> VelaConfig.builder().properties(p).build())
                .isInstanceOf(VelaConfigException.class)
                .hasMessageContaining("http.min-send-rate = -1 is invalid; valid: an integer in "
                        + "[0, 1073741824]")
                .hasMessageContaining("http.send-rate-window-ms = 5 is invalid; valid: an integer "
                        + "in [10, 3600000]");
        VelaConfig c = VelaConfig.builder().build();
        assertThat(c.get(HttpSettings.MIN_SEND_RATE)).as("default").isEqualTo(1024L);
        assertThat(c.get(HttpSettings.SEND_RATE_WINDOW_MS)).as("default").isEqualTo(10_000L);
        assertThat(VelaConfig.builder().set("http.min-send-rate", "0").build().get(HttpSettings.MIN_SEND_RATE))
                .as("0 turns the check off and is valid").isZero();
    }

    @Test
    void httpKeysAreReadAndDescribed() {
        VelaConfig c = VelaConfig.builder().set("http.transport", "nio").set("http.port", "0").build();
        assertThat(c.get(HttpSettings.TRANSPORT)).isEqualTo(HttpTransport.NIO);
        assertThat(c.describe()).contains("vela.http.transport").contains("nio");
        assertThat(Settings.known()).containsAll(new HttpSettings().settings());
    }

    @Test
    void builderValuesOverrideTheConfigurationAndBadOnesNameTheKey() {
        try (Fixture f = new Fixture(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(HttpSettings.PORT, 0).set(HttpSettings.TRANSPORT, HttpTransport.EPOLL).build())) {
            HttpServer s = f.start(f.builder().transport(HttpTransport.NIO).get("/", r -> HttpResponse.of(200)));
            assertThat(s.transport()).isEqualTo(HttpTransport.NIO);
            assertThat(s.port()).isPositive();
            assertThatThrownBy(() -> f.builder().port(-1)).isInstanceOf(VelaConfigException.class)
                    .hasMessageContaining("http.port = -1 is invalid");
            assertThatThrownBy(() -> f.builder().port(s.port()).start())
                    .hasMessageContaining("cannot bind 127.0.0.1:" + s.port());
        }
    }

    @Test
    void autoPicksANativeTransportWhereAvailable() throws Exception {
        try (Fixture f = new Fixture()) {
            HttpServer s = f.start(f.builder().get("/t", r -> HttpResponse.text(200, "t")));
            assertThat(s.transport()).isNotEqualTo(HttpTransport.AUTO);
            assertThat(f.get("/t").body()).isEqualTo("t");
            for (HttpTransport t : new HttpTransport[] {HttpTransport.EPOLL, HttpTransport.IO_URING}) {
                try {
                    HttpServer other = f.builder().transport(t).get("/t", r -> HttpResponse.text(200, t.name()))
                            .start();
                    try (RawConnection c = new RawConnection(other.port())) {
                        assertThat(c.send("GET /t HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo(t.name());
                    }
                    other.close();
                } catch (VelaConfigException unavailable) {
                    assertThat(unavailable).hasMessageContaining("not available here");
                }
            }
        }
    }
}
