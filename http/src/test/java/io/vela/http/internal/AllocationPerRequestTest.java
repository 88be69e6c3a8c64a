package io.vela.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaRuntime;
import io.vela.http.HttpHandler;
import io.vela.http.HttpResponse;
import io.vela.http.HttpServer;
import io.vela.http.HttpSettings;
import io.vela.http.RouteOptions;
import io.vela.http.VelaHttp;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes allocated per request on the event-loop path ({@code nonBlocking()} route), measured on an
 * {@link EmbeddedChannel} carrying the server's own pipeline, against raw Netty's codec, aggregator and a trivial
 * handler (the bench's {@code netty-raw}) on the same channel type. Both sides allocate the request buffer the test
 * feeds in and EmbeddedChannel's own bookkeeping; the difference is the edge's own cost.
 */
class AllocationPerRequestTest {
    private static final Logger LOG = LoggerFactory.getLogger(AllocationPerRequestTest.class);
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET = ("GET /plaintext HTTP/1.1\r\nHost: localhost\r\nUser-Agent: bench\r\n"
            + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;
    /** What the edge may allocate per request beyond raw Netty (its request and response objects). */
    private static final long EDGE_BUDGET = 400;

    @Test
    @Timeout(30)
    void theEventLoopPathAllocatesLittleMoreThanRawNetty() {
        long raw = perRequest(rawNetty());
        long vela;
        try (VelaRuntime runtime = VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1)
                .set(HttpSettings.PORT, 0).build())) {
            HttpServer server = VelaHttp.server(runtime).host("127.0.0.1")
                    .route("GET", "/plaintext", (HttpHandler) req -> HttpResponse.bytes(200, HELLO, "text/plain"),
                            RouteOptions.defaults().nonBlocking())
                    .start();
            NettyHttpServer netty = (NettyHttpServer) server;
            vela = perRequest(ch -> netty.initConnection(ch));
        }
        LOG.info("allocated per request: vela-loop {} B, netty-raw {} B", vela, raw);
        assertThat(vela).as("bytes per request, vela-loop (netty-raw: %d)", raw).isLessThanOrEqualTo(raw + EDGE_BUDGET);
    }

    private static Consumer<EmbeddedChannel> rawNetty() {
        return ch -> ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), new RawHandler());
    }

    private static long perRequest(Consumer<EmbeddedChannel> pipeline) {
        EmbeddedChannel ch = new EmbeddedChannel();
        pipeline.accept(ch);
        run(ch, WARM_UP);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        long cpu = mx.getCurrentThreadCpuTime();
        run(ch, MEASURED);
        long after = mx.getThreadAllocatedBytes(tid);
        LOG.debug("cpu per request {} ns", (mx.getCurrentThreadCpuTime() - cpu) / MEASURED);
        ch.finishAndReleaseAll();
        return (after - before) / MEASURED;
    }

    private static void run(EmbeddedChannel ch, int n) {
        for (int i = 0; i < n; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(GET));
            ch.runPendingTasks();
            ByteBuf out = readAll(ch);
            if (out.readableBytes() < 20 || out.getByte(9) != '2') {
                throw new AssertionError("not answered 200: " + out.toString(StandardCharsets.US_ASCII));
            }
            out.release();
        }
    }

    private static ByteBuf readAll(EmbeddedChannel ch) {
        var all = Unpooled.compositeBuffer();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            all.addComponent(true, (ByteBuf) o);
        }
        return all;
    }

    @ChannelHandler.Sharable
    private static final class RawHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(HELLO));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
            HttpUtil.setContentLength(r, r.content().readableBytes());
            ctx.writeAndFlush(r);
        }
    }
}
