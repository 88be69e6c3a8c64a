package io.vela.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Answer header names are validated once by Netty's validator, then reused; values are still validated. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HeaderNamesTest {

    @Test
    void aValidNameIsKeptAndReused() {
        CharSequence first = HeaderNames.checked("x-request-id");
        assertThat(first.toString()).isEqualTo("x-request-id");
        assertThat(HeaderNames.checked(new String("x-request-id"))).isSameAs(first);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x\r\nInjected", "bad name", "", "x:y", "caf\u00e9"})
    void anInvalidNameIsRefusedEveryTime(String name) {
        assertThatThrownBy(() -> HeaderNames.checked(name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeaderNames.checked(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valuesAreStillValidatedOnAnswers() {
        var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                io.netty.buffer.Unpooled.EMPTY_BUFFER, HeaderNames.FACTORY, HeaderNames.FACTORY);
        assertThatThrownBy(() -> res.headers().add(HeaderNames.checked("x-split"), "a\r\nInjected: yes"))
                .isInstanceOf(IllegalArgumentException.class);
        res.release();
    }
}
