package io.vela.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Select}: which case fires, fairness, waking, timeouts, interrupts and closed channels. */
@Timeout(30)
class SelectTest {

    private static Channel<Integer> channel(String name, WaitStrategy wait) {
        return Channel.<Integer>builder(name).arity(ChannelArity.MANY_TO_MANY).capacity(8).waitStrategy(wait)
                .safetyParkNanos(TimeUnit.HOURS.toNanos(1)).build();
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(r, "select-test");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void firesTheReadyReceiveCaseWithItsElement() {
        Channel<Integer> a = channel("a", WaitStrategy.BLOCKING);
        Channel<Integer> b = channel("b", WaitStrategy.BLOCKING);
        List<String> got = new ArrayList<>();
        Select select = Channels.select().onReceive(a, v -> got.add("a" + v)).onReceive(b, v -> got.add("b" + v));
        b.send(7);
        Selected s = select.await();
        assertThat(s.index()).isEqualTo(1);
        assertThat(s.channel()).containsSame(b);
        assertThat(s.closed()).isFalse();
        assertThat(got).containsExactly("b7");
        assertThat(b.stats().received()).isEqualTo(1);
    }

    @Test
    void sendCaseFiresWhenThereIsRoomAndRunsItsAction() {
        Channel<Integer> full = channel("full", WaitStrategy.BLOCKING);
        for (int i = 0; i < full.capacity(); i++) {
            full.send(i);
        }
        Channel<Integer> out = channel("out", WaitStrategy.BLOCKING);
        AtomicInteger done = new AtomicInteger();
        Select select = Channels.select().onSend(full, 100, done::incrementAndGet)
                .onSend(out, 42, () -> done.addAndGet(10));
        Selected s = select.await();
        assertThat(s.index()).isEqualTo(1);
        assertThat(done.get()).isEqualTo(10);
        assertThat(out.pollOrElse(-1)).isEqualTo(42);
        assertThat(full.stats().refused()).as("a full send case is not a refusal").isZero();
    }

    @Test
    void rotatingStartSoABusyChannelCannotStarveAnother() {
        Channel<Integer> busy = channel("busy", WaitStrategy.BLOCKING);
        Channel<Integer> quiet = channel("quiet", WaitStrategy.BLOCKING);
        Channel<Integer> other = channel("other", WaitStrategy.BLOCKING);
        int[] fired = new int[3];
        Select select = Channels.select().onReceive(busy, v -> fired[0]++).onReceive(quiet, v -> fired[1]++)
                .onReceive(other, v -> fired[2]++);
        quiet.send(1);
        other.send(1);
        for (int i = 0; i < 3; i++) {
            busy.trySend(i); // busy always has elements
            select.await();
        }
        assertThat(fired).as("three awaits with all ready fire each case once").containsExactly(1, 1, 1);
        for (int i = 0; i < 600; i++) {
            quiet.trySend(i);
            busy.trySend(i);
            busy.trySend(i);
            select.await();
        }
        // a case that is always ready fires on at least every n-th await of n cases, however busy the others are
        assertThat(fired[1]).as("quiet channel's share of 600 awaits over 3 cases").isGreaterThanOrEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "SLEEPING", "YIELDING"})
    void parkedSelectIsWokenBySendOnAnyOfItsChannels(WaitStrategy wait) throws Exception {
        Channel<Integer> a = channel("a", wait);
        Channel<Integer> b = channel("b", wait);
        Channel<Integer> c = channel("c", wait);
        for (Channel<Integer> target : List.of(c, a, b)) {
            CompletableFuture<Selected> result = new CompletableFuture<>();
            Select select = Channels.select().onReceive(a, v -> { }).onReceive(b, v -> { }).onReceive(c, v -> { });
            Thread t = start(() -> result.complete(select.await(Duration.ofSeconds(10))));
            Thread.sleep(20);
            assertThat(result).isNotDone();
            target.send(1);
            Selected s = result.get(5, TimeUnit.SECONDS);
            assertThat(s.channel()).containsSame(target);
            t.join(1_000);
        }
    }

    @Test
    void parkedSelectIsWokenWhenASendCaseGetsRoom() throws Exception {
        Channel<Integer> full = channel("full", WaitStrategy.BLOCKING);
        while (full.trySend(0).accepted()) {
            Thread.onSpinWait();
        }
        Channel<Integer> empty = channel("empty", WaitStrategy.BLOCKING);
        Select select = Channels.select().onSend(full, 9, () -> { }).onReceive(empty, v -> { });
        CompletableFuture<Selected> result = new CompletableFuture<>();
        start(() -> result.complete(select.await(Duration.ofSeconds(10))));
        Thread.sleep(20);
        assertThat(result).isNotDone();
        full.receive();
        assertThat(result.get(5, TimeUnit.SECONDS).index()).isEqualTo(0);
    }

