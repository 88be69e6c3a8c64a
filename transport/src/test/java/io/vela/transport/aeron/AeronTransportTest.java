package io.vela.transport.aeron;

import static io.vela.transport.aeron.AeronTestSupport.awaitQuietly;
import static io.vela.transport.aeron.AeronTestSupport.sleep;
import static io.vela.transport.aeron.AeronTestSupport.await;
import static io.vela.transport.aeron.AeronTestSupport.config;
import static io.vela.transport.aeron.AeronTestSupport.freePort;
import static io.vela.transport.aeron.AeronTestSupport.start;
import static io.vela.transport.aeron.AeronTestSupport.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vela.engine.OfferResult;
import io.vela.engine.RingClosedException;
import io.vela.engine.RingFullException;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaConfigException;
import io.vela.transport.codec.CodecException;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One JVM: streams over IPC and loopback UDP, the back-pressure policies, failures, close. */
@Timeout(30)
class AeronTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static String channel(String kind) {
        return switch (kind) {
            case "ipc" -> "aeron:ipc";
            case "multicast" -> "aeron:udp?endpoint=239.255.70.1:" + freePort() + "|interface=127.0.0.1|ttl=0";
            default -> udp(freePort());
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"ipc", "udp", "multicast"})
    void everyMessageArrivesOnceInOrder(String kind) {
        Assumptions.assumeTrue(!kind.equals("multicast") || AeronTestSupport.loopbackMulticastWorks(),
                "multicast on the loopback interface is not available here");
        int n = 20_000;
        try (AeronTransport t = start(config().set(AeronSettings.OVERFLOW, BackPressurePolicy.BLOCK))) {
            String ch = channel(kind);
            ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
            AeronSubscription sub = t.subscribe(ch, 7, new TestCodec(), got::add);
            AeronPublisher pub = t.publisher(ch, 7, new TestCodec());
            await("connected", WAIT, pub::isConnected);
            for (long i = 0; i < n; i++) {
                pub.send(i);
            }
            await("all received", WAIT, () -> got.size() == n);
            long expected = 0;
            for (Object o : got) {
                assertThat(o).isEqualTo(expected++);
            }
            assertThat(pub.sent()).isEqualTo(n);
            assertThat(sub.received()).isEqualTo(n);
            assertThat(sub.failures()).isZero();
            assertThat(sub.peersAvailable()).isEqualTo(1);
        }
    }

    @Test
    void notConnectedFollowsEachPolicyAndIsCounted() {
        String ch = udp(freePort()); // nobody subscribes
        try (AeronTransport t = start(config().set(AeronSettings.BLOCK_TIMEOUT_MS, 100L))) {
            AeronPublisher fail = t.publisher(ch, 1, new TestCodec(), BackPressurePolicy.FAIL_FAST);
            assertThatThrownBy(() -> fail.send(1L)).isInstanceOfSatisfying(RingFullException.class,
                    e -> assertThat(e.result()).isEqualTo(OfferResult.FULL))
                    .hasMessageContaining("not connected").hasMessageContaining(ch);
            assertThat(fail.trySend(2L)).isEqualTo(OfferResult.FULL);
            assertThat(fail.refused()).isEqualTo(1);
            assertThat(fail.notConnected()).isEqualTo(2);
            assertThat(fail.sent()).isZero();

            AeronPublisher drop = t.publisher(ch, 2, new TestCodec(), BackPressurePolicy.DROP);
            drop.send(1L);
            drop.send(2L);
            assertThat(drop.dropped()).isEqualTo(2);
            assertThat(drop.refused()).isZero();

            AeronPublisher timeout = t.publisher(ch, 3, new TestCodec(), BackPressurePolicy.BLOCK_TIMEOUT);
            long start = System.nanoTime();
            assertThatThrownBy(() -> timeout.send(1L)).isInstanceOf(RingFullException.class)
                    .hasMessageContaining("block-timeout 100 ms");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
            assertThat(timeout.refused()).isEqualTo(1);
        }
    }

    @Test
    void backPressureUnderFailFastIsReportedAndNothingAcceptedIsLost() {
        try (AeronTransport t = start(config())) {
            AtomicLong got = new AtomicLong();
            CountDownLatch release = new CountDownLatch(1);
            t.subscribe("aeron:ipc", 3, new TestCodec(), m -> {
                awaitQuietly(release);
                got.incrementAndGet();
            });
            AeronPublisher pub = t.publisher("aeron:ipc", 3, new TestCodec(), BackPressurePolicy.FAIL_FAST);
            await("connected", WAIT, pub::isConnected);
            long accepted = 0;
            long full = 0;
            for (long i = 0; i < 20_000 && full < 10; i++) { // a 64 KiB term: the window fills long before 20k
                try {
                    pub.send(i);
                    accepted++;
                } catch (RingFullException e) {
                    full++;
                }
            }
            assertThat(full).isEqualTo(10);
            assertThat(pub.backPressured()).isGreaterThanOrEqualTo(10);
            release.countDown();
            long sent = accepted;
            await("every accepted message delivered", WAIT, () -> got.get() == sent);
            assertThat(pub.sent()).isEqualTo(accepted);
            assertThat(pub.refused()).isEqualTo(full);
        }
    }

    @Test
    void blockWaitsOutASlowReceiverWithoutLoss() {
        int n = 30_000;
        try (AeronTransport t = start(config())) {
            AtomicLong got = new AtomicLong();
            t.subscribe("aeron:ipc", 4, new TestCodec(), m -> {
                if (got.incrementAndGet() % 5_000 == 0) {
                    sleep(20); // slow now and then: the sender meets back-pressure
                }
            });
            AeronPublisher pub = t.publisher("aeron:ipc", 4, new TestCodec(), BackPressurePolicy.BLOCK);
            await("connected", WAIT, pub::isConnected);
            for (long i = 0; i < n; i++) {
                pub.send(i);
            }
            await("all delivered", WAIT, () -> got.get() == n);
            assertThat(pub.backPressured()).isPositive();
            assertThat(pub.refused()).isZero();
        }
    }

    @Test
    void builderSetsPolicyTimeoutAndSingleWriter() {
        try (AeronTransport t = start(config())) {
            ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
            t.subscribe("aeron:ipc", 11, new TestCodec(), got::add);
            AeronPublisher one = t.publisherBuilder("aeron:ipc", 11, new TestCodec()).singleWriter(true)
                    .policy(BackPressurePolicy.BLOCK).build();
            await("connected", WAIT, one::isConnected);
            for (long i = 0; i < 1_000; i++) {
                one.send(i);
            }
            await("received", WAIT, () -> got.size() == 1_000);
            assertThat(got).containsExactlyElementsOf(range(1_000));
            assertThat(one.policy()).isEqualTo(BackPressurePolicy.BLOCK);
            AeronPublisher quick = t.publisherBuilder(udp(freePort()), 12, new TestCodec())
                    .policy(BackPressurePolicy.BLOCK_TIMEOUT).blockTimeout(Duration.ofMillis(30)).build();
            long start = System.nanoTime();
            assertThatThrownBy(() -> quick.send(1L)).isInstanceOf(RingFullException.class)
                    .hasMessageContaining("block-timeout 30 ms");
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
        }
    }

    @Test
    void closeWakesABlockedSender() throws Exception {
        try (AeronTransport t = start(config())) {
            AeronPublisher pub = t.publisher(udp(freePort()), 5, new TestCodec(), BackPressurePolicy.BLOCK);
            ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
            Thread sender = new Thread(() -> {
                try {
                    pub.send(1L);
                } catch (Throwable e) {
                    thrown.add(e);
                }
            });
            sender.start();
            await("sender waiting", WAIT, () -> pub.notConnected() > 3);
            pub.close();
            sender.join(5_000);
            assertThat(sender.isAlive()).isFalse();
            assertThat(thrown).singleElement().isInstanceOf(RingClosedException.class);
            assertThatThrownBy(() -> pub.send(2L)).isInstanceOf(RingClosedException.class);
            assertThat(pub.trySend(3L)).isEqualTo(OfferResult.CLOSED);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ipc", "udp"})
    void closingTheTransportWhileThreadsSendEndsEverySendOneWayOrTheOther(String kind) throws Exception {
        AeronTransport t = start(config().set(AeronSettings.CLOSE_LINGER_MS, 200L));
        String ch = channel(kind);
        AtomicLong received = new AtomicLong();
        t.subscribe(ch, 13, new TestCodec(), m -> received.incrementAndGet());
        AeronPublisher pub = t.publisher(ch, 13, new TestCodec(), BackPressurePolicy.BLOCK);
        await("connected", WAIT, pub::isConnected);
        AtomicLong accepted = new AtomicLong();
        AtomicLong closedRefusals = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> senders = new java.util.ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Thread s = new Thread(() -> {
                for (long i = 0; ; i++) {
                    try {
                        pub.send(i);
                        accepted.incrementAndGet();
                    } catch (RingClosedException e) {
                        closedRefusals.incrementAndGet();
                        return;
                    } catch (Throwable e) {
                        unexpected.add(e);
                        return;
                    }
                }
            });
            senders.add(s);
            s.start();
        }
        await("sending", WAIT, () -> accepted.get() > 5_000);
        t.close();
        for (Thread s : senders) {
            s.join(5_000);
            assertThat(s.isAlive()).isFalse();
        }
        assertThat(unexpected).isEmpty();
        assertThat(closedRefusals.get()).isEqualTo(3);
        assertThat(pub.sent()).isEqualTo(accepted.get());
        assertThat(received.get()).isLessThanOrEqualTo(accepted.get()).isPositive();
        assertThat(new File(t.aeronDirectory())).doesNotExist();
    }

    @Test
    void throwingHandlerAndUndecodableRecordsAreCountedAndTheStreamGoesOn() {
        try (AeronTransport t = start(config().set(AeronSettings.OVERFLOW, BackPressurePolicy.BLOCK))) {
            ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
            AeronSubscription sub = t.subscribe("aeron:ipc", 6, new TestCodec(), m -> {
                if (m.equals(13L)) {
                    throw new IllegalStateException("unlucky");
                }
                got.add(m);
            });
            AeronPublisher pub = t.publisher("aeron:ipc", 6, new TestCodec());
            await("connected", WAIT, pub::isConnected);
            for (long i = 0; i < 20; i++) {
                pub.send(i);
                if (i == 5) {
                    pub.send(TestCodec.POISON);
                }
            }
            await("all handled", WAIT, () -> sub.received() == 21);
            assertThat(sub.failures()).isEqualTo(2); // 13 threw, poison did not decode
            assertThat(got).hasSize(19).doesNotContain(13L);
        }
    }

    @Test
    void unencodableAndNullMessagesAreRefusedBeforeSending() {
        try (AeronTransport t = start(config())) {
            AeronPublisher pub = t.publisher("aeron:ipc", 8, new TestCodec(), BackPressurePolicy.DROP);
            assertThatThrownBy(() -> pub.send(3.5)).isInstanceOf(CodecException.class)
                    .hasMessageContaining("java.lang.Double");
            assertThatThrownBy(() -> pub.send(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> pub.send("x".repeat(70_000))).isInstanceOf(RuntimeException.class);
            assertThat(pub.sent()).isZero();
            assertThat(pub.dropped()).isZero();
        }
    }

    @Test
    void aHandlerThatNeverReturnsDoesNotHoldCloseForever() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean testOver = new AtomicBoolean();
        AeronTransport t = start(config().set(AeronSettings.CLOSE_LINGER_MS, 200L));
        t.subscribe("aeron:ipc", 9, new TestCodec(), m -> {
            entered.countDown();
            while (!testOver.get()) { // never returns while the transport closes; freed after, not to burn a core
                Thread.onSpinWait(); // ignores interrupts
            }
        });
        try {
            AeronPublisher pub = t.publisher("aeron:ipc", 9, new TestCodec(), BackPressurePolicy.BLOCK);
            await("connected", WAIT, pub::isConnected);
            pub.send(1L);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            t.close();
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(8));
            assertThatThrownBy(() -> t.publisher("aeron:ipc", 9, new TestCodec()))
                    .isInstanceOf(RingClosedException.class);
        } finally {
            testOver.set(true);
        }
    }

    @Test
    void embeddedDriverDirectoryIsRemovedOnClose() {
        AeronTransport t = start(config());
        File dir = new File(t.aeronDirectory());
        assertThat(t.embeddedDriver()).isTrue();
        assertThat(dir).isDirectory();
        assertThat(dir.getParentFile()).isEqualTo(new File(System.getProperty("java.io.tmpdir")).getAbsoluteFile());
        t.close();
        t.close(); // idempotent
        assertThat(dir).doesNotExist();
    }

    @Test
    void externalDriverByConfiguration() {
        try (AeronTransport owner = start(config())) {
            VelaConfig external = config().set(AeronSettings.DRIVER, DriverMode.EXTERNAL)
                    .set(AeronSettings.DIR, owner.aeronDirectory()).build();
            try (AeronTransport t = AeronTransport.start(external)) {
                assertThat(t.embeddedDriver()).isFalse();
                ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
                t.subscribe("aeron:ipc", 10, new TestCodec(), got::add);
                AeronPublisher pub = owner.publisher("aeron:ipc", 10, new TestCodec(), BackPressurePolicy.BLOCK);
                await("connected", WAIT, pub::isConnected);
                pub.send("hello");
                await("received", WAIT, () -> got.contains("hello"));
            }
            assertThat(new File(owner.aeronDirectory())).isDirectory(); // not ours to delete
        }
    }

    @Test
    void anUnreachableExternalDriverFailsWithTheDirectory() {
        VelaConfig external = config().set(AeronSettings.DRIVER, DriverMode.EXTERNAL)
                .set(AeronSettings.DIR, System.getProperty("java.io.tmpdir") + "/vela-no-driver-here")
                .set("transport.aeron.peer-timeout-ms", "500").build();
        assertThatThrownBy(() -> AeronTransport.start(external)).isInstanceOf(
                io.vela.transport.TransportException.class).hasMessageContaining("vela-no-driver-here")
                .hasMessageContaining("transport.aeron.driver=embedded");
    }

    @Test
    void badSettingsNameTheKeyAndTheValidValues() {
        assertThatThrownBy(() -> VelaConfig.builder().set("transport.aeron.driver", "remote").build())
                .isInstanceOf(VelaConfigException.class).hasMessageContaining("transport.aeron.driver")
                .hasMessageContaining("remote").hasMessageContaining("embedded, external");
        assertThatThrownBy(() -> VelaConfig.builder().set("transport.aeron.overflow", "caller-runs").build())
                .hasMessageContaining("fail-fast, block, block-timeout, drop");
        VelaConfig odd = VelaConfig.builder().set(AeronSettings.TERM_LENGTH, 100_000).build();
        assertThatThrownBy(() -> AeronTransport.start(odd)).isInstanceOf(VelaConfigException.class)
                .hasMessageContaining("transport.aeron.term-length = 100000");
        assertThat(new AeronSettings().settings()).extracting(s -> s.key()).allMatch(k -> k.startsWith(
                "transport.aeron.")).contains("transport.aeron.threading-mode", "transport.aeron.idle-strategy");
    }

    @Test
    void badChannelNamesIt() {
        try (AeronTransport t = start(config())) {
            assertThatThrownBy(() -> t.publisher("aeron:tcp?endpoint=x", 1, new TestCodec()))
                    .isInstanceOf(io.vela.transport.TransportException.class).hasMessageContaining("aeron:tcp");
            assertThatThrownBy(() -> t.subscribe("not-a-uri", 1, new TestCodec(), m -> { }))
                    .isInstanceOf(io.vela.transport.TransportException.class).hasMessageContaining("not-a-uri");
        }
    }


    static List<Long> range(long n) {
        return java.util.stream.LongStream.range(0, n).boxed().toList();
    }
}
