package io.vela.transport.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vela.engine.OfferResult;
import io.vela.engine.OverflowPolicy;
import io.vela.engine.RingClosedException;
import io.vela.engine.RingFullException;
import io.vela.transport.TransportException;
import io.vela.transport.codec.Tick;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class IpcChannelTest {
    static final int CAPACITY = 64 * 1024;

    @TempDir
    Path dir;

    private IpcChannel channel(String name) {
        return IpcChannel.builder(dir.resolve(name)).capacity(CAPACITY).unblockTimeout(Duration.ofMillis(50))
                .overflowPolicy(OverflowPolicy.FAIL_FAST).build();
    }

    static Tick tick(long writer, int seq) {
        return new Tick(writer, seq * 10L, seq + 0.5, seq + 0.75, seq);
    }

    @Test
    void offeredMessagesArriveInOrder() {
        IpcChannel ch = channel("a");
        try (IpcWriter w = ch.writer(IpcChildMain.codec()); IpcReader r = ch.reader(IpcChildMain.codec())) {
            for (int i = 0; i < 100; i++) {
                assertEquals(OfferResult.ACCEPTED, w.offer(tick(1, i)));
            }
            List<Object> got = new ArrayList<>();
            while (got.size() < 100) {
                r.poll(got::add, 30);
            }
            for (int i = 0; i < 100; i++) {
                assertEquals(tick(1, i), got.get(i));
            }
            assertEquals(0, r.poll(got::add, 10));
            assertEquals(100, r.deliveredCount());
            assertEquals(100, w.acceptedCount());
            assertTrue(w.readerHeartbeatMillis() > 0);
        }
    }

    @Test
    void aPollThatMeetsThePaddingAtTheRingsEndStillReturnsTheRecordAfterIt() {
        IpcChannel ch = channel("wrap");
        try (IpcWriter w = ch.writer(IpcChildMain.codec()); IpcReader r = ch.reader(IpcChildMain.codec())) {
            for (int i = 0; i < 20_000; i++) { // many wraps of the ring: records rarely fit its end exactly
                assertEquals(OfferResult.ACCEPTED, w.offer(tick(1, i)));
                List<Object> got = new ArrayList<>();
                assertEquals(1, r.poll(got::add, 10), "record " + i + " is there, the poll must return it");
                assertEquals(tick(1, i), got.get(0));
            }
        }
    }

    @Test
    void aFullRingIsReportedByOfferAndBySendPerPolicy() throws Exception {
        IpcChannel ch = channel("full");
        try (IpcWriter w = ch.writer(IpcChildMain.codec())) {
            int accepted = 0;
            while (w.offer(tick(1, accepted)) == OfferResult.ACCEPTED) {
                accepted++;
            }
            assertTrue(accepted > 100, "accepted " + accepted);
            assertEquals(OfferResult.FULL, w.offer(tick(1, 0)));
            RingFullException e = assertThrows(RingFullException.class, () -> w.send(tick(1, 0)));
            assertTrue(e.getMessage().contains("fail-fast") && e.getMessage().contains("full"), e.getMessage());
            assertEquals(OfferResult.FULL, e.result());

            IpcChannel timed = IpcChannel.builder(ch.path()).capacity(CAPACITY)
                    .overflowPolicy(OverflowPolicy.BLOCK_TIMEOUT).sendTimeout(Duration.ofMillis(50)).build();
            try (IpcWriter tw = timed.writer(IpcChildMain.codec())) {
                long start = System.nanoTime();
                RingFullException te = assertThrows(RingFullException.class, () -> tw.send(tick(2, 0)));
                assertTrue(System.nanoTime() - start >= 40_000_000L);
                assertTrue(te.getMessage().contains("block-timeout after 50 ms"), te.getMessage());
            }

            IpcChannel blocking = IpcChannel.builder(ch.path()).capacity(CAPACITY)
                    .overflowPolicy(OverflowPolicy.BLOCK).build();
            try (IpcWriter bw = blocking.writer(IpcChildMain.codec());
                 IpcReader r = blocking.reader(IpcChildMain.codec())) {
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> bw.send(tick(3, 0)));
                Thread.sleep(50);
                assertTrue(!sent.isDone(), "send under block returned on a full ring");
                List<Object> got = new ArrayList<>();
                while (!sent.isDone()) {
                    r.poll(got::add, 1);
                }
                sent.get(5, TimeUnit.SECONDS);
                while (r.poll(got::add, 1000) > 0) {
                    // drain
                }
                assertEquals(accepted + 1, got.size());
                assertEquals(tick(3, 0), got.get(got.size() - 1));
            }
        }
    }

    @Test
    void aClosedWriterRefusesAndAClosedReaderReadsNothing() {
        IpcChannel ch = channel("closed");
        IpcWriter w = ch.writer(IpcChildMain.codec());
        IpcReader r = ch.reader(IpcChildMain.codec());
        w.close();
        w.close();
        assertEquals(OfferResult.CLOSED, w.offer(tick(1, 1)));
        RingClosedException e = assertThrows(RingClosedException.class, () -> w.send(tick(1, 1)));
        assertEquals(OfferResult.CLOSED, e.result());
        r.close();
        assertEquals(0, r.poll(m -> { }, 10));
    }

    @Test
    void closingAWriterWakesASendBlockedOnAFullRing() throws Exception {
        IpcChannel ch = IpcChannel.builder(dir.resolve("blocked")).capacity(CAPACITY)
                .overflowPolicy(OverflowPolicy.BLOCK).build();
        IpcWriter w = ch.writer(IpcChildMain.codec());
        while (w.offer(tick(1, 0)) == OfferResult.ACCEPTED) {
            // fill
        }
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> w.send(tick(1, 1)));
        Thread.sleep(50);
        assertTrue(!blocked.isDone(), "send did not block on a full ring");
        w.close();
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> blocked.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RingClosedException, e.getCause().toString());
    }

    @Test
    void aRestartedReaderResumesWhereTheRingIs() {
        IpcChannel ch = channel("restart");
        List<Object> got = new ArrayList<>();
        try (IpcWriter w = ch.writer(IpcChildMain.codec())) {
            for (int i = 0; i < 10; i++) {
                w.offer(tick(1, i));
            }
            try (IpcReader first = ch.reader(IpcChildMain.codec())) {
                assertEquals(4, first.poll(got::add, 4));
            }
            for (int i = 10; i < 15; i++) {
                w.offer(tick(1, i));
            }
            try (IpcReader second = ch.reader(IpcChildMain.codec())) {
                while (second.poll(got::add, 100) > 0) {
                    // drain
                }
            }
        }
        assertEquals(15, got.size());
        for (int i = 0; i < 15; i++) {
            assertEquals(tick(1, i), got.get(i));
        }
    }

    @Test
    void aThrowingHandlerAndACorruptRecordAreCountedAndSkipped() {
        IpcChannel ch = channel("faults");
        try (IpcWriter w = ch.writer(IpcChildMain.codec()); IpcReader r = ch.reader(IpcChildMain.codec());
             RawRing raw = RawRing.map(ch.path())) {
            w.offer(tick(1, 0));
            raw.ring.write(IpcWriter.RECORD_TYPE, new UnsafeBuffer(new byte[] {1, 2, 3, 4, 5}), 0, 5);
            w.offer(tick(1, 1));
            w.offer(tick(1, 2));
            List<Object> got = new ArrayList<>();
            while (r.poll(m -> {
                if (((Tick) m).level == 1) {
                    throw new IllegalStateException("handler fault");
                }
                got.add(m);
            }, 10) > 0) {
                // drain
            }
            assertEquals(List.of(tick(1, 0), tick(1, 2)), got);
            assertEquals(1, r.corruptCount());
            assertEquals(1, r.failedCount());
            assertEquals(2, r.deliveredCount());
        }
    }

    @Test
    void aClaimNeverCommittedIsUnblockedAfterTheTimeout() {
        IpcChannel ch = channel("dead");
        try (IpcWriter w = ch.writer(IpcChildMain.codec()); IpcReader r = ch.reader(IpcChildMain.codec());
             RawRing raw = RawRing.map(ch.path())) {
            w.offer(tick(1, 0));
            assertTrue(raw.ring.tryClaim(IpcWriter.RECORD_TYPE, 40) > 0); // a writer that dies here
            w.offer(tick(1, 1));
            List<Object> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.size() < 2 && System.nanoTime() < deadline) {
                r.poll(got::add, 10);
                Thread.onSpinWait();
            }
            assertEquals(List.of(tick(1, 0), tick(1, 1)), got);
            assertEquals(1, r.unblockedCount());
        }
    }

    @Test
    void aStartedReaderDeliversOnItsOwnThreadAndCloseReturnsEvenIfTheHandlerNeverDoes() throws Exception {
        IpcChannel ch = channel("agent");
        CopyOnWriteArrayList<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch got = new CountDownLatch(3);
        CountDownLatch stuck = new CountDownLatch(1);
        try (IpcWriter w = ch.writer(IpcChildMain.codec())) {
            IpcReader r = ch.reader(IpcChildMain.codec()).start(m -> {
                threads.add(Thread.currentThread().getName());
                got.countDown();
                if (((Tick) m).level == 99) {
                    stuck.countDown();
                    while (true) {
                        Thread.onSpinWait(); // never returns, ignores interrupts
                    }
                }
            }, new BackoffIdleStrategy(), Thread::new);
            for (int i = 0; i < 3; i++) {
                w.offer(tick(1, i));
            }
            assertTrue(got.await(5, TimeUnit.SECONDS));
            assertTrue(threads.stream().allMatch(n -> n.equals("vela-ipc-agent")), threads.toString());
            assertThrows(IllegalStateException.class, () -> r.start(m -> { }, new BackoffIdleStrategy(), Thread::new));
            w.offer(tick(1, 99));
            assertTrue(stuck.await(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            r.close();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "close took too long");
        }
    }

    @Test
    void mismatchedFilesAndBadSettingsAreRefusedByName() {
        IpcChannel ch = channel("mismatch");
        try (IpcWriter w = ch.writer(IpcChildMain.codec())) {
            TransportException e = assertThrows(TransportException.class,
                    () -> IpcChannel.builder(ch.path()).capacity(CAPACITY * 2).build().reader(IpcChildMain.codec()));
            assertTrue(e.getMessage().contains("capacity " + CAPACITY) && e.getMessage().contains(
                    String.valueOf(CAPACITY * 2)), e.getMessage());
            TransportException kind = assertThrows(TransportException.class,
                    () -> IpcBroadcast.of(ch.path(), CAPACITY).subscriber(IpcChildMain.codec()));
            assertTrue(kind.getMessage().contains("many-to-one ring"), kind.getMessage());
        }
        IllegalArgumentException cap = assertThrows(IllegalArgumentException.class,
                () -> IpcChannel.builder(dir.resolve("x")).capacity(1000));
        assertTrue(cap.getMessage().contains("capacity = 1000") && cap.getMessage().contains("power of two"));
        IllegalArgumentException policy = assertThrows(IllegalArgumentException.class,
                () -> IpcChannel.builder(dir.resolve("x")).overflowPolicy(OverflowPolicy.CALLER_RUNS));
        assertTrue(policy.getMessage().contains("valid: block, block-timeout, fail-fast"), policy.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> IpcChannel.builder(dir.resolve("x")).unblockTimeout(Duration.ZERO));
    }

    /** A second, raw Agrona view of a channel's ring: what a foreign or dying writer does. */
    static final class RawRing implements AutoCloseable {
        final IpcFile file;
        final ManyToOneRingBuffer ring;

        private RawRing(IpcFile file) {
            this.file = file;
            this.ring = new ManyToOneRingBuffer(file.buffer());
        }

        static RawRing map(Path path) {
            return new RawRing(IpcFile.open(path, IpcFile.KIND_RING, CAPACITY, RingBufferDescriptor.TRAILER_LENGTH,
                    false));
        }

        @Override
        public void close() {
            file.close();
        }
    }

    @Test
    void anInterruptedBlockingSendGivesUpLikeTheEngineKeepingTheFlag() throws Exception {
        IpcChannel ch = IpcChannel.builder(dir.resolve("interrupted")).capacity(CAPACITY)
                .overflowPolicy(OverflowPolicy.BLOCK).build();
        try (IpcWriter w = ch.writer(IpcChildMain.codec())) {
            int accepted = 0;
            while (w.offer(tick(1, accepted)) == OfferResult.ACCEPTED) {
                accepted++;
            }
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread sender = new Thread(() -> {
                try {
                    w.send(tick(1, -1));
                    outcome.complete("sent");
                } catch (RuntimeException e) {
                    outcome.complete(List.of(e, Thread.currentThread().isInterrupted()));
                }
            });
            sender.start();
            Thread.sleep(100);
            sender.interrupt();
            Object r = outcome.get(2, TimeUnit.SECONDS); // TimeoutException: the interrupted send kept spinning
            assertTrue(r instanceof List, "outcome " + r);
            List<?> l = (List<?>) r;
            RingFullException e = assertInstanceOf(RingFullException.class, l.get(0));
            assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
            assertEquals(true, l.get(1), "interrupt flag kept");
            sender.join(2_000);
        }
    }
}
