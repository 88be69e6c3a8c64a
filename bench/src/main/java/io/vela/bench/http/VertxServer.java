package io.vela.bench.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/** Subject {@code vertx-http}: a Vert.x 5 HTTP server with its event-loop pool sized like the others; NIO. */
final class VertxServer implements SubjectServer {
    private static final Buffer HELLO = Buffer.buffer(HttpCase.HELLO);

    private Vertx vertx;

    @Override
    public int start(int eventLoops) throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(false));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                .requestHandler(req -> {
                    if (req.path().equals(HttpCase.JSON.path)) {
                        req.body().onSuccess(b -> req.response().putHeader("content-type", "application/json")
                                .end(b));
                    } else if (req.path().equals(HttpCase.PLAINTEXT.path)) {
                        req.response().putHeader("content-type", "text/plain").end(HELLO);
                    } else {
                        req.response().setStatusCode(404).end();
                    }
                });
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
                .actualPort();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
