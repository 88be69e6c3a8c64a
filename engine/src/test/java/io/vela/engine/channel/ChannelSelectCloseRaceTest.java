package io.vela.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OfferResult;
import io.vela.engine.WaitStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One parked select over a channel of each arity, senders on all three, and each channel closed at a random moment
 * while the select waits: every accepted element is received exactly once, nothing refused arrives, and the select
 * sees each channel closed once it is drained. In every other round the senders stop first and the channels are
 * closed while the select is parked, so only close can wake it. Waiters have an hour-long safety net, so a lost
 * wake-up fails the round's bounded await instead of being hidden. Bounded to about two seconds.
 */
@Timeout(30)
class ChannelSelectCloseRaceTest {
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Senders per channel: one for the one-to-one channel, two for the others. */
    private static final int[] SENDERS = {1, 2, 2};

    @Test
    void closeRacingAParkedSelectOverEveryArityLosesAndDuplicatesNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6, r -> {
            Thread t = new Thread(r, "select-close-race");
            t.setDaemon(true);
            return t;
        });
        try {
            long end = System.nanoTime() + RUN_NANOS;
            int rounds = 0;
            while (System.nanoTime() < end || rounds < 20) {
                round(pool, rounds++);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void round(ExecutorService pool, int round) throws Exception {
        ChannelArity[] arities = ChannelArity.values();
        List<Channel<Long>> channels = new ArrayList<>();
        for (ChannelArity a : arities) {
            WaitStrategy wait = round % 4 < 2 ? WaitStrategy.BLOCKING : WaitStrategy.SLEEPING;
            channels.add(Channel.<Long>builder("race-" + a.configName()).arity(a).capacity(4).waitStrategy(wait)
                    .safetyParkNanos(TimeUnit.HOURS.toNanos(1)).build());
        }
        boolean quiesce = round % 2 == 1;
        Set<Long> accepted = ConcurrentHashMap.newKeySet();
        Set<Long> refused = ConcurrentHashMap.newKeySet();
        List<Future<?>> senders = new ArrayList<>();
        for (int c = 0; c < channels.size(); c++) {
            for (int s = 0; s < SENDERS[c]; s++) {
                Channel<Long> ch = channels.get(c);
                long base = ((long) c << 40) | ((long) s << 32);
                long limit = quiesce ? ThreadLocalRandom.current().nextLong(40) : Long.MAX_VALUE;
                senders.add(pool.submit(() -> send(ch, base, limit, accepted, refused)));
            }
        }
        Set<Long> received = new HashSet<>();
        boolean[] closedSeen = new boolean[channels.size()];
        long[] duplicates = new long[1];
        Select select = Channels.select();
        for (Channel<Long> ch : channels) {
            select.onReceive(ch, v -> {
                if (!received.add(v)) {
                    duplicates[0]++;
                }
            });
        }
        Thread selector = Thread.currentThread();
        Future<?> closer = pool.submit(() -> {
            if (quiesce) {
                for (Future<?> f : senders) {
                    f.get(10, TimeUnit.SECONDS);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (selector.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
            List<Channel<Long>> order = new ArrayList<>(channels);
            java.util.Collections.shuffle(order);
            for (Channel<Long> ch : order) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000));
                ch.close();
            }
            return null;
        });
        int open = channels.size();
        while (open > 0) {
            Selected s = select.await(Duration.ofSeconds(5));
            assertThat(s.timedOut()).as("round %d: select woken (closed so far %s)", round, closedSeen).isFalse();
            if (s.closed() && !closedSeen[s.index()]) {
                closedSeen[s.index()] = true;
                open--;
            }
        }
        closer.get(10, TimeUnit.SECONDS);
        for (Future<?> f : senders) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(duplicates[0]).as("round %d: received twice", round).isZero();
        assertThat(received).as("round %d: received = accepted", round).isEqualTo(accepted);
        assertThat(refused).as("round %d: refused and received", round).doesNotContainAnyElementsOf(received);
        long sent = 0;
        for (Channel<Long> ch : channels) {
            assertThat(ch.isDrained()).isTrue();
            assertThat(((ArrayChannel<Long>) ch).receivers().waiting()).isZero();
            sent += ch.stats().sent();
        }
        assertThat(sent).isEqualTo(accepted.size());
    }

    private static Void send(Channel<Long> ch, long base, long limit, Set<Long> accepted, Set<Long> refused) {
        for (long i = 0; i < limit; i++) {
            long id = base | i;
            try {
                boolean ok = switch ((int) (i % 3)) {
                    case 0 -> ch.trySend(id) == OfferResult.ACCEPTED;
                    case 1 -> ch.send(id, Duration.ofMillis(1));
                    default -> {
                        ch.send(id);
                        yield true;
                    }
                };
                (ok ? accepted : refused).add(id);
            } catch (ChannelClosedException closed) {
                refused.add(id);
                return null;
            }
        }
        return null;
    }
}
