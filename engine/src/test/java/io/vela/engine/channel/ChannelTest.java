package io.vela.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.OfferResult;
import io.vela.engine.RingClosedException;
import io.vela.engine.VelaConfigException;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every method of {@link Channel}, on one thread, for every arity. */
@Timeout(10)
class ChannelTest {

    private static Channel<Integer> channel(ChannelArity arity, int capacity) {
        return Channel.<Integer>builder("test-" + arity.configName()).arity(arity).capacity(capacity)
                .waitStrategy(WaitStrategy.SLEEPING).build();
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void trySendUntilFullThenPollInOrder(ChannelArity arity) {
        Channel<Integer> ch = channel(arity, 4);
        for (int i = 0; i < 4; i++) {
            assertThat(ch.trySend(i)).isEqualTo(OfferResult.ACCEPTED);
        }
        assertThat(ch.trySend(99)).isEqualTo(OfferResult.FULL);
        assertThat(ch.stats().depth()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(ch.poll()).contains(i);
        }
        assertThat(ch.poll()).isEmpty();
        assertThat(ch.pollOrElse(-1)).isEqualTo(-1);
        assertThat(ch.stats().sent()).isEqualTo(4);
        assertThat(ch.stats().received()).isEqualTo(4);
        assertThat(ch.stats().refused()).isEqualTo(1);
        assertThat(ch.stats().depth()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void sendAndReceiveWithoutWaiting(ChannelArity arity) {
        Channel<Integer> ch = channel(arity, 8);
        ch.send(1);
        assertThat(ch.send(2, Duration.ofMillis(10))).isTrue();
        assertThat(ch.receive()).isEqualTo(1);
        assertThat(ch.receive(Duration.ofMillis(10))).contains(2);
        assertThat(ch.receive(Duration.ofMillis(20))).isEmpty();
        assertThat(ch.receive(Duration.ZERO)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void sendWithTimeoutOnFullChannelReturnsFalseAndCountsOneRefusal(ChannelArity arity) {
        Channel<Integer> ch = channel(arity, 2);
        ch.send(1);
        ch.send(2);
        long t0 = System.nanoTime();
        assertThat(ch.send(3, Duration.ofMillis(50))).isFalse();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        assertThat(ch.stats().refused()).isEqualTo(1);
        assertThat(ch.stats().sent()).isEqualTo(2);
        assertThat(ch.pollOrElse(-1)).isEqualTo(1);
        assertThat(ch.pollOrElse(-1)).isEqualTo(2);
        assertThat(ch.pollOrElse(-1)).isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void drainTakesUpToLimit(ChannelArity arity) {
        Channel<Integer> ch = channel(arity, 16);
        for (int i = 0; i < 10; i++) {
            ch.send(i);
        }
        List<Object> got = new ArrayList<>();
        assertThat(ch.drain(got::add, 4)).isEqualTo(4);
        assertThat(ch.drain(got::add, 100)).isEqualTo(6);
        assertThat(ch.drain(got::add, 100)).isZero();
        assertThat(ch.drain(got::add, 0)).isZero();
        assertThat(got).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(ch.stats().received()).isEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void closeRefusesSendsAndReceiversDrainThenSeeClosed(ChannelArity arity) {
        Channel<Integer> ch = channel(arity, 8);
        ch.send(1);
        ch.send(2);
        ch.close();
        ch.close(); // idempotent
        assertThat(ch.isClosed()).isTrue();
        assertThat(ch.isDrained()).isFalse();
        assertThat(ch.trySend(3)).isEqualTo(OfferResult.CLOSED);
        assertThatThrownBy(() -> ch.send(4)).isInstanceOf(ChannelClosedException.class)
                .isInstanceOf(RingClosedException.class).hasMessageContaining(ch.name())
                .satisfies(e -> assertThat(((RingClosedException) e).result()).isEqualTo(OfferResult.CLOSED));
        assertThatThrownBy(() -> ch.send(5, Duration.ofMillis(5))).isInstanceOf(ChannelClosedException.class);
        assertThat(ch.receive()).isEqualTo(1);
        assertThat(ch.receive(Duration.ofSeconds(1))).contains(2);
        assertThat(ch.isDrained()).isTrue();
        assertThatThrownBy(ch::receive).isInstanceOf(ChannelClosedException.class);
        assertThatThrownBy(() -> ch.receive(Duration.ofSeconds(1))).isInstanceOf(ChannelClosedException.class);
        assertThat(ch.poll()).isEmpty();
        assertThat(ch.stats().refused()).isEqualTo(3);
        assertThat(ch.stats().sent()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void drainWhoseHandlerThrowsKeepsWhatItWasGivenTakenAndTheRestQueued(ChannelArity arity) {
        Channel<Integer> ch = channel(arity, 8);
        for (int i = 0; i < 4; i++) {
            ch.send(i);
        }
        List<Integer> got = new ArrayList<>();
        assertThatThrownBy(() -> ch.drain(v -> {
            got.add(v);
            if (v == 1) {
                throw new IllegalStateException("handler failed");
            }
        }, 10)).hasMessage("handler failed");
        assertThat(got).containsExactly(0, 1);
        assertThat(ch.pollOrElse(-1)).isEqualTo(2);
        assertThat(ch.pollOrElse(-1)).isEqualTo(3);
        assertThat(ch.stats().received()).isEqualTo(4);
    }

    @Test
    void nullsAreRefused() {
        Channel<Integer> ch = channel(ChannelArity.MANY_TO_MANY, 2);
        assertThatThrownBy(() -> ch.trySend(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ch.send(null)).isInstanceOf(NullPointerException.class);
        assertThat(ch.stats().sent()).isZero();
    }

    @Test
    void capacityRoundsUpToPowerOfTwoAtLeastTwo() {
        assertThat(channel(ChannelArity.ONE_TO_ONE, 1).capacity()).isEqualTo(2);
        assertThat(channel(ChannelArity.MANY_TO_ONE, 5).capacity()).isEqualTo(8);
        assertThat(channel(ChannelArity.MANY_TO_MANY, 16).capacity()).isEqualTo(16);
        Channel<Integer> ch = channel(ChannelArity.ONE_TO_ONE, 3);
        assertThat(ch.stats().capacity()).isEqualTo(4);
        assertThat(ch.stats().name()).isEqualTo(ch.name());
        assertThat(ch.arity()).isEqualTo(ChannelArity.ONE_TO_ONE);
    }

    @Test
    void badConfigurationNamesKeyValueAndValidValues() {
        assertThatThrownBy(() -> Channel.builder("c").capacity(0)).isInstanceOf(VelaConfigException.class)
                .hasMessageContaining("capacity = 0").hasMessageContaining("valid");
        assertThatThrownBy(() -> Channel.builder(" ")).isInstanceOf(VelaConfigException.class)
                .hasMessageContaining("channel name");
        assertThatThrownBy(() -> ChannelArity.fromConfigName("one-to-many")).isInstanceOf(VelaConfigException.class)
                .hasMessageContaining("one-to-many").hasMessageContaining("many-to-one");
        assertThat(ChannelArity.fromConfigName("Many_To-One")).isEqualTo(ChannelArity.MANY_TO_ONE);
    }

    @Test
    void pollAllocatesOptionalOnlyWhenSomethingIsThere() {
        Channel<Integer> ch = channel(ChannelArity.ONE_TO_ONE, 2);
        assertThat(ch.poll()).isSameAs(Optional.empty());
    }
}
