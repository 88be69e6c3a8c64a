package io.vela.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vela.http.internal.Rejection;
import io.vela.http.internal.RequestGuard;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The guard alone, on an EmbeddedChannel: what passes, what is refused, and that nothing is read after. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RequestGuardTest {

    private static HttpRequest request(HttpVersion v, String... headers) {
        HttpRequest r = new DefaultHttpRequest(v, HttpMethod.GET, "/");
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    @Test
    void aValidRequestPassesThrough() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestGuard());
        HttpRequest ok = request(HttpVersion.HTTP_1_1, "host", "x");
        assertThat(ch.writeInbound(ok)).isTrue();
        assertThat((Object) ch.readInbound()).isSameAs(ok);
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.writeInbound(request(HttpVersion.HTTP_1_0))).isTrue(); // no Host needed on 1.0
        ch.finishAndReleaseAll();
    }

    @Test
    void refusalsGoOnToBeAnsweredInOrderAndDropWhatFollows() {
        assertRefused(request(HttpVersion.HTTP_1_1), 400);
        assertRefused(request(HttpVersion.HTTP_1_1, "host", "a", "host", "b"), 400);
        assertRefused(request(HttpVersion.HTTP_1_1, "host", "x", "content-length", "3", "transfer-encoding",
                "chunked"), 400);
        assertRefused(request(HttpVersion.HTTP_1_1, "host", "x", "transfer-encoding", "gzip"), 501);
        assertRefused(request(new HttpVersion("HTTP", 2, 0, true), "host", "x"), 505);
    }

    private static void assertRefused(HttpRequest bad, int status) {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestGuard());
        DefaultFullHttpRequest after = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/",
                Unpooled.copiedBuffer(new byte[] {1}));
        after.headers().set("host", "x");
        // the refusal goes on down the pipeline, so that the dispatcher answers it after the requests before it
        // and then closes; the valid request behind it is dropped, and nothing more is read
        assertThat(ch.writeInbound(bad, after)).isTrue();
        assertThat(after.refCnt()).isZero();
        Rejection r = ch.readInbound();
        assertThat(r.status()).isEqualTo(status);
        assertThat((Object) ch.readInbound()).isNull();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.config().isAutoRead()).isFalse();
        ch.finishAndReleaseAll();
    }
}
