package io.vela.transport.aeron;

import static io.vela.transport.aeron.AeronTestSupport.awaitQuietly;
import static io.vela.transport.aeron.AeronTestSupport.sleep;
import static io.vela.transport.aeron.AeronTestSupport.await;
import static io.vela.transport.aeron.AeronTestSupport.config;
import static io.vela.transport.aeron.AeronTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aeron.CncFileDescriptor;
import io.vela.engine.OfferResult;
import io.vela.transport.TransportException;
import io.vela.transport.codec.CodecException;
import java.io.File;
import java.nio.file.Path;
import io.vela.engine.RingClosedException;
import io.vela.engine.RingFullException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Paths found by review: handlers that misbehave towards the poller, closes from awkward places. */
@Timeout(20)
class AeronReviewTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /**
     * A handler that catches an InterruptedException and restores its flag, as Java's guidelines say, leaves the
     * poller thread interrupted; Agrona's AgentRunner stops its loop on an interrupted thread with no work, so every
     * subscription of the transport would go silent.
     */
    @Test
    void aHandlerThatRestoresItsInterruptFlagDoesNotStopThePoller() {
        try (AeronTransport t = start(config())) {
            ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
            t.subscribe("aeron:ipc", 21, new TestCodec(), m -> {
                got.add(m);
                if (Long.valueOf(1L).equals(m)) {
                    Thread.currentThread().interrupt(); // e.g. restored after catching InterruptedException
                }
            });
            AeronPublisher pub = t.publisher("aeron:ipc", 21, new TestCodec(), BackPressurePolicy.BLOCK);
            await("connected", WAIT, pub::isConnected);
            pub.send(1L);
            await("first message", WAIT, () -> got.size() == 1);
            sleep(100); // the poller goes idle with the flag set
            pub.send(2L);
            await("a message sent after the handler set its interrupt flag", WAIT, () -> got.size() == 2,
                    () -> "got " + got);
        }
    }

    /** A subscription closed from inside its own handler gets no further message ("stops delivery"). */
    @Test
    void aSubscriptionClosedFromItsOwnHandlerReceivesNothingMore() throws Exception {
        try (AeronTransport t = start(config())) {
            CountDownLatch backlog = new CountDownLatch(1);
            AtomicInteger afterClose = new AtomicInteger();
            AtomicBoolean closedIt = new AtomicBoolean();
            AtomicReference<AeronSubscription> self = new AtomicReference<>();
            AtomicReference<Throwable> closeFailure = new AtomicReference<>();
            CountDownLatch closed = new CountDownLatch(1);
            AeronSubscription sub = t.subscribe("aeron:ipc", 22, new TestCodec(), m -> {
                if (closedIt.get()) {
                    afterClose.incrementAndGet();
                    return;
                }
                try {
                    backlog.await(5, TimeUnit.SECONDS); // let the sender queue more messages behind this one
                    closedIt.set(true);
                    await("subscription known", WAIT, () -> self.get() != null);
                    self.get().close();
                } catch (Throwable e) {
                    closeFailure.set(e);
                } finally {
                    closed.countDown();
                }
            });
            self.set(sub);
            AeronPublisher pub = t.publisher("aeron:ipc", 22, new TestCodec(), BackPressurePolicy.BLOCK);
            await("connected", WAIT, pub::isConnected);
            for (long i = 0; i < 20; i++) {
                pub.send(i);
            }
            backlog.countDown();
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(closeFailure.get()).isNull();
            sleep(200);
            assertThat(afterClose.get()).as("messages handed to a handler after it closed its subscription")
                    .isZero();
        }
    }

    /**
     * {@code ActorRef.tell} to an actor that cannot be reached any more returns normally (a local ref's messages go
     * to the dead letters); only a full mailbox throws. A remote ref after its {@code RemoteActors} (or transport)
     * closed must not throw either: an actor replying to a remote ref would otherwise fail and be restarted.
     */
    @Test
    void aRemoteActorRefAfterCloseDoesNotThrowFromTell() {
        AeronTransport t = start(config());
        try {
            RemoteActors remote = t.remoteActors("aeron:ipc", 23, new TestCodec());
            RemoteActorRef<Long> ref = remote.ref("/user/orders");
            remote.close();
            assertThatCode(() -> ref.tell(1L)).doesNotThrowAnyException();
            assertThat(ref.tryTell(2L)).isEqualTo(OfferResult.CLOSED);
            assertThat(remote.publisher().refused()).as("the tell after close is counted").isEqualTo(1);
            RemoteActorRef<Long> later = t.remoteActors("aeron:ipc", 24, new TestCodec()).ref("/user/x");
            t.close();
            assertThatCode(() -> later.tell(3L)).doesNotThrowAnyException();
        } finally {
            t.close();
        }
    }

    /**
     * Two embedded transports configured with the same directory: the second must not wipe the first's live driver
     * directory (Aeron's own start refuses a directory with an active driver); it fails naming the directory, and
     * the first keeps its driver's files.
     */
    @Test
    void aSecondEmbeddedDriverDoesNotWipeALiveDriversDirectory(@TempDir Path tmp) {
        String dir = tmp.resolve("shared-driver").toString();
        try (AeronTransport first = start(config().set(AeronSettings.DIR, dir))) {
            File cnc = new File(dir, CncFileDescriptor.CNC_FILE);
            long created = cnc.lastModified();
            assertThat(cnc).exists();
            AeronTransport second = null;
            try {
                second = start(config().set(AeronSettings.DIR, dir));
            } catch (TransportException expected) {
                assertThat(expected).hasMessageContaining(dir);
            } finally {
                if (second != null) {
                    second.close();
                }
            }
            assertThat(second).as("a second driver started in a live driver's directory").isNull();
            assertThat(cnc).exists();
            assertThat(cnc.lastModified()).isEqualTo(created);
            ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
            first.subscribe("aeron:ipc", 26, new TestCodec(), got::add);
            AeronPublisher pub = first.publisher("aeron:ipc", 26, new TestCodec(), BackPressurePolicy.BLOCK);
            await("connected", WAIT, pub::isConnected);
            pub.send(5L);
            await("delivered by the first transport", WAIT, () -> got.contains(5L));
        }
    }

    /**
     * An actor path longer than the send buffer (max-message-bytes) is refused with a clear error, not an
     * IndexOutOfBoundsException from the middle of a send.
     */
    @Test
    void anActorPathThatCannotFitTheSendBufferIsRefusedClearly() {
        try (AeronTransport t = start(config().set(AeronSettings.MAX_MESSAGE_BYTES, 64))) {
            RemoteActors remote = t.remoteActors("aeron:ipc", 27, new TestCodec());
            String path = "/user/" + "a".repeat(80);
            assertThatThrownBy(() -> remote.<Long>ref(path).tell(1L))
                    .isInstanceOfAny(IllegalArgumentException.class, CodecException.class)
                    .hasMessageContaining("64");
            RemoteActorRef<Long> fits = remote.ref("/user/b");
            assertThatCode(() -> fits.tryTell(1L)).doesNotThrowAnyException(); // the publisher still works
        }
    }

    /**
     * A handler that closes its own transport (a "shut down" message): the close runs on the poller thread, so it
     * must not wait for the poller to stop or for that poller to read what the transport's publishers sent, and
     * must finish the job (client closed, directory removed).
     */
    @Test
    void aHandlerThatClosesItsOwnTransport() throws Exception {
        AeronTransport t = start(config());
        try {
            CountDownLatch done = new CountDownLatch(1);
            AtomicLong tookNs = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            t.subscribe("aeron:ipc", 28, new TestCodec(), m -> {
                long start = System.nanoTime();
                try {
                    t.close();
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    tookNs.set(System.nanoTime() - start);
                    done.countDown();
                }
            });
            AeronPublisher pub = t.publisher("aeron:ipc", 28, new TestCodec(), BackPressurePolicy.BLOCK);
            await("connected", WAIT, pub::isConnected);
            pub.send(1L);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(failure.get()).isNull();
            assertThat(t.isClosed()).isTrue();
            await("the close finished off the poller thread: directory removed", WAIT,
                    () -> !new File(t.aeronDirectory()).exists());
            assertThat(TimeUnit.NANOSECONDS.toMillis(tookNs.get())).as("close from the poller, ms").isLessThan(1_500);
        } finally {
            t.close();
        }
    }

    /** Fills the stream's window (the subscriber's handler is held) with trySend; returns how many were taken. */
    private static long fill(AeronPublisher pub) {
        long n = 0;
        while (pub.trySend(n) == OfferResult.ACCEPTED) {
            n++;
        }
        return n;
    }

    /**
     * "trySend never waits": not even behind another sender of the same publisher that is blocked on a
     * back-pressured stream (it holds the publisher's lock while it waits).
     */
    @Test
    void trySendDoesNotWaitBehindABlockedSender() throws Exception {
        try (AeronTransport t = start(config())) {
            CountDownLatch release = new CountDownLatch(1);
            t.subscribe("aeron:ipc", 29, new TestCodec(), m -> awaitQuietly(release));
            AeronPublisher pub = t.publisher("aeron:ipc", 29, new TestCodec(), BackPressurePolicy.BLOCK);
            await("connected", WAIT, pub::isConnected);
            try {
                assertThat(fill(pub)).isPositive();
                Thread blocked = new Thread(() -> {
                    try {
                        pub.send(-1L);
                    } catch (RingClosedException expected) {
                        // the transport closes at the end of the test
                    }
                }, "blocked-sender");
                blocked.setDaemon(true);
                blocked.start();
                await("the sender waits", WAIT, () -> blocked.getState() == Thread.State.TIMED_WAITING
                        || pub.backPressured() > 3);
                sleep(50);
                ExecutorService ex = Executors.newSingleThreadExecutor();
                try {
                    Future<OfferResult> r = ex.submit(() -> pub.trySend(-2L));
                    assertThat(r.get(1, TimeUnit.SECONDS)).isEqualTo(OfferResult.FULL);
                } catch (TimeoutException e) {
                    throw new AssertionError("trySend waited more than 1 s behind a blocked sender", e);
                } finally {
                    ex.shutdownNow();
                }
            } finally {
                release.countDown();
            }
        }
    }

    /**
     * Under block-timeout each send gives up after block-timeout-ms from its own start: several senders of one
     * publisher must not queue on its lock, each waiting out the previous one's timeout before its own.
     */
    @Test
    void blockTimeoutBoundsEverySenderNotJustTheFirst() throws Exception {
        try (AeronTransport t = start(config().set(AeronSettings.BLOCK_TIMEOUT_MS, 300L))) {
            CountDownLatch release = new CountDownLatch(1);
            t.subscribe("aeron:ipc", 30, new TestCodec(), m -> awaitQuietly(release));
            AeronPublisher pub = t.publisher("aeron:ipc", 30, new TestCodec(), BackPressurePolicy.BLOCK_TIMEOUT);
            await("connected", WAIT, pub::isConnected);
            int senders = 3;
            ExecutorService ex = Executors.newFixedThreadPool(senders);
            try {
                assertThat(fill(pub)).isPositive();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Long>> took = new ArrayList<>();
                for (int i = 0; i < senders; i++) {
                    took.add(ex.submit(() -> {
                        go.await();
                        long start = System.nanoTime();
                        assertThatThrownBy(() -> pub.send(-1L)).isInstanceOf(RingFullException.class);
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    }));
                }
                go.countDown();
                long longest = 0;
                for (Future<Long> f : took) {
                    longest = Math.max(longest, f.get(5, TimeUnit.SECONDS));
                }
                // queued on the lock, the third sender would wait out two timeouts before its own: 900 ms or more;
                // the margin below that is for a busy machine
                assertThat(longest).as("ms the longest of %d sends waited (block-timeout 300 ms each)", senders)
                        .isLessThan(850);
                assertThat(pub.refused()).isEqualTo(senders);
            } finally {
                release.countDown();
                ex.shutdownNow();
            }
        }
    }

    /**
     * A message larger than one UDP frame (MTU) is fragmented and reassembled whole; one larger than the send
     * buffer (max-message-bytes, capped by Aeron at term-length / 8) is refused by the codec before anything is
     * sent, and the stream goes on.
     */
    @Test
    void fragmentedMessagesArriveWholeAndOversizedOnesAreRefusedBeforeSending() {
        try (AeronTransport t = start(config())) { // 64 KiB terms: at most 8 KiB a message
            String ch = AeronTestSupport.udp(AeronTestSupport.freePort());
            ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
            AeronSubscription sub = t.subscribe(ch, 31, new TestCodec(), got::add);
            AeronPublisher pub = t.publisher(ch, 31, new TestCodec(), BackPressurePolicy.BLOCK);
            await("connected", WAIT, pub::isConnected);
            String big = "x".repeat(6_000); // > one 1408-byte frame
            pub.send(big);
            assertThatThrownBy(() -> pub.send("y".repeat(9_000))).isInstanceOf(CodecException.class);
            pub.send(7L);
            await("both delivered", WAIT, () -> got.size() == 2, () -> "got " + got.size());
            assertThat(got).containsExactly(big, 7L);
            assertThat(sub.failures()).isZero();
            assertThat(pub.sent()).isEqualTo(2);
        }
    }

    /**
     * A stream at the end of its positions (Aeron's MAX_POSITION_EXCEEDED, reached here by starting the last term
     * of the stream through the channel URI) is closed for every policy: sends refuse with RingClosedException
     * (even under drop, and without spinning under block), trySend answers CLOSED.
     */
    @Test
    void maxPositionExceededIsClosedForEveryPolicy() {
        try (AeronTransport t = start(config())) {
            String ch = "aeron:ipc?term-length=65536|init-term-id=0|term-id=2147483647|term-offset=0";
            for (BackPressurePolicy policy : BackPressurePolicy.values()) {
                int stream = 32 + policy.ordinal();
                t.subscribe("aeron:ipc", stream, new TestCodec(), m -> { });
                AeronPublisher pub = t.publisher(ch, stream, new TestCodec(), policy);
                await("connected", WAIT, pub::isConnected);
                long accepted = 0;
                OfferResult r;
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while ((r = pub.trySend(accepted)) != OfferResult.CLOSED && System.nanoTime() - end < 0) {
                    if (r == OfferResult.ACCEPTED) {
                        accepted++;
                    } else {
                        Thread.onSpinWait(); // back-pressured: the subscriber catches up
                    }
                }
                assertThat(r).as(policy + ": the last term filled").isEqualTo(OfferResult.CLOSED);
                assertThat(accepted).isPositive();
                long start = System.nanoTime();
                assertThatThrownBy(() -> pub.send(-1L)).as(policy.name())
                        .isInstanceOf(RingClosedException.class);
                assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
            }
        }
    }

    /**
     * After close nothing of the transport is left: no thread it started (driver, client conductor, poller) and no
     * mapping of its driver's files (cnc, term buffers) in this process.
     */
    @Test
    void closeLeavesNoThreadsAndNoMappedFiles() throws Exception {
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        AeronTransport t = start(config());
        String dir = t.aeronDirectory();
        try {
            String ch = AeronTestSupport.udp(AeronTestSupport.freePort());
            t.subscribe(ch, 33, new TestCodec(), m -> { });
            t.subscribe("aeron:ipc", 33, new TestCodec(), m -> { });
            AeronPublisher udp = t.publisher(ch, 33, new TestCodec(), BackPressurePolicy.BLOCK);
            AeronPublisher ipc = t.publisher("aeron:ipc", 33, new TestCodec(), BackPressurePolicy.BLOCK);
            await("connected", WAIT, () -> udp.isConnected() && ipc.isConnected());
            udp.send(1L);
            ipc.send(2L);
            assertThat(mappingsOf(dir)).isNotEmpty(); // the probe sees the files while open
        } finally {
            t.close();
        }
        await("threads of the transport ended", WAIT, () -> started(before).isEmpty(),
                () -> started(before).toString());
        assertThat(mappingsOf(dir)).as("mappings of " + dir + " after close").isEmpty();
        assertThat(new File(dir)).doesNotExist();
    }

    private static java.util.List<String> started(java.util.Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(th -> !before.contains(th) && th.isAlive())
                .map(Thread::getName).filter(n -> !n.startsWith("ForkJoinPool")).toList();
    }

    private static java.util.List<String> mappingsOf(String dir) throws java.io.IOException {
        Path maps = Path.of("/proc/self/maps");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(maps), "no /proc/self/maps");
        return java.nio.file.Files.readAllLines(maps).stream().filter(l -> l.contains(dir)).toList();
    }

    /**
     * A single-writer publisher closed while its one sender sends (the close takes no lock): every send either
     * returned normally and its message arrives exactly once, or was refused with RingClosedException.
     */
    @Test
    void singleWriterCloseRacingItsSenderLosesNothingAccepted() throws Exception {
        try (AeronTransport t = start(config())) {
            for (int round = 0; round < 6; round++) {
                int stream = 100 + round;
                java.util.Set<Long> got = java.util.concurrent.ConcurrentHashMap.newKeySet();
                AtomicLong duplicates = new AtomicLong();
                t.subscribe("aeron:ipc", stream, new TestCodec(), m -> {
                    if (!got.add((Long) m)) {
                        duplicates.incrementAndGet();
                    }
                });
                AeronPublisher pub = t.publisherBuilder("aeron:ipc", stream, new TestCodec())
                        .policy(BackPressurePolicy.BLOCK).singleWriter(true).build();
                await("connected", WAIT, pub::isConnected);
                AtomicLong accepted = new AtomicLong();
                CompletableFuture<Throwable> sender = CompletableFuture.supplyAsync(() -> {
                    for (long i = 0; ; i++) {
                        try {
                            pub.send(i);
                            accepted.incrementAndGet();
                        } catch (Throwable e) {
                            return e;
                        }
                    }
                });
                sleep(5 + round * 3L);
                pub.close();
                assertThat(sender.get(5, TimeUnit.SECONDS)).isInstanceOf(RingClosedException.class);
                long n = accepted.get();
                await("every accepted message delivered", WAIT, () -> got.size() >= n,
                        () -> "round " + got.size() + " of " + n);
                sleep(20);
                assertThat(got).hasSize((int) n);
                assertThat(duplicates.get()).isZero();
                assertThat(got.stream().allMatch(v -> v >= 0 && v < n)).as("exactly 0.." + (n - 1)).isTrue();
            }
        }
    }

    /**
     * The docs' claim "with a codec that does not allocate, a send allocates nothing", for every publisher kind
     * (the lock, the policies' wait): measured on the sending thread.
     */
    @Test
    void aSendAllocatesNothingOnTheSendingThread() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported());
        Long message = 42L;
        try (AeronTransport t = start(config())) {
            int stream = 60;
            for (BackPressurePolicy policy : new BackPressurePolicy[] {BackPressurePolicy.BLOCK_TIMEOUT,
                    BackPressurePolicy.BLOCK}) {
                for (boolean single : new boolean[] {false, true}) {
                    t.subscribe("aeron:ipc", stream, new TestCodec(), m -> { });
                    AeronPublisher pub = t.publisherBuilder("aeron:ipc", stream++, new TestCodec()).policy(policy)
                            .singleWriter(single).build();
                    await("connected", WAIT, pub::isConnected);
                    for (int i = 0; i < 200_000; i++) {
                        pub.send(message); // warm-up: until the send path is compiled
                    }
                    long self = Thread.currentThread().getId();
                    long before = mx.getThreadAllocatedBytes(self);
                    for (int i = 0; i < 100_000; i++) {
                        pub.send(message);
                    }
                    long bytes = mx.getThreadAllocatedBytes(self) - before;
                    assertThat(bytes).as(policy + (single ? " single-writer" : "") + ": bytes for 100000 sends")
                            .isLessThan(1_024);
                }
            }
        }
    }

}
