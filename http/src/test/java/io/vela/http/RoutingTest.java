package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.VelaConfigException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RoutingTest {
    private Fixture f;

    @BeforeEach
    void start() {
        f = new Fixture();
        f.start(f.builder()
                .get("/hello", r -> HttpResponse.text(200, "hi"))
                .get("/orders/{id}", r -> HttpResponse.text(200, "order " + r.pathParam("id")
                        + r.query("v").map(v -> " v=" + v).orElse("")))
                .get("/orders/special", r -> HttpResponse.text(200, "special"))
                .put("/orders/{id}", r -> HttpResponse.text(200, "put " + r.pathParam("id") + " " + r.bodyText()))
                .delete("/orders/{id}", r -> HttpResponse.of(204))
                .post("/json", r -> HttpResponse.json(201, Map.of("got", r.bodyAs(Map.class).get("a"))))
                .get("/boom", r -> {
                    throw new IllegalStateException("boom");
                })
                .get("/teapot", r -> {
                    throw new HttpStatusException(418, "short and stout");
                })
                .get("/badjson", r -> HttpResponse.json(200, new Object()))
                .get("/param/{x}", r -> HttpResponse.text(200, r.pathParam("nope"))));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void literalParameterAndQuery() throws Exception {
        assertThat(f.get("/hello").body()).isEqualTo("hi");
        assertThat(f.get("/orders/17?v=3").body()).isEqualTo("order 17 v=3");
        assertThat(f.get("/orders/a%20b").body()).isEqualTo("order a b");
        assertThat(f.get("/orders/special").body()).isEqualTo("special");
        assertThat(f.send("PUT", "/orders/9", "x").body()).isEqualTo("put 9 x");
        assertThat(f.send("DELETE", "/orders/9", null).statusCode()).isEqualTo(204);
    }

    @Test
    void aLiteralTemplateMatchesHoweverItsPathIsSpelled() throws Exception {
        // the exact text of a template is found by one lookup; any other spelling walks the tree: same answers
        assertThat(f.get("/orders/special").body()).isEqualTo("special");
        assertThat(f.get("/orders/speci%61l").body()).as("percent-encoded literal").isEqualTo("special");
        assertThat(f.get("/orders/special/").body()).as("trailing slash").isEqualTo("special");
        assertThat(f.get("/orders//special").body()).as("empty segment").isEqualTo("special");
        assertThat(f.get("/orders/special?v=1").body()).as("with a query").isEqualTo("special");
        assertThat(f.get("/orders/specia").body()).as("a parameter beside the literal").isEqualTo("order specia");
        assertThat(f.get("/hello%2F").statusCode()).as("an encoded slash is part of the segment").isEqualTo(404);
    }

    @Test
    void notFoundAndMethodNotAllowedWithAllow() throws Exception {
        assertThat(f.get("/nothing").statusCode()).isEqualTo(404);
        assertThat(f.get("/orders/1/2").statusCode()).isEqualTo(404);
        var r = f.send("POST", "/orders/1", "x");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("DELETE, GET, HEAD, OPTIONS, PUT");
        assertThat(f.server.stats().unrouted()).isEqualTo(3);
    }

    @Test
    void headAndOptions() throws Exception {
        var head = f.send("HEAD", "/hello", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("content-length")).hasValue("2");
        var opt = f.send("OPTIONS", "/hello", null);
        assertThat(opt.statusCode()).isEqualTo(204);
        assertThat(opt.headers().firstValue("allow")).hasValue("GET, HEAD, OPTIONS");
        assertThat(f.get("/hello").body()).isEqualTo("hi"); // the connection still serves after a HEAD
    }

    @Test
    void jsonBodiesAndErrors() throws Exception {
        var r = f.send("POST", "/json", "{\"a\":5}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).isEqualTo("{\"got\":5}");
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(f.send("POST", "/json", "{not json").statusCode()).isEqualTo(400);
        assertThat(f.get("/boom").statusCode()).isEqualTo(500);
        var tea = f.get("/teapot");
        assertThat(tea.statusCode()).isEqualTo(418);
        assertThat(tea.body()).contains("short and stout");
        assertThat(f.get("/param/1").statusCode()).isEqualTo(500); // unknown path parameter name: handler bug
        assertThat(f.get("/badjson").statusCode()).isEqualTo(500); // JSON written on the worker, fails there
    }

    @Test
    void statsCountPerRouteAndAreInRuntimeStats() throws Exception {
        for (int i = 0; i < 5; i++) {
            f.get("/hello");
        }
        f.get("/boom");
        RouteStats hello = f.server.stats().routes().stream().filter(s -> s.route().equals("GET /hello"))
                .findFirst().orElseThrow();
        assertThat(hello.requests()).isEqualTo(5);
        assertThat(hello.responses(2)).isEqualTo(5);
        assertThat(hello.inFlight()).isZero();
        assertThat(hello.latencyNanos().getTotalCount()).isEqualTo(5);
        assertThat(f.runtime.stats().component("http:" + f.server.port())).containsSame(f.server.stats());
        assertThat(f.runtime.stats().describe()).contains("GET /boom").contains("GET /hello");
    }

    @Test
    void badRouteTablesAreRefusedNamingTheRoute() {
        assertThatThrownBy(() -> f.builder().get("/a/{id}", r -> null).get("/a/{id}", r -> null).start())
                .isInstanceOf(VelaConfigException.class).hasMessageContaining("GET /a/{id} is declared twice");
        assertThatThrownBy(() -> f.builder().route("GET", "/k/{id}", (HttpHandler) r -> null,
                RouteOptions.defaults().keyedByPathParam("key")).start())
                .isInstanceOf(VelaConfigException.class).hasMessageContaining("keyedByPathParam = key")
                .hasMessageContaining("[id]");
        assertThatThrownBy(() -> f.builder().get("nolead", r -> null).start())
                .isInstanceOf(VelaConfigException.class).hasMessageContaining("starting with /");
    }
}
