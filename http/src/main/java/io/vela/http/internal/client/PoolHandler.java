package io.vela.http.internal.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import javax.net.ssl.SSLParameters;

/** Sets up each new pooled connection of one pool: TLS for {@code https}, HTTP codec, aggregation up to the size limit, idle timer, response handler. */
final class PoolHandler extends AbstractChannelPoolHandler {
    private final ClientEngine engine;
    private final ClientSettings settings;
    private final Set<Channel> open;
    private final SslContext tls;
    private final PoolKey key;

    PoolHandler(ClientEngine engine, ClientSettings settings, Set<Channel> open, SslContext tls, PoolKey key) {
        this.engine = engine;
        this.settings = settings;
        this.open = open;
        this.tls = tls;
        this.key = key;
    }

    @Override
    public void channelCreated(Channel ch) {
        open.add(ch);
        ch.closeFuture().addListener(f -> open.remove(ch));
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            SslHandler ssl = tls.newHandler(ch.alloc(), key.host(), key.port());
            SSLParameters params = ssl.engine().getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
            ssl.engine().setSSLParameters(params);
            p.addLast("tls", ssl);
        }
        p.addLast("codec", new HttpClientCodec());
        p.addLast("aggregator", new HttpObjectAggregator(settings.maxResponseBytes()));
        p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutMs(), TimeUnit.MILLISECONDS));
        p.addLast("response", new ResponseHandler(engine));
    }
}
