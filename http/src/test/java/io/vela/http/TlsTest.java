package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS through Netty's SslHandler, with a self-signed certificate made by the JDK's keytool at test time. */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class TlsTest {
    static final char[] PASS = "changeit".toCharArray();

    static KeyStore selfSigned(Path dir) throws Exception {
        Path ks = dir.resolve("server.p12");
        String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "vela", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("keytool: " + out).isTrue();
        assertThat(p.exitValue()).as("keytool: " + out).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PASS);
        }
        return store;
    }

    /** @return a server context holding {@code store}'s key (as the TLS tests' servers use it) */
    static SslContext serverContext(KeyStore store) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASS);
        return SslContextBuilder.forServer(kmf).build();
    }

    /** @return a client context that trusts {@code store}'s certificate */
    static SSLContext clientContext(KeyStore store) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }

    @Test
    void servesHttpsWithASelfSignedCertificate(@TempDir Path dir) throws Exception {
        KeyStore store = selfSigned(dir);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASS);
        SslContext server = SslContextBuilder.forServer(kmf).build();
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(clientTls).version(HttpClient.Version.HTTP_1_1).build();
        try (Fixture f = new Fixture()) {
            f.start(f.builder().tls(server).get("/secure", r -> HttpResponse.text(200, "secret")));
            for (int i = 0; i < 3; i++) {
                var r = client.send(HttpRequest.newBuilder(
                        java.net.URI.create("https://127.0.0.1:" + f.server.port() + "/secure")).build(),
                        BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("secret");
            }
            // plain text to a TLS port is not answered as HTTP
            try (RawConnection c = new RawConnection(f.server.port())) {
                c.send("GET /secure HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.closedByServer()).isTrue();
            }
        }
    }
}
