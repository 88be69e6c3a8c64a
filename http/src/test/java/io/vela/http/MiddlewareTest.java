package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MiddlewareTest {

    private static Middleware tracing(String name, List<String> trace) {
        return (req, next) -> {
            trace.add(name + ">");
            return next.proceed(req).thenApply(r -> {
                trace.add("<" + name);
                return r.withHeader("x-trace", name);
            });
        };
    }

    @Test
    void middlewareRunsInOrderAroundTheHandlerAndMayShortCircuit() throws Exception {
        List<String> trace = new CopyOnWriteArrayList<>();
        try (Fixture f = new Fixture()) {
            f.start(f.builder().use(tracing("outer", trace)).use(tracing("inner", trace))
                    .use((req, next) -> req.path().equals("/blocked")
                            ? CompletableFuture.completedFuture(HttpResponse.text(403, "no"))
                            : next.proceed(req))
                    .get("/ok", r -> {
                        trace.add("handler");
                        return HttpResponse.text(200, "ok");
                    })
                    .get("/blocked", r -> {
                        trace.add("never");
                        return HttpResponse.text(200, "never");
                    }));
            var ok = f.get("/ok");
            assertThat(ok.body()).isEqualTo("ok");
            assertThat(trace).containsExactly("outer>", "inner>", "handler", "<inner", "<outer");
            assertThat(ok.headers().allValues("x-trace")).containsExactly("inner", "outer");
            trace.clear();
            assertThat(f.get("/blocked").statusCode()).isEqualTo(403);
            assertThat(trace).containsExactly("outer>", "inner>", "<inner", "<outer");
            trace.clear();
            assertThat(f.get("/missing").statusCode()).isEqualTo(404); // unrouted answers pass through too
            assertThat(trace).containsExactly("outer>", "inner>", "<inner", "<outer");
        }
    }

    @Test
    void requestIdIsKeptOrMadeAndEchoed() throws Exception {
        try (Fixture f = new Fixture()) {
            f.start(f.builder().use(Middlewares.requestId("x-request-id")).use(Middlewares.accessLog())
                    .get("/id", r -> HttpResponse.text(200, r.header("x-request-id").orElse("none"))));
            var made = f.get("/id");
            assertThat(made.body()).isNotEqualTo("none").isEqualTo(made.headers().firstValue("x-request-id")
                    .orElseThrow());
            var kept = f.client.send(java.net.http.HttpRequest.newBuilder(f.uri("/id"))
                    .header("x-request-id", "abc").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(kept.body()).isEqualTo("abc");
            assertThat(kept.headers().firstValue("x-request-id")).hasValue("abc");
        }
    }

    @Test
    void timeoutAnswers503ForASlowAsyncHandler() throws Exception {
        try (Fixture f = new Fixture()) {
            f.start(f.builder().use(Middlewares.timeout(Duration.ofMillis(100), f.runtime.scheduler()))
                    .routeAsync("GET", "/slow", r -> new CompletableFuture<>(), RouteOptions.defaults())
                    .get("/fast", r -> HttpResponse.text(200, "fast")));
            var slow = f.get("/slow");
            assertThat(slow.statusCode()).isEqualTo(503);
            assertThat(slow.body()).contains("timed out");
            assertThat(f.get("/fast").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void corsPreflightAndSimpleRequests() throws Exception {
        try (Fixture f = new Fixture()) {
            f.start(f.builder().use(Middlewares.cors(Set.of("https://app.example"), "GET, POST", "content-type"))
                    .post("/x", r -> HttpResponse.text(200, "x")));
            var pre = f.client.send(java.net.http.HttpRequest.newBuilder(f.uri("/x"))
                    .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                    .header("origin", "https://app.example").header("access-control-request-method", "POST").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(pre.statusCode()).isEqualTo(204);
            assertThat(pre.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example");
            assertThat(pre.headers().firstValue("access-control-allow-methods")).hasValue("GET, POST");
            var simple = f.client.send(java.net.http.HttpRequest.newBuilder(f.uri("/x"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("b"))
                    .header("origin", "https://evil.example").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(simple.statusCode()).isEqualTo(200);
            assertThat(simple.headers().firstValue("access-control-allow-origin")).isEmpty();
        }
    }

    @Test
    void bodyLimitAndAuthentication() throws Exception {
        try (Fixture f = new Fixture()) {
            f.start(f.builder().use(Middlewares.authenticate("Bearer", "x-vela-principal",
                            r -> r.header("authorization").filter(a -> a.equals("Bearer good")).map(a -> "alice")))
                    .use(Middlewares.bodyLimit(4))
                    .post("/who", r -> HttpResponse.text(200, r.header("x-vela-principal").orElse("?"))));
            var anon = f.send("POST", "/who", "abc");
            assertThat(anon.statusCode()).isEqualTo(401);
            assertThat(anon.headers().firstValue("www-authenticate")).hasValue("Bearer");
            var spoof = f.client.send(java.net.http.HttpRequest.newBuilder(f.uri("/who"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("abc"))
                    .header("authorization", "Bearer good").header("x-vela-principal", "mallory").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(spoof.body()).isEqualTo("alice");
            var big = f.client.send(java.net.http.HttpRequest.newBuilder(f.uri("/who"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("abcdef"))
                    .header("authorization", "Bearer good").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(Optional.of(f.server.stats().routes().get(0).responses(4))).hasValue(2L);
        }
    }
}
