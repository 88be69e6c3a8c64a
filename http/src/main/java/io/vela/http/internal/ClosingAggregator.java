package io.vela.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Netty's aggregator (which also answers {@code Expect: 100-continue}), except that a body over the limit is
 * answered 413 and the connection closed, instead of reading and discarding the rest. One per connection; event
 * loop only.
 */
final class ClosingAggregator extends HttpObjectAggregator {
    ClosingAggregator(int maxContentLength) {
        super(maxContentLength, true);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ctx.channel().config().setAutoRead(false);
        // answered by the dispatcher after the requests before it on the connection, then closed
        ctx.fireChannelRead(new Rejection(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code(),
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.reasonPhrase()));
    }
}
