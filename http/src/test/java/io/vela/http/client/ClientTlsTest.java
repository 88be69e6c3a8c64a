package io.vela.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContextBuilder;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.http.HttpResponse;
import io.vela.http.HttpServer;
import io.vela.http.HttpTransport;
import io.vela.http.VelaHttp;
import io.vela.http.client.HttpClientException.Reason;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client over TLS against Vela's server with a certificate made at test time by the JDK's keytool. */
@Timeout(40)
class ClientTlsTest {
    private static final String SECRET = "vela-tls";

    /** A PKCS12 store holding one EC key pair whose self-signed certificate names 127.0.0.1 and localhost. */
    private static KeyStore certificate(Path dir) throws Exception {
        Path file = dir.resolve("tls.p12");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", SECRET,
                "-keypass", SECRET, "-alias", "server", "-keyalg", "EC", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "1");
        Process keytool = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(30, TimeUnit.SECONDS) && keytool.exitValue() == 0).as(log).isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, SECRET.toCharArray());
        }
        return ks;
    }

    @Test
    void httpsWithATrustedCertificateAndRefusalOfAnUntrustedOne(@TempDir Path dir) throws Exception {
        KeyStore ks = certificate(dir);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(ks, SECRET.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(ks);
        VelaConfig config = VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).build();
        try (VelaRuntime runtime = VelaRuntime.start(config)) {
            HttpServer server = VelaHttp.server(runtime).port(0).transport(HttpTransport.NIO).eventLoops(1)
                    .tls(SslContextBuilder.forServer(keys).build())
                    .get("/secure", req -> HttpResponse.text(200, "sealed")).start();
            URI secure = URI.create("https://127.0.0.1:" + server.port() + "/secure");
            try (HttpClient trusting = VelaHttp.client(runtime).tls(SslContextBuilder.forClient()
                    .trustManager(trust).build()).start()) {
                for (int i = 0; i < 3; i++) {
                    HttpClientResponse r = trusting.send(HttpClientRequest.get(secure)).get(10, TimeUnit.SECONDS);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.bodyText()).isEqualTo("sealed");
                }
                assertThat(server.stats().acceptedConnections()).isEqualTo(1);
            }
            try (HttpClient jdkTrust = VelaHttp.client(runtime).start()) {
                var refused = jdkTrust.send(HttpClientRequest.get(secure));
                assertThat(HttpClientTest.failure(refused)).isEqualTo(Reason.CONNECT_FAILED);
                assertThat(refused.handle((r, e) -> e.getMessage()).get()).contains("TLS handshake failed");
            }
        }
    }
}
