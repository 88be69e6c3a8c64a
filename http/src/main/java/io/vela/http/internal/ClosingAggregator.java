package io.vela.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's aggregator, except that it writes nothing itself: every answer it would send goes down the pipeline, so
 * that {@link HttpDispatcher} writes it after the answers to the requests before it (pipelining order).
 * <ul>
 *   <li>a body over the limit: a {@link Rejection} 413, then the close, without reading the rest;</li>
 *   <li>{@code Expect: 100-continue} within the limit: {@link ContinueDue} (the dispatcher sends the {@code 100});
 *       past the limit: 413 as above; an expectation other than {@code 100-continue}: a {@link Rejection} 417.</li>
 * </ul>
 * One per connection; event loop only.
 */
final class ClosingAggregator extends HttpObjectAggregator {
    private ChannelHandlerContext ctx;

    ClosingAggregator(int maxContentLength) {
        super(maxContentLength, true);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
        if (answer instanceof HttpResponse r) {
            HttpResponseStatus status = r.status();
            ReferenceCountUtil.release(answer);
            if (status.code() == HttpResponseStatus.CONTINUE.code()) {
                ctx.fireChannelRead(ContinueDue.INSTANCE);
            } else if (status.code() == HttpResponseStatus.EXPECTATION_FAILED.code()) {
                refuse(HttpResponseStatus.EXPECTATION_FAILED);
            }
            // 413 (declared length past the limit): the aggregator goes on to handleOversizedMessage below
        }
        return null;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
    }

    /** Answered by the dispatcher after the requests before it on the connection, then closed; nothing more read. */
    private void refuse(HttpResponseStatus status) {
        ctx.channel().config().setAutoRead(false);
        ctx.fireChannelRead(new Rejection(status.code(), status.reasonPhrase()));
    }
}
