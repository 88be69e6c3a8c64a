package io.vela.transport.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vela.engine.OfferResult;
import io.vela.engine.OverflowPolicy;
import io.vela.transport.codec.Tick;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review: closing a reader while its handler holds a message (from the handler itself, or from another thread while
 * the handler never returns) must leave the records not yet handed over in the ring for the next reader, and must
 * return within about a second.
 */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class IpcReaderCloseTest {
    @TempDir
    Path dir;

    private IpcChannel channel(String name) {
        return IpcChannel.builder(dir.resolve(name)).capacity(64 * 1024).unblockTimeout(Duration.ofMillis(50))
                .overflowPolicy(OverflowPolicy.FAIL_FAST).build();
    }

    private static List<Object> drain(IpcReader r) {
        List<Object> got = new ArrayList<>();
        while (r.poll(got::add, 256) > 0) {
            // drain
        }
        return got;
    }

    @Test
    void aHandlerClosingItsOwnReaderLeavesTheRestForTheNextReaderAndDoesNotWait() {
        IpcChannel ch = channel("self");
        try (IpcWriter w = ch.writer(IpcChildMain.codec())) {
            for (int i = 0; i < 10; i++) {
                assertEquals(OfferResult.ACCEPTED, w.offer(IpcChannelTest.tick(1, i)));
            }
        }
        IpcReader r = ch.reader(IpcChildMain.codec());
        List<Object> seen = new ArrayList<>();
        AtomicLong closeNanos = new AtomicLong(-1);
        r.poll(m -> {
            seen.add(m);
            if (seen.size() == 1) {
                long t0 = System.nanoTime();
                r.close();
                closeNanos.set(System.nanoTime() - t0);
            }
        }, 100);
        assertEquals(List.of(IpcChannelTest.tick(1, 0)), seen, "messages handed to a closed reader's handler");
        assertTrue(closeNanos.get() < TimeUnit.MILLISECONDS.toNanos(300),
                "close from the handler took " + closeNanos.get() / 1_000_000 + " ms");
        try (IpcReader next = ch.reader(IpcChildMain.codec())) {
            List<Object> rest = drain(next);
            assertEquals(9, rest.size(), "the next reader gets what the closed one did not take: " + rest);
            for (int i = 0; i < 9; i++) {
                assertEquals(IpcChannelTest.tick(1, i + 1), rest.get(i));
            }
        }
    }

    @Test
    void closeWhileAHandlerNeverReturnsIsPromptAndLosesNothing() throws Exception {
        IpcChannel ch = channel("stuck");
        try (IpcWriter w = ch.writer(IpcChildMain.codec())) {
            for (int i = 0; i < 5; i++) {
                assertEquals(OfferResult.ACCEPTED, w.offer(IpcChannelTest.tick(1, i)));
            }
        }
        CountDownLatch inHandler = new CountDownLatch(1);
        List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        IpcReader r = ch.reader(IpcChildMain.codec()).start(m -> {
            seen.add(m);
            inHandler.countDown();
            while (!release.get()) {
                LockSupport.parkNanos(1_000_000); // ignores interrupts: never returns until released
            }
        }, new BackoffIdleStrategy(), Thread::new);
        assertTrue(inHandler.await(5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        r.close();
        long closeMs = (System.nanoTime() - t0) / 1_000_000;
        release.set(true);
        Thread.sleep(100); // the stuck handler returns; the reader must not hand it the rest
        assertTrue(closeMs < 1_500, "close took " + closeMs + " ms; documented: about a second");
        assertEquals(List.of(IpcChannelTest.tick(1, 0)), seen, "messages handed over after close");
        try (IpcReader next = ch.reader(IpcChildMain.codec())) {
            assertEquals(4, drain(next).size(), "the next reader gets what the closed one did not take");
        }
    }

    @Test
    void startingAClosedReaderIsRefusedAndLeavesNoThread() {
        IpcReader r = channel("closed-start").reader(IpcChildMain.codec());
        r.close();
        int before = Thread.activeCount();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> r.start(m -> { }, new BackoffIdleStrategy(), Thread::new));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertTrue(Thread.activeCount() <= before, "a polling thread was left running on a closed reader");
    }
}
