package io.vela.transport.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vela.engine.OfferResult;
import io.vela.transport.TransportException;
import io.vela.transport.codec.Tick;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review: a channel has one reader and a broadcast buffer one publisher (Agrona's ring is single-consumer, its
 * transmitter single-writer). A second one — a second channel opened on the same file, in this or another process —
 * would take the same records twice or corrupt the buffer, so it must be refused while the first lives, and allowed
 * once the first is closed or its process died.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IpcExclusiveTest {
    @TempDir
    Path dir;

    @Test
    void aSecondReaderOnTheSameFileIsRefusedUntilTheFirstCloses() {
        Path path = dir.resolve("one-reader");
        IpcChannel a = IpcChannel.builder(path).capacity(IpcChannelTest.CAPACITY).build();
        IpcChannel b = IpcChannel.builder(path).capacity(IpcChannelTest.CAPACITY).build(); // same file
        try (IpcWriter w = a.writer(IpcChildMain.codec())) {
            IpcReader first = a.reader(IpcChildMain.codec());
            TransportException e = assertThrows(TransportException.class, () -> b.reader(IpcChildMain.codec()).close());
            assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("reader"), e.getMessage());
            for (int i = 0; i < 10; i++) {
                assertEquals(OfferResult.ACCEPTED, w.offer(IpcChannelTest.tick(1, i)));
            }
            List<Object> got = new ArrayList<>();
            first.poll(got::add, 5);
            first.close();
            try (IpcReader second = b.reader(IpcChildMain.codec())) {
                while (second.poll(got::add, 256) > 0) {
                    // drain
                }
            }
            assertEquals(10, got.size(), "each record once: " + got);
            for (int i = 0; i < 10; i++) {
                assertEquals(IpcChannelTest.tick(1, i), got.get(i));
            }
        }
    }

    @Test
    void aSecondPublisherOnTheSameBufferIsRefusedUntilTheFirstCloses() {
        IpcBroadcast b = IpcBroadcast.of(dir.resolve("one-publisher"), BroadcastTest.CAPACITY);
        BroadcastPublisher first = b.publisher(IpcChildMain.codec());
        TransportException e = assertThrows(TransportException.class, () -> b.publisher(IpcChildMain.codec()).close());
        assertTrue(e.getMessage().contains("publisher"), e.getMessage());
        try (BroadcastSubscriber s = b.subscriber(IpcChildMain.codec()); // subscribers are not limited
             BroadcastSubscriber s2 = b.subscriber(IpcChildMain.codec())) {
            assertEquals(OfferResult.ACCEPTED, first.offer(new Tick(1, 2, 3, 4, 5)));
            assertEquals(1, s.poll(m -> { }, 10));
            assertEquals(1, s2.poll(m -> { }, 10));
        }
        first.close();
        try (BroadcastPublisher again = b.publisher(IpcChildMain.codec())) {
            assertEquals(OfferResult.ACCEPTED, again.offer(new Tick()));
        }
    }

    @Test
    void aReaderInAnotherProcessExcludesThisOneUntilThatProcessDies() throws Exception {
        Path path = dir.resolve("child-reader");
        IpcChannel ch = IpcChannel.builder(path).capacity(IpcChannelTest.CAPACITY).build();
        try (IpcWriter w = ch.writer(IpcChildMain.codec())) {
            Process child = ChildJvm.start("read", path.toString());
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (w.readerHeartbeatMillis() == 0) {
                    assertTrue(child.isAlive() && System.nanoTime() < deadline, "the child reader did not start");
                    Thread.sleep(10);
                }
                assertThrows(TransportException.class, () -> ch.reader(IpcChildMain.codec()).close());
            } finally {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertEquals(OfferResult.ACCEPTED, w.offer(IpcChannelTest.tick(1, 7)));
            try (IpcReader r = ch.reader(IpcChildMain.codec())) { // the dead process's claim is gone
                List<Object> got = new ArrayList<>();
                r.poll(got::add, 10);
                assertEquals(List.of(IpcChannelTest.tick(1, 7)), got);
            }
        }
    }
}