    @Test
    void selectAcrossCloseReportsTheClosedCaseAfterItsElements() throws Exception {
        Channel<Integer> open = channel("open", WaitStrategy.BLOCKING);
        Channel<Integer> closing = channel("closing", WaitStrategy.BLOCKING);
        List<Integer> got = new ArrayList<>();
        Select select = Channels.select().onReceive(open, got::add).onReceive(closing, got::add);
        CompletableFuture<Selected> result = new CompletableFuture<>();
        start(() -> result.complete(select.await()));
        Thread.sleep(20);
        closing.close();
        Selected s = result.get(5, TimeUnit.SECONDS);
        assertThat(s.index()).isEqualTo(1);
        assertThat(s.closed()).isTrue();
        assertThat(got).isEmpty();

        Channel<Integer> c2 = channel("c2", WaitStrategy.BLOCKING);
        c2.send(5);
        c2.close();
        Select two = Channels.select().onReceive(c2, got::add);
        assertThat(two.await().closed()).as("accepted elements come first").isFalse();
        assertThat(got).containsExactly(5);
        assertThat(two.await().closed()).isTrue();
        Selected sendClosed = Channels.select().onSend(c2, 1, () -> got.add(-1)).await();
        assertThat(sendClosed.closed()).isTrue();
        assertThat(got).containsExactly(5);
        assertThat(c2.stats().refused()).isEqualTo(1);
    }

    @Test
    void timeoutPollAndNoCases() {
        Channel<Integer> a = channel("a", WaitStrategy.BLOCKING);
        Select select = Channels.select().onReceive(a, v -> { });
        assertThat(select.poll()).isSameAs(Selected.TIMED_OUT);
        long t0 = System.nanoTime();
        Selected s = select.await(Duration.ofMillis(30));
        assertThat(s.timedOut()).isTrue();
        assertThat(s.channel()).isEmpty();
        assertThat(System.nanoTime() - t0).isBetween(TimeUnit.MILLISECONDS.toNanos(30), TimeUnit.SECONDS.toNanos(2));
        assertThatThrownBy(() -> Channels.select().await()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void interruptEndsTheWaitKeepsTheFlagAndFiresNothing() throws Exception {
        Channel<Integer> a = channel("a", WaitStrategy.BLOCKING);
        AtomicInteger fired = new AtomicInteger();
        Select select = Channels.select().onReceive(a, v -> fired.incrementAndGet());
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = start(() -> {
            try {
                select.await();
                result.complete(null);
            } catch (Throwable e) {
                result.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("flag lost", e));
            }
        });
        Thread.sleep(20);
        t.interrupt();
        assertThat(result.get(5, TimeUnit.SECONDS)).isInstanceOf(ChannelInterruptedException.class);
        a.send(1);
        assertThat(fired.get()).isZero();
        assertThat(a.pollOrElse(-1)).isEqualTo(1);
    }

    @Test
    void selectPingPongNeverLosesAWakeUp() throws Exception {
        Channel<Integer> ping = channel("ping", WaitStrategy.BLOCKING);
        Channel<Integer> idle = channel("idle", WaitStrategy.BLOCKING);
        Channel<Integer> pong = channel("pong", WaitStrategy.BLOCKING);
        int[] last = {-1};
        Select select = Channels.select().onReceive(idle, v -> { }).onReceive(ping, v -> last[0] = v);
        CompletableFuture<Integer> echo = new CompletableFuture<>();
        start(() -> {
            int n = 0;
            while (true) {
                Selected s = select.await(Duration.ofSeconds(5));
                if (s.timedOut()) {
                    echo.completeExceptionally(new AssertionError("select wake-up lost after " + n));
                    return;
                }
                if (s.closed()) {
                    echo.complete(n);
                    return;
                }
                pong.send(last[0]);
                n++;
            }
        });
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_000);
        int trips = 0;
        while (System.nanoTime() < end) {
            ping.send(trips);
            assertThat(pong.receive(Duration.ofSeconds(5))).as("trip " + trips).contains(trips);
            trips++;
        }
        ping.close();
        assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo(trips);
    }

    @Test
    @SuppressWarnings("unchecked")
    void foreignChannelIsRefused() {
        Channel<Integer> foreign = (Channel<Integer>) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Channel.class}, (p, m, a) -> "foreign");
        assertThatThrownBy(() -> Channels.select().onReceive(foreign, v -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("foreign");
    }
}
