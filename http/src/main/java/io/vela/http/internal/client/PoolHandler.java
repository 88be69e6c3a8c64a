package io.vela.http.internal.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Sets up each new pooled connection: HTTP codec, aggregation up to the size limit, idle timer, response handler. */
final class PoolHandler extends AbstractChannelPoolHandler {
    private final ClientEngine engine;
    private final ClientSettings settings;
    private final AtomicInteger open;

    PoolHandler(ClientEngine engine, ClientSettings settings, AtomicInteger open) {
        this.engine = engine;
        this.settings = settings;
        this.open = open;
    }

    @Override
    public void channelCreated(Channel ch) {
        open.incrementAndGet();
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        ChannelPipeline p = ch.pipeline();
        p.addLast("codec", new HttpClientCodec());
        p.addLast("aggregator", new HttpObjectAggregator(settings.maxResponseBytes()));
        p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutMs(), TimeUnit.MILLISECONDS));
        p.addLast("response", new ResponseHandler(engine));
    }
}
