package io.vela.transport.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vela.engine.OfferResult;
import io.vela.transport.codec.Tick;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BroadcastTest {
    static final int CAPACITY = 4096;

    @TempDir
    Path dir;

    @Test
    void everySubscriberGetsEveryMessageWhileItKeepsUp() {
        IpcBroadcast b = IpcBroadcast.of(dir.resolve("b"), CAPACITY);
        try (BroadcastPublisher p = b.publisher(IpcChildMain.codec());
             BroadcastSubscriber s1 = b.subscriber(IpcChildMain.codec());
             BroadcastSubscriber s2 = b.subscriber(IpcChildMain.codec())) {
            List<Object> got1 = new ArrayList<>();
            List<Object> got2 = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                assertEquals(OfferResult.ACCEPTED, p.offer(IpcChannelTest.tick(0, i)));
                s1.poll(got1::add, 10);
                s2.poll(got2::add, 10);
            }
            assertEquals(500, got1.size());
            assertEquals(got1, got2);
            assertEquals(IpcChannelTest.tick(0, 499), got1.get(499));
            assertEquals(0, s1.lostCount());
            assertEquals(0, s1.lappedCount());
            assertEquals(500, p.publishedCount());
        }
    }

    @Test
    void aSubscriberThatFallsBehindIsToldHowManyMessagesItLost() {
        IpcBroadcast b = IpcBroadcast.of(dir.resolve("lap"), CAPACITY);
        try (BroadcastPublisher p = b.publisher(IpcChildMain.codec());
             BroadcastSubscriber s = b.subscriber(IpcChildMain.codec())) {
            List<Tick> got = new ArrayList<>();
            p.offer(IpcChannelTest.tick(0, 0));
            s.poll(m -> got.add((Tick) m), 10);
            for (int i = 1; i < 1000; i++) {
                p.offer(IpcChannelTest.tick(0, i));
            }
            while (s.poll(m -> got.add((Tick) m), 100) > 0) {
                // drain what is left
            }
            assertTrue(s.lappedCount() >= 1, "lapped " + s.lappedCount());
            assertTrue(s.lostCount() > 900, "lost " + s.lostCount());
            assertEquals(1000, got.size() + s.lostCount(), "every message seen or counted lost");
            assertEquals(999, got.get(got.size() - 1).level);
            for (int i = 1; i < got.size(); i++) {
                assertTrue(got.get(i).level > got.get(i - 1).level, "out of order at " + i);
            }
        }
    }

    @Test
    void aClosedPublisherRefuses() {
        IpcBroadcast b = IpcBroadcast.of(dir.resolve("c"), CAPACITY);
        BroadcastPublisher p = b.publisher(IpcChildMain.codec());
        p.close();
        assertEquals(OfferResult.CLOSED, p.offer(IpcChannelTest.tick(0, 0)));
    }

    @Test
    void aCorruptRecordLengthInTheBufferIsSkippedNotThrown() {
        IpcBroadcast b = IpcBroadcast.of(dir.resolve("corrupt"), CAPACITY);
        try (BroadcastSubscriber s = b.subscriber(IpcChildMain.codec());
             IpcFile raw = IpcFile.open(b.path(), IpcFile.KIND_BROADCAST, CAPACITY,
                     org.agrona.concurrent.broadcast.BroadcastBufferDescriptor.TRAILER_LENGTH, false)) {
            // a foreign or dying process left a record whose length field is garbage
            org.agrona.concurrent.UnsafeBuffer buf = raw.buffer();
            buf.putInt(org.agrona.concurrent.broadcast.RecordDescriptor.lengthOffset(0), -40);
            buf.putInt(org.agrona.concurrent.broadcast.RecordDescriptor.typeOffset(0), IpcWriter.RECORD_TYPE);
            buf.putLongOrdered(CAPACITY + org.agrona.concurrent.broadcast.BroadcastBufferDescriptor
                    .TAIL_INTENT_COUNTER_OFFSET, 64);
            buf.putLongOrdered(CAPACITY + org.agrona.concurrent.broadcast.BroadcastBufferDescriptor
                    .TAIL_COUNTER_OFFSET, 64);
            java.util.List<Object> got = new java.util.ArrayList<>();
            assertEquals(0, s.poll(got::add, 10), "a corrupt record is not delivered");
            assertTrue(got.isEmpty());
            assertTrue(s.failedCount() >= 1, "the corrupt record is counted");
            try (BroadcastPublisher p = b.publisher(IpcChildMain.codec())) {
                assertEquals(OfferResult.ACCEPTED, p.offer(new Tick(7, 7, 7, 7, 7)));
            }
            for (int i = 0; i < 5 && got.isEmpty(); i++) {
                s.poll(got::add, 10);
            }
            assertEquals(java.util.List.of(new Tick(7, 7, 7, 7, 7)), got, "the subscriber is not wedged");
        }
    }

    @Test
    void aNullHandlerIsRefusedBeforeAnythingIsTaken() {
        IpcBroadcast b = IpcBroadcast.of(dir.resolve("null-handler"), CAPACITY);
        try (BroadcastPublisher p = b.publisher(IpcChildMain.codec());
             BroadcastSubscriber s = b.subscriber(IpcChildMain.codec())) {
            assertEquals(OfferResult.ACCEPTED, p.offer(new Tick(3, 3, 3, 3, 3)));
            org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> s.poll(null, 10));
            List<Object> got = new ArrayList<>();
            s.poll(got::add, 10);
            assertEquals(List.of(new Tick(3, 3, 3, 3, 3)), got, "the message a null handler could not take is kept");
            assertEquals(0, s.failedCount());
        }
    }
}
