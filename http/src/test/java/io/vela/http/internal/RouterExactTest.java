package io.vela.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.http.AsyncHttpHandler;
import io.vela.http.HttpResponse;
import io.vela.http.RouteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Templates without parameters are matched by length then text: equal lengths, prefixes and misses. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RouterExactTest {
    private static final AsyncHttpHandler OK = req -> CompletableFuture.completedFuture(HttpResponse.of(200));

    private static Router router(String... templates) {
        List<RouteSpec> specs = new ArrayList<>();
        for (String t : templates) {
            specs.add(new RouteSpec("GET", t, OK, RouteOptions.defaults()));
        }
        return new Router(specs, List.of());
    }

    @Test
    void templatesOfTheSameLengthAreTold() {
        Router r = router("/aa", "/bb", "/cc", "/a", "/aaaa", "/items/{id}");
        for (String t : List.of("/aa", "/bb", "/cc", "/a", "/aaaa")) {
            Router.Match m = r.match(new String(t)); // a fresh string, as a request's path is
            assertThat(m).as(t).isNotNull();
            assertThat(m.methods.get("GET").template).isEqualTo(t);
        }
        assertThat(r.match("/dd")).isNull();
        assertThat(r.match("/aaa")).isNull();
        assertThat(r.match("/aaaaaaaaaaaaaaaaaaaa")).as("longer than every template").isNull();
        assertThat(r.match("/items/7").values[0]).isEqualTo("7");
    }

    @Test
    void aTableWithoutExactTemplatesStillMatches() {
        Router r = router("/items/{id}");
        assertThat(r.match("/items/x").values[0]).isEqualTo("x");
        assertThat(r.match("/")).isNull();
    }
}
