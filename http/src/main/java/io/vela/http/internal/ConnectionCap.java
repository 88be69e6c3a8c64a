package io.vela.http.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;

/** Refuses a connection beyond {@code http.max-connections} (or during shutdown): a raw 503 and a close. */
final class ConnectionCap {
    private static final byte[] BUSY = ("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nretry-after: 1\r\n"
            + "connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private ConnectionCap() {
    }

    static void refuse(Channel ch, boolean plainText) {
        if (plainText) {
            ch.writeAndFlush(Unpooled.wrappedBuffer(BUSY)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close(); // no TLS handshake for a refused connection
        }
    }
}
