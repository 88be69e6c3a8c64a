package io.vela.http.client;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny raw-Netty HTTP server for the client tests. Paths: {@code /hello}; {@code /echo} (body back, with the
 * request's {@code X-Id}); {@code /delay?ms=N}; {@code /never} (no answer); {@code /big?n=N} (N bytes);
 * {@code /half} (headers promise 100 bytes, 10 are sent, then close); {@code /close} (answers with
 * {@code Connection: close}); {@code /redirect?to=PATH&status=S}; {@code /loop} (redirects to itself).
 * Counts accepted connections and the most open at once.
 */
final class TestServer implements AutoCloseable {
    private static final io.netty.util.AttributeKey<Boolean> SERVED = io.netty.util.AttributeKey.valueOf("served");
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger maxOpen = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    TestServer() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.incrementAndGet();
                        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            requests.incrementAndGet();
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            String p = q.path();
            switch (p) {
                case "/hello" -> send(ctx, text(HttpResponseStatus.OK, "hello"), false);
                case "/echo" -> {
                    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            Unpooled.copiedBuffer(req.content()));
                    String id = req.headers().get("X-Id");
                    if (id != null) {
                        r.headers().set("X-Id", id);
                    }
                    send(ctx, r, false);
                }
                case "/delay" -> {
                    long ms = Long.parseLong(q.parameters().get("ms").get(0));
                    FullHttpResponse r = text(HttpResponseStatus.OK, "late");
                    ctx.executor().schedule(() -> send(ctx, r, false), ms, TimeUnit.MILLISECONDS);
                }
                case "/never" -> { }
                case "/big" -> {
                    int n = Integer.parseInt(q.parameters().get("n").get(0));
                    send(ctx, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            Unpooled.wrappedBuffer(new byte[n])), false);
                }
                case "/half" -> {
                    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setContentLength(head, 100);
                    ctx.write(head);
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[10]))
                            .addListener(ChannelFutureListener.CLOSE);
                }
                case "/close" -> send(ctx, text(HttpResponseStatus.OK, "bye"), true);
                case "/redirect" -> {
                    int status = Integer.parseInt(q.parameters().getOrDefault("status", java.util.List.of("302"))
                            .get(0));
                    FullHttpResponse r = text(HttpResponseStatus.valueOf(status), "moved");
                    r.headers().set(HttpHeaderNames.LOCATION, q.parameters().get("to").get(0));
                    r.headers().set("X-Method", req.method().name());
                    send(ctx, r, false);
                }
                case "/loop" -> {
                    FullHttpResponse r = text(HttpResponseStatus.FOUND, "again");
                    r.headers().set(HttpHeaderNames.LOCATION, "/loop");
                    send(ctx, r, false);
                }
                case "/drop-if-reused" -> {
                    if (ctx.channel().hasAttr(SERVED)) {
                        ctx.close(); // as a server does that times out a kept-alive connection
                    } else {
                        send(ctx, text(HttpResponseStatus.OK, req.method().name()), false);
                    }
                }
                case "/method" -> send(ctx, text(HttpResponseStatus.OK, req.method().name() + " "
                        + req.content().toString(StandardCharsets.UTF_8)), false);
                default -> send(ctx, text(HttpResponseStatus.NOT_FOUND, "no"), false);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.channel().attr(SERVED).set(Boolean.TRUE);
            ctx.fireChannelReadComplete();
        }

        private FullHttpResponse text(HttpResponseStatus status, String body) {
            return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        }

        private void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean close) {
            HttpUtil.setContentLength(r, r.content().readableBytes());
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
            if (close) {
                r.headers().set(HttpHeaderNames.CONNECTION, "close");
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(r);
            }
        }
    }
}
