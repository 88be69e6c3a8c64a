package io.vela.transport.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vela.engine.OverflowPolicy;
import io.vela.transport.codec.Tick;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real second processes (JVMs on the test class path, with this JVM's flags) writing into a ring read here. */
@Timeout(value = 45, unit = TimeUnit.SECONDS)
class IpcCrossProcessTest {
    @TempDir
    Path dir;

    /** Per writer: the next sequence number expected; fails on a gap, duplicate or reordering. */
    private static void account(Map<Long, Integer> next, Object m) {
        Tick t = (Tick) m;
        int expected = next.getOrDefault(t.instrument, 0);
        assertEquals(expected, t.level, "writer " + t.instrument + ": lost, duplicated or reordered");
        next.put(t.instrument, expected + 1);
    }

    @Test
    void twoWriterProcessesAndOneHereAllArriveInOrderPerWriter() throws Exception {
        Path path = dir.resolve("many");
        IpcChannel ch = IpcChannel.builder(path).capacity(IpcChannelTest.CAPACITY).build();
        int perChild = 20_000;
        Map<Long, Integer> next = new HashMap<>();
        try (IpcReader r = ch.reader(IpcChildMain.codec());
             IpcWriter local = ch.writer(IpcChildMain.codec())) {
            Process a = ChildJvm.start("write", path.toString(), "1", String.valueOf(perChild));
            Process b = ChildJvm.start("write", path.toString(), "2", String.valueOf(perChild));
            int localSent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while ((a.isAlive() || b.isAlive() || r.backlogBytes() > 0) && System.nanoTime() < deadline) {
                if (localSent < perChild && local.offer(IpcChannelTest.tick(3, localSent)).accepted()) {
                    localSent++;
                }
                r.poll(m -> account(next, m), 256);
            }
            assertEquals(0, a.waitFor(), "writer 1 exit code");
            assertEquals(0, b.waitFor(), "writer 2 exit code");
            while (localSent < perChild) {
                if (local.offer(IpcChannelTest.tick(3, localSent)).accepted()) {
                    localSent++;
                }
                r.poll(m -> account(next, m), 256);
            }
            while (r.poll(m -> account(next, m), 256) > 0) {
                // drain
            }
        }
        assertEquals(Map.of(1L, perChild, 2L, perChild, 3L, perChild), next);
    }

    @Test
    void aWriterProcessKilledMidStreamDoesNotWedgeTheReader() throws Exception {
        Path path = dir.resolve("killed");
        IpcChannel ch = IpcChannel.builder(path).capacity(IpcChannelTest.CAPACITY)
                .unblockTimeout(Duration.ofMillis(100)).overflowPolicy(OverflowPolicy.BLOCK).build();
        Map<Long, Integer> next = new HashMap<>();
        try (IpcReader r = ch.reader(IpcChildMain.codec())) {
            Process child = ChildJvm.start("write", path.toString(), "1", "-1");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (next.getOrDefault(1L, 0) < 5_000 && System.nanoTime() < deadline) {
                r.poll(m -> account(next, m), 256);
            }
            assertTrue(next.getOrDefault(1L, 0) >= 5_000, "the child wrote too little: " + next);
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            try (IpcWriter after = ch.writer(IpcChildMain.codec())) {
                for (int i = 0; i < 1_000; i++) {
                    final int seq = i;
                    while (!after.offer(IpcChannelTest.tick(2, seq)).accepted()) {
                        r.poll(m -> account(next, m), 256);
                    }
                }
                while (next.getOrDefault(2L, 0) < 1_000 && System.nanoTime() < deadline) {
                    r.poll(m -> account(next, m), 256);
                }
            }
            assertEquals(1_000, next.get(2L), "messages after the kill: " + next + ", unblocked " + r.unblockedCount());
            assertEquals(0, r.corruptCount());
        }
    }

    @Test
    void aBroadcastFromAnotherProcessIsSeenOrCountedLost() throws Exception {
        Path path = dir.resolve("bcast");
        int count = 20_000;
        IpcBroadcast b = IpcBroadcast.of(path, BroadcastTest.CAPACITY);
        try (BroadcastSubscriber s = b.subscriber(IpcChildMain.codec())) {
            int[] first = {-1};
            int[] last = {-1};
            int[] seen = {0};
            io.vela.transport.MessageHandler handler = m -> {
                Tick t = (Tick) m;
                assertTrue(t.level > last[0], "out of order");
                if (first[0] < 0) {
                    first[0] = t.level;
                }
                last[0] = t.level;
                seen[0]++;
            };
            Process p = ChildJvm.start("publish", path.toString(), String.valueOf(count));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (p.isAlive() && System.nanoTime() < deadline) {
                s.poll(handler, 256);
            }
            assertEquals(0, p.waitFor());
            while (s.poll(handler, 256) > 0) {
                // drain
            }
            assertEquals(count - 1, last[0], "the last message arrives");
            // from the first message it saw on, each one was delivered or counted lost
            assertEquals(count - first[0], seen[0] + s.lostCount(), seen[0] + " seen, " + s.lostCount() + " lost");
        }
    }
}
