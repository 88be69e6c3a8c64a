package io.vela.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.stream.ChunkedInput;
import java.util.Iterator;

/** Feeds a response's chunk iterator to Netty's {@code ChunkedWriteHandler}, one chunk per pull; event loop only. */
final class IteratorChunkedInput implements ChunkedInput<ByteBuf> {
    private final Iterator<byte[]> chunks;
    private long progress;
    private boolean ended;

    IteratorChunkedInput(Iterator<byte[]> chunks) {
        this.chunks = chunks;
    }

    @Override
    public boolean isEndOfInput() {
        if (!ended && !chunks.hasNext()) {
            ended = true;
        }
        return ended;
    }

    @Override
    public void close() {
        ended = true;
    }

    @Override
    @Deprecated
    public ByteBuf readChunk(io.netty.channel.ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        while (chunks.hasNext()) {
            byte[] b = chunks.next();
            if (b != null && b.length > 0) {
                progress += b.length;
                return Unpooled.wrappedBuffer(b);
            }
        }
        ended = true;
        return Unpooled.EMPTY_BUFFER; // never null: HttpChunkedInput would wait for a resume that never comes
    }

    @Override
    public long length() {
        return -1;
    }

    @Override
    public long progress() {
        return progress;
    }
}
