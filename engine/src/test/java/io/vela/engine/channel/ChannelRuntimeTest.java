package io.vela.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.OfferResult;
import io.vela.engine.RuntimeStats;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaException;
import io.vela.engine.VelaRuntime;
import io.vela.engine.WaitStrategy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Channels built from {@code VelaRuntime.channels()}: counted in {@code stats()}, closed by the shutdown. */
@Timeout(30)
class ChannelRuntimeTest {

    private static VelaRuntime runtime() {
        return VelaRuntime.start(VelaConfig.builder().set(Settings.EXECUTOR_WORKERS, 1).build());
    }

    @Test
    void registeredChannelsAppearInRuntimeStatsWithLiveCounters() {
        try (VelaRuntime rt = runtime()) {
            Channel<String> orders = rt.channels().<String>builder("orders").capacity(4)
                    .arity(ChannelArity.MANY_TO_ONE).build();
            RuntimeStats stats = rt.stats();
            assertThat(stats.channels()).hasSize(1);
            ChannelStats c = stats.channels().get(0);
            orders.send("a");
            orders.send("b");
            orders.receive();
            for (int i = 0; i < 4; i++) {
                orders.trySend("x");
            }
            assertThat(c.name()).isEqualTo("orders");
            assertThat(c.capacity()).isEqualTo(4);
            assertThat(c.sent()).isEqualTo(5);
            assertThat(c.received()).isEqualTo(1);
            assertThat(c.refused()).isEqualTo(1);
            assertThat(c.depth()).isEqualTo(4);
            assertThat(stats.describe()).contains("channel").containsPattern("orders +4 +5 +1 +1 +4");
            assertThat(rt.channels().find("orders")).containsSame(orders);
            assertThat(rt.channels().find("nope")).isEmpty();
        }
    }

    @Test
    void namesAreUniqueUntilDrained() {
        try (VelaRuntime rt = runtime()) {
            Channel<Integer> first = rt.channels().<Integer>builder("jobs").build();
            assertThatThrownBy(() -> rt.channels().builder("jobs").build()).isInstanceOf(VelaException.class)
                    .hasMessageContaining("jobs");
            first.close();
            Channel<Integer> second = rt.channels().<Integer>builder("jobs").build();
            assertThat(rt.stats().channels()).hasSize(1);
            assertThat(rt.channels().find("jobs")).containsSame(second);
        }
    }

    @Test
    void shutdownClosesChannelsWakesWaitersAndReceiversStillDrain() throws Exception {
        VelaRuntime rt = runtime();
        Channel<Integer> ch = rt.channels().<Integer>builder("work").waitStrategy(WaitStrategy.BLOCKING)
                .capacity(2).build();
        Channel<Integer> idle = rt.channels().<Integer>builder("idle").waitStrategy(WaitStrategy.BLOCKING).build();
        ch.send(1);
        ch.send(2);
        CompletableFuture<Throwable> sender = new CompletableFuture<>();
        CompletableFuture<Throwable> receiver = new CompletableFuture<>();
        Thread s = new Thread(() -> {
            try {
                ch.send(3);
                sender.complete(null);
            } catch (Throwable e) {
                sender.complete(e);
            }
        });
        Thread r = new Thread(() -> {
            try {
                idle.receive();
                receiver.complete(null);
            } catch (Throwable e) {
                receiver.complete(e);
            }
        });
        s.start();
        r.start();
        Thread.sleep(20);
        rt.close();
        assertThat(sender.get(5, TimeUnit.SECONDS)).isInstanceOf(ChannelClosedException.class);
        assertThat(receiver.get(5, TimeUnit.SECONDS)).isInstanceOf(ChannelClosedException.class);
        assertThat(ch.trySend(4)).isEqualTo(OfferResult.CLOSED);
        assertThat(ch.receive()).isEqualTo(1);
        assertThat(ch.receive()).isEqualTo(2);
        assertThat(ch.isDrained()).isTrue();
        assertThatThrownBy(() -> rt.channels().builder("late").build()).isInstanceOf(VelaException.class)
                .hasMessageContaining("closed");
    }
}
