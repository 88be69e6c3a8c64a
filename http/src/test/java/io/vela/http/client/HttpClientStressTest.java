package io.vela.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bounded races: many senders share the pool; close races senders. Every request is accounted for. */
@Timeout(30)
class HttpClientStressTest extends ClientFixture {
    private static final int SENDERS = 4;
    private static final int PER_SENDER = 500;


    /** Runs {@code body} on {@code n} threads as futures, so what a thread throws reaches JUnit. */
    private static List<CompletableFuture<Void>> onThreads(int n, java.util.function.IntConsumer body) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int id = t;
            done.add(CompletableFuture.runAsync(() -> body.accept(id), r -> new Thread(r, "sender-" + id).start()));
        }
        return done;
    }

    @Test
    void everyRequestIsAnsweredOnceWithItsOwnBody() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        try (HttpClient c = client().maxConnectionsPerHost(3).start()) {
            List<CompletableFuture<Void>> senders = onThreads(SENDERS, t -> {
                List<CompletableFuture<Void>> mine = new ArrayList<>();
                for (int i = 0; i < PER_SENDER; i++) {
                    String id = t + "-" + i;
                    mine.add(c.send(HttpClientRequest.post(server.uri("/echo"),
                            id.getBytes(StandardCharsets.UTF_8), "text/plain").withHeader("X-Id", id))
                            .thenAccept(r -> {
                                assertThat(r.status()).isEqualTo(200);
                                assertThat(r.header("X-Id")).contains(r.bodyText());
                                if (!seen.add(r.bodyText())) {
                                    duplicates.incrementAndGet();
                                }
                            }));
                }
                CompletableFuture.allOf(mine.toArray(CompletableFuture[]::new)).join();
            });
            CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(25, TimeUnit.SECONDS);
        }
        assertThat(duplicates.get()).isZero();
        assertThat(seen).hasSize(SENDERS * PER_SENDER);
        assertThat(server.requests.get()).isEqualTo(SENDERS * PER_SENDER);
        assertThat(server.accepted.get()).isLessThanOrEqualTo(3);
    }

    @Test
    void closeWhileSendingCompletesEveryFuture() throws Exception {
        HttpClient c = client().maxConnectionsPerHost(2).start();
        List<CompletableFuture<HttpClientResponse>> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        List<CompletableFuture<Void>> senders = onThreads(2, t -> {
            for (int i = 0; i < 2_000; i++) {
                all.add(c.send(HttpClientRequest.get(server.uri(i % 3 == 0 ? "/never" : "/hello"))));
                sent.incrementAndGet();
            }
        });
        while (sent.get() < 500) {
            Thread.onSpinWait();
        }
        c.close();
        CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        int answered = 0;
        int closed = 0;
        for (CompletableFuture<HttpClientResponse> f : all) {
            try {
                assertThat(f.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
                answered++;
            } catch (ExecutionException e) {
                assertThat(((HttpClientException) e.getCause()).reason())
                        .isEqualTo(HttpClientException.Reason.CLIENT_CLOSED);
                closed++;
            }
        }
        assertThat(answered + closed).isEqualTo(4_000);
        assertThat(closed).isPositive();
        assertThat(c.openConnections()).isZero();
    }
}
