package io.vela.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ready-made {@link Middleware}. Install with {@link HttpServer.Builder#use(Middleware)}; order is explicit (the
 * first installed is the outermost). Each runs on the thread that runs the route (a ring worker, or the event loop
 * for non-blocking routes and for 404/405/OPTIONS answers) and allocates a little per request (a future, a copied
 * request when it adds a header). Compression is Netty's {@code HttpContentCompressor} in the pipeline:
 * {@link HttpServer.Builder#compression(boolean)}.
 */
public final class Middlewares {
    private static final Logger ACCESS = LoggerFactory.getLogger("io.vela.http.access");

    private Middlewares() {
    }

    /** @return logs one SLF4J INFO line per request at logger {@code io.vela.http.access}: method, uri, status, µs */
    public static Middleware accessLog() {
        return (req, next) -> {
            long start = System.nanoTime();
            return next.proceed(req).whenComplete((r, e) -> {
                if (ACCESS.isInfoEnabled()) {
                    ACCESS.info("{} {} {} {} us", req.method(), req.uri(), r == null ? "failed" : r.status(),
                            (System.nanoTime() - start) / 1000);
                }
            });
        };
    }

    /**
     * @param header the request id header, e.g. {@code x-request-id}
     * @return keeps a client's id or sets a new one (unique within the JVM) on the request passed on, and echoes it
     *         on the response
     */
    public static Middleware requestId(String header) {
        Objects.requireNonNull(header, "header");
        AtomicLong seq = new AtomicLong();
        String prefix = Long.toHexString(System.nanoTime() & 0xffffffL) + "-";
        return (req, next) -> {
            String id = req.header(header).orElseGet(() -> prefix + seq.incrementAndGet());
            HttpRequest withId = req.header(header).isPresent() ? req : req.withHeader(header, id);
            return next.proceed(withId).thenApply(r -> r.withHeader(header, id));
        };
    }

    /**
     * Answers 503 when the rest of the chain has not answered within {@code limit}. Effective for asynchronous
     * handlers: a synchronous one has answered (or is still blocking its thread) when its chain returns.
     *
     * @param limit     the time limit
     * @param scheduler where the deadline fires, e.g. {@code runtime.scheduler()}
     * @return the middleware
     */
    public static Middleware timeout(Duration limit, ScheduledExecutorService scheduler) {
        long nanos = limit.toNanos();
        Objects.requireNonNull(scheduler, "scheduler");
        return (req, next) -> {
            CompletableFuture<HttpResponse> inner = next.proceed(req);
            if (inner.isDone()) {
                return inner;
            }
            CompletableFuture<HttpResponse> out = new CompletableFuture<>();
            ScheduledFuture<?> timer = scheduler.schedule(
                    () -> out.complete(HttpResponse.text(503, "timed out\n")), nanos, TimeUnit.NANOSECONDS);
            inner.whenComplete((r, e) -> {
                timer.cancel(false);
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(r);
                }
            });
            return out;
        };
    }

    /**
     * CORS: answers preflight {@code OPTIONS} requests from allowed origins with 204 and the allowed methods and
     * headers; adds {@code Access-Control-Allow-Origin} to other responses to allowed origins. Requests from other
     * origins pass unchanged (the browser enforces the policy).
     *
     * @param allowedOrigins origins such as {@code https://app.example}, or {@code *}
     * @param allowedMethods e.g. {@code GET, POST}
     * @param allowedHeaders e.g. {@code content-type}
     * @return the middleware
     */
    public static Middleware cors(Set<String> allowedOrigins, String allowedMethods, String allowedHeaders) {
        Set<String> origins = Set.copyOf(allowedOrigins);
        return (req, next) -> {
            Optional<String> origin = req.header("origin");
            if (origin.isEmpty() || !(origins.contains("*") || origins.contains(origin.get()))) {
                return next.proceed(req);
            }
            String allow = origins.contains("*") ? "*" : origin.get();
            if (req.method().equals("OPTIONS") && req.header("access-control-request-method").isPresent()) {
                return CompletableFuture.completedFuture(HttpResponse.of(204)
                        .withHeader("access-control-allow-origin", allow)
                        .withHeader("access-control-allow-methods", allowedMethods)
                        .withHeader("access-control-allow-headers", allowedHeaders)
                        .withHeader("vary", "origin"));
            }
            return next.proceed(req).thenApply(r -> r.withHeader("access-control-allow-origin", allow)
                    .withHeader("vary", "origin"));
        };
    }

    /**
     * @param maxBytes largest body accepted (the server-wide {@code http.max-content-length} still applies first)
     * @return answers 413 to a larger body
     */
    public static Middleware bodyLimit(int maxBytes) {
        return (req, next) -> req.body().length > maxBytes
                ? CompletableFuture.completedFuture(HttpResponse.text(413, "body larger than " + maxBytes + " bytes\n"))
                : next.proceed(req);
    }

    /**
     * An authentication hook: {@code authenticator} names the caller, or returns empty to refuse with 401 and
     * {@code WWW-Authenticate: scheme}. The name is passed on in request header {@code principalHeader}, replacing
     * any value the client sent.
     *
     * @param scheme          e.g. {@code Bearer}
     * @param principalHeader e.g. {@code x-vela-principal}
     * @param authenticator   decides; runs where the route runs (must not block on the event loop)
     * @return the middleware
     */
    public static Middleware authenticate(String scheme, String principalHeader,
                                          Function<HttpRequest, Optional<String>> authenticator) {
        Objects.requireNonNull(authenticator, "authenticator");
        String challenge = Objects.requireNonNull(scheme, "scheme");
        String header = principalHeader.toLowerCase(Locale.ROOT);
        return (req, next) -> {
            Optional<String> who = authenticator.apply(req);
            if (who.isEmpty()) {
                return CompletableFuture.completedFuture(HttpResponse.text(401, "unauthorized\n")
                        .withHeader("www-authenticate", challenge));
            }
            return next.proceed(req.withHeader(header, who.get()));
        };
    }
}
