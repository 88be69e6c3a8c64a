package io.vela.engine.counters;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.OfferResult;
import io.vela.engine.channel.Channel;
import io.vela.engine.channel.ChannelRegistry;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Review of issue #13's freeing of counters: a writer or reader that still holds an owner's counter when the owner
 * frees it must neither corrupt the slot's next owner nor lose its count.
 */
@Timeout(10)
class CountersReuseReviewTest {

    /**
     * A factory over real {@link VelaCounters} whose counters can hold a {@code getAndAdd} at its start: the writer
     * has read its owner's counter and not yet added (the window a late writer of a freed counter sits in).
     */
    static final class HoldingFactory implements CounterFactory {
        final VelaCounters counters;
        final Map<AtomicCounter, AtomicCounter> real = new IdentityHashMap<>();
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Thread holdOn;

        HoldingFactory(VelaCounters counters) {
            this.counters = counters;
        }

        @Override
        public synchronized AtomicCounter newCounter(int typeId, String name, String metric) {
            AtomicCounter c = counters.newCounter(typeId, name, metric);
            AtomicCounter held = new AtomicCounter(counters.reader().valuesBuffer(), c.id()) {
                @Override
                public long getAndAdd(long increment) {
                    if (Thread.currentThread() == holdOn) {
                        holdOn = null;
                        holding.countDown();
                        try {
                            release.await(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return super.getAndAdd(increment);
                }
            };
            real.put(held, c);
            return held;
        }

        @Override
        public synchronized void free(AtomicCounter counter) {
            AtomicCounter c = real.remove(counter);
            if (c != null) {
                counters.free(c);
            }
        }
    }

    @Test
    void aRefusalCountedWhileTheDrainedChannelLeavesItsRegistryIsKeptAndDoesNotLandOnTheNextChannel()
            throws Exception {
        try (VelaCounters counters = VelaCounters.inProcess(64)) {
            HoldingFactory factory = new HoldingFactory(counters);
            ChannelRegistry registry = new ChannelRegistry(2, factory);
            Channel<Integer> old = registry.<Integer>builder("jobs").capacity(2).build();
            old.close();
            assertThat(old.isDrained()).isTrue();
            // a sender refused by the closed channel, caught between reading its counter and adding to it
            CompletableFuture<OfferResult> late = new CompletableFuture<>();
            Thread sender = new Thread(() -> {
                try {
                    late.complete(old.trySend(1));
                } catch (Throwable t) {
                    late.completeExceptionally(t);
                }
            }, "late-sender");
            factory.holdOn = sender;
            sender.start();
            assertThat(factory.holding.await(5, TimeUnit.SECONDS)).isTrue();
            // the next build drops the drained channel (its counter is freed) and makes a new one
            Channel<Integer> next = registry.<Integer>builder("jobs").capacity(2).build();
            factory.release.countDown();
            assertThat(late.get(5, TimeUnit.SECONDS)).isEqualTo(OfferResult.CLOSED);
            sender.join(Duration.ofSeconds(5).toMillis());
            assertThat(next.stats().refused()).as("the next channel refused nothing").isZero();
            assertThat(old.stats().refused()).as("the old channel's refusal is kept").isEqualTo(1);
            next.close();
        }
    }

    @Test
    void aFreedSlotIsNotReusedBeforeTheReuseTimeoutAndALateWriteThroughItChangesNoOtherCounter() throws Exception {
        try (VelaCounters counters = VelaCounters.inProcess(16, 300)) {
            AtomicCounter gone = counters.newCounter(CounterTypes.CHANNEL, "a", "refused");
            gone.getAndAdd(5);
            counters.free(gone);
            AtomicCounter next = counters.newCounter(CounterTypes.CHANNEL, "b", "refused");
            assertThat(next.id()).isNotEqualTo(gone.id());
            gone.getAndAdd(1); // a late writer
            assertThat(next.get()).isZero();
            assertThat(gone.get()).as("a late reader still reads the freed counter's last value").isEqualTo(6);
            // once the timeout has passed, the slot is reused (from 0)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            AtomicCounter reused;
            do {
                Thread.sleep(50);
                reused = counters.newCounter(CounterTypes.CHANNEL, "c", "refused");
            } while (reused.id() != gone.id() && System.nanoTime() < deadline);
            assertThat(reused.id()).isEqualTo(gone.id());
            assertThat(reused.get()).isZero();
        }
    }

    @Test
    void sendersRefusedByDrainedChannelsWhileTheRegistryDropsThemLoseNoRefusalAndGiveNoneToTheNext()
            throws Exception {
        try (VelaCounters counters = VelaCounters.inProcess(128)) {
            ChannelRegistry registry = new ChannelRegistry(2, CounterFactory.of(counters));
            Channel<Integer> current = registry.<Integer>builder("jobs").capacity(2).build();
            for (int round = 0; round < 40; round++) {
                Channel<Integer> old = current;
                old.close();
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                java.util.concurrent.atomic.AtomicLong refusedBySenders = new java.util.concurrent.atomic.AtomicLong();
                java.util.List<Thread> senders = new java.util.ArrayList<>();
                CountDownLatch started = new CountDownLatch(2);
                java.util.concurrent.ConcurrentLinkedQueue<Throwable> errors =
                        new java.util.concurrent.ConcurrentLinkedQueue<>();
                for (int t = 0; t < 2; t++) {
                    Thread s = new Thread(() -> {
                        long n = 0;
                        try {
                            started.countDown();
                            while (!stop.get()) {
                                if (old.trySend(1) == OfferResult.CLOSED) {
                                    n++;
                                }
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        } finally {
                            refusedBySenders.addAndGet(n);
                        }
                    }, "sender-" + round + "-" + t);
                    senders.add(s);
                    s.start();
                }
                assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
                current = registry.<Integer>builder("jobs").capacity(2).build(); // drops `old` while it refuses
                stop.set(true);
                for (Thread s : senders) {
                    s.join(5_000);
                    assertThat(s.isAlive()).isFalse();
                }
                assertThat(errors).isEmpty();
                assertThat(old.stats().refused()).isEqualTo(refusedBySenders.get());
                assertThat(current.stats().refused()).isZero();
            }
            current.close();
        }
    }

    /** The refusing path (full, then closed and moved off the file) allocates nothing, before and after the move. */
    @Test
    void refusalsAllocateNothingInTheFileNorAfterTheMoveToTheHeap() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        int n = 200_000;
        try (VelaCounters counters = VelaCounters.inProcess(64)) {
            ChannelRegistry registry = new ChannelRegistry(2, CounterFactory.of(counters));
            Channel<Integer> ch = registry.<Integer>builder("jobs").capacity(1).build();
            Integer item = 7;
            assertThat(ch.trySend(item)).isEqualTo(OfferResult.ACCEPTED);
            long[] bytes = new long[4];
            for (int round = 0; round < 2; round++) { // the first warms up
                long before = mx.getThreadAllocatedBytes(self);
                for (int i = 0; i < n; i++) {
                    ch.trySend(item); // full: refused, counted in the file
                }
                bytes[round] = mx.getThreadAllocatedBytes(self) - before;
            }
            long accepted = ch.stats().sent();
            ch.close();
            while (!ch.isDrained()) {
                ch.poll();
            }
            Channel<Integer> next = registry.<Integer>builder("jobs").capacity(1).build(); // moves `ch` to the heap
            for (int round = 2; round < 4; round++) {
                long before = mx.getThreadAllocatedBytes(self);
                for (int i = 0; i < n; i++) {
                    ch.trySend(item); // closed: refused, counted on the heap
                }
                bytes[round] = mx.getThreadAllocatedBytes(self) - before;
            }
            assertThat(bytes[1]).as("bytes for %d refusals in the file", n).isLessThan(n / 100);
            assertThat(bytes[3]).as("bytes for %d refusals after the move", n).isLessThan(n / 100);
            assertThat(ch.stats().refused()).isEqualTo(4L * n + 1 - accepted); // every trySend but the accepted
            assertThat(next.stats().refused()).isZero();
            next.close();
        }
    }
}
