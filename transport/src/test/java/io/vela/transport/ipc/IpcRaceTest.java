package io.vela.transport.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vela.engine.OfferResult;
import io.vela.transport.codec.Tick;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers on four threads, each closed by another thread at a random moment while it offers, and the reader closed
 * and replaced mid-stream: every accepted message is read exactly once, in order per writer; nothing refused is.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IpcRaceTest {
    private static final int WRITERS = 4;

    @TempDir
    Path dir;

    @RepeatedTest(3)
    void everyAcceptedMessageIsReadOnceUnderRacingCloses() throws Exception {
        IpcChannel ch = IpcChannel.builder(dir.resolve("race")).capacity(IpcChannelTest.CAPACITY).build();
        List<IpcWriter> writers = new ArrayList<>();
        List<CompletableFuture<Integer>> loops = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            IpcWriter writer = ch.writer(IpcChildMain.codec());
            writers.add(writer);
            long id = w;
            loops.add(CompletableFuture.supplyAsync(() -> {
                Tick tick = new Tick();
                int seq = 0;
                while (true) {
                    tick.instrument = id;
                    tick.level = seq;
                    OfferResult r = writer.offer(tick);
                    if (r == OfferResult.CLOSED) {
                        return seq;
                    }
                    if (r.accepted()) {
                        seq++;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }, runnable -> new Thread(runnable).start()));
        }
        CompletableFuture<Void> closer = CompletableFuture.runAsync(() -> {
            for (IpcWriter writer : writers) {
                long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (writer.acceptedCount() == 0 && System.nanoTime() < started) {
                    Thread.yield(); // each writer gets going before its close races it
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(20, 150));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                writer.close();
            }
        }, runnable -> new Thread(runnable).start());

        Map<Long, Integer> next = new HashMap<>();
        List<AssertionError> errors = new ArrayList<>();
        io.vela.transport.MessageHandler account = m -> {
            Tick t = (Tick) m;
            int expected = next.getOrDefault(t.instrument, 0);
            if (t.level != expected) {
                errors.add(new AssertionError("writer " + t.instrument + ": got " + t.level + ", expected " + expected));
            }
            next.put(t.instrument, t.level + 1);
        };
        IpcReader first = ch.reader(IpcChildMain.codec());
        long switchAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextInt(10, 100));
        while (System.nanoTime() < switchAt) {
            first.poll(account, 64);
        }
        first.close(); // mid-stream: the rest stays in the ring for the next reader
        try (IpcReader second = ch.reader(IpcChildMain.codec())) {
            while (!closer.isDone() || second.poll(account, 256) > 0) {
                second.poll(account, 256);
            }
            closer.get(10, TimeUnit.SECONDS);
            for (int w = 0; w < WRITERS; w++) {
                int sent = loops.get(w).get(10, TimeUnit.SECONDS);
                assertEquals(sent, writers.get(w).acceptedCount());
            }
            while (second.poll(account, 256) > 0) {
                // drain
            }
        }
        assertTrue(errors.isEmpty(), errors.toString());
        for (int w = 0; w < WRITERS; w++) {
            int sent = loops.get(w).get();
            assertTrue(sent > 0, "writer " + w + " sent nothing");
            assertEquals(sent, next.getOrDefault((long) w, 0), "writer " + w + " accepted vs read");
        }
    }
}
