package io.vela.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OfferResult;
import io.vela.engine.RingRejectedException;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Races senders, receivers and {@link Channel#close()} in short rounds for a bounded time per arity, and accounts
 * for every element: each accepted element is received exactly once, each refused one never, and the counters
 * agree. Senders mix trySend, send, send with a timeout and a select send case; receivers mix receive, receive with
 * a timeout, poll, drain and a select receive case; wait strategies rotate between parking and spinning kinds.
 */
@Timeout(60)
class ChannelStressTest {
    private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(2_500);
    private static final int PER_SENDER = 1 << 20;
    private static final WaitStrategy[] STRATEGIES = {WaitStrategy.BLOCKING, WaitStrategy.SLEEPING,
        WaitStrategy.YIELDING, WaitStrategy.TIMEOUT_BLOCKING};

    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void everyElementReceivedOnceOrRefusedAtSend(ChannelArity arity) throws Exception {
        raceFor(arity, RUN_NANOS);
    }

    /** The same race for 8 s per arity: CI's second pass only. */
    @Tag("slow")
    @Timeout(120)
    @ParameterizedTest
    @EnumSource(ChannelArity.class)
    void everyElementReceivedOnceOrRefusedAtSendLonger(ChannelArity arity) throws Exception {
        raceFor(arity, TimeUnit.SECONDS.toNanos(8));
    }

    private static void raceFor(ChannelArity arity, long runNanos) throws Exception {
        int senders = arity.manySenders() ? 2 : 1;
        int receivers = arity.manyReceivers() ? 2 : 1;
        long end = System.nanoTime() + runNanos;
        int rounds = 0;
        long total = 0;
        while (System.nanoTime() < end || rounds < 20) {
            WaitStrategy wait = STRATEGIES[rounds % STRATEGIES.length];
            total += round(arity, wait, senders, receivers, rounds);
            rounds++;
        }
        assertThat(total).as("elements moved in " + rounds + " rounds").isPositive();
    }

    /** @return elements received */
    private static long round(ChannelArity arity, WaitStrategy wait, int senders, int receivers, int round)
            throws Exception {
        Channel<Integer> ch = Channel.<Integer>builder("stress-" + round).arity(arity).capacity(16)
                .waitStrategy(wait).build();
        List<CompletableFuture<BitSet[]>> sent = new ArrayList<>(); // [accepted, refused, not counted] per sender
        List<CompletableFuture<BitSet>> got = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            CompletableFuture<BitSet[]> f = new CompletableFuture<>();
            sent.add(f);
            int base = s * PER_SENDER;
            threads.add(start(() -> f.complete(sendUntilClosed(ch, base))));
        }
        for (int r = 0; r < receivers; r++) {
            CompletableFuture<BitSet> f = new CompletableFuture<>();
            got.add(f);
            threads.add(start(() -> f.complete(receiveUntilDrained(ch))));
        }
        Thread.sleep(ThreadLocalRandom.current().nextInt(4));
        ch.close();
        BitSet accepted = new BitSet();
        BitSet refused = new BitSet();
        BitSet uncounted = new BitSet();
        for (CompletableFuture<BitSet[]> f : sent) {
            BitSet[] r = f.get(20, TimeUnit.SECONDS);
            accepted.or(r[0]);
            refused.or(r[1]);
            uncounted.or(r[2]);
        }
        BitSet received = new BitSet();
        long count = 0;
        for (CompletableFuture<BitSet> f : got) {
            BitSet r = f.get(20, TimeUnit.SECONDS);
            assertThat(r.intersects(received)).as("an element was received twice").isFalse();
            received.or(r);
            count += r.cardinality();
        }
        String what = arity + " " + wait.configName() + " round " + round;
        BitSet lost = (BitSet) accepted.clone();
        lost.andNot(received);
        BitSet unaccepted = (BitSet) received.clone();
        unaccepted.andNot(accepted);
        assertThat(lost.cardinality()).as(what + ": accepted but never received, e.g. " + lost.nextSetBit(0)).isZero();
        assertThat(unaccepted.cardinality()).as(what + ": received but not accepted").isZero();
        assertThat(refused.intersects(received)).as(what + ": refused but received").isFalse();
        assertThat(ch.isDrained()).isTrue();
        assertThat(ch.stats().sent()).as(what + " sent counter").isEqualTo(accepted.cardinality());
        assertThat(ch.stats().received()).as(what + " received counter").isEqualTo(count);
        assertThat(ch.stats().refused()).as(what + " refused counter")
                .isEqualTo(refused.cardinality() - uncounted.cardinality());
        assertThat(ch.stats().depth()).isZero();
        for (Thread t : threads) {
            t.join(5_000);
        }
        return count;
    }

    private static BitSet[] sendUntilClosed(Channel<Integer> ch, int base) {
        BitSet accepted = new BitSet();
        BitSet refused = new BitSet();
        BitSet uncounted = new BitSet();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int[] next = {base};
        boolean[] sent = {false};
        Select select = Channels.select().onSendFrom(ch, () -> next[0], () -> sent[0] = true);
        for (int i = base; i < base + PER_SENDER; i++) {
            switch (rnd.nextInt(4)) {
                case 3 -> {
                    next[0] = i;
                    sent[0] = false;
                    Selected s = select.await(Duration.ofMillis(1));
                    (sent[0] ? accepted : refused).set(i);
                    if (s.timedOut()) {
                        uncounted.set(i); // a select that timed out was not refused by the channel
                    }
                    if (s.closed()) {
                        return new BitSet[] {accepted, refused, uncounted};
                    }
                }
                case 0 -> {
                    OfferResult r = ch.trySend(i);
                    (r == OfferResult.ACCEPTED ? accepted : refused).set(i);
                    if (r == OfferResult.CLOSED) {
                        return new BitSet[] {accepted, refused, uncounted};
                    }
                }
                case 1 -> {
                    try {
                        ch.send(i);
                        accepted.set(i);
                    } catch (RingRejectedException closed) {
                        refused.set(i);
                        return new BitSet[] {accepted, refused, uncounted};
                    }
                }
                default -> {
                    try {
                        (ch.send(i, Duration.ofMillis(1)) ? accepted : refused).set(i);
                    } catch (RingRejectedException closed) {
                        refused.set(i);
                        return new BitSet[] {accepted, refused, uncounted};
                    }
                }
            }
        }
        return new BitSet[] {accepted, refused, uncounted};
    }

    private static BitSet receiveUntilDrained(Channel<Integer> ch) {
        BitSet got = new BitSet();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Select select = Channels.select().onReceive(ch, got::set);
        try {
            while (true) {
                switch (rnd.nextInt(5)) {
                    case 4 -> {
                        if (select.await(Duration.ofMillis(1)).closed()) {
                            return got;
                        }
                    }
                    case 0 -> got.set(ch.receive());
                    case 1 -> ch.receive(Duration.ofMillis(1)).ifPresent(got::set);
                    case 2 -> {
                        Integer e = ch.pollOrElse(null);
                        if (e != null) {
                            got.set(e);
                        } else if (ch.isDrained()) {
                            return got;
                        }
                    }
                    default -> {
                        if (ch.drain(got::set, 5) == 0 && ch.isDrained()) {
                            return got;
                        }
                    }
                }
            }
        } catch (ChannelClosedException drained) {
            return got;
        }
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(r, "stress");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
