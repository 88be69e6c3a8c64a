package io.vela.transport.aeron;

import static io.vela.transport.aeron.AeronTestSupport.await;
import static io.vela.transport.aeron.AeronTestSupport.config;
import static io.vela.transport.aeron.AeronTestSupport.freePort;
import static io.vela.transport.aeron.AeronTestSupport.start;
import static io.vela.transport.aeron.AeronTestSupport.udp;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two JVMs on loopback UDP: every message accounted for under a racing close, and a killed peer detected, then
 * reconnected when it comes back. The second JVM is {@link AeronPeerMain}, started with this JVM's class path and
 * flags.
 */
@Timeout(45)
class AeronTwoJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void everyMessageIsDeliveredOnceOrRefusedAtTheSenderUnderARacingClose() throws Exception {
        int n = 200_000;
        String channel = udp(freePort());
        BitSet received = new BitSet(n);
        AtomicLong duplicates = new AtomicLong();
        AtomicLong count = new AtomicLong();
        try (AeronTransport t = start(config())) {
            t.subscribe(channel, 40, new TestCodec(), m -> { // the poller thread: a single writer
                int id = (int) (long) (Long) m;
                synchronized (received) {
                    if (received.get(id)) {
                        duplicates.incrementAndGet();
                    }
                    received.set(id);
                }
                count.incrementAndGet();
            });
            try (Peer peer = Peer.start("send", channel, "40", Integer.toString(n), "3",
                    Integer.toString(n / 4))) {
                BitSet accepted = BitSet.valueOf(Base64.getDecoder().decode(peer.expect("ACCEPTED ")));
                long refused = Long.parseLong(peer.expect("REFUSED "));
                long dropped = Long.parseLong(peer.expect("DROPPED "));
                assertThat(accepted.cardinality() + refused + dropped).isEqualTo(n);
                assertThat(accepted.cardinality()).isGreaterThanOrEqualTo(n / 4);
                assertThat(refused).as("sends after the racing close are refused").isPositive();
                await("every accepted message delivered", WAIT, () -> count.get() >= accepted.cardinality());
                Thread.sleep(100); // anything extra would show up as a surplus below
                synchronized (received) {
                    assertThat(duplicates.get()).isZero();
                    assertThat(count.get()).isEqualTo(accepted.cardinality());
                    assertThat(received).isEqualTo(accepted);
                }
            }
        }
    }

    @Test
    void aKilledPeerIsReportedAndReconnectsWhenItComesBack() throws Exception {
        String here = udp(freePort());
        String there = udp(freePort());
        ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Object> echoes = new ConcurrentLinkedQueue<>();
        PeerListener listener = new PeerListener() {
            @Override
            public void onAvailable(PeerEvent e) {
                events.add("up " + e.sessionId());
            }

            @Override
            public void onUnavailable(PeerEvent e) {
                events.add("down " + e.sessionId());
            }
        };
        try (AeronTransport t = start(AeronTestSupport.fastPeerLoss())) {
            AeronSubscription sub = t.subscribe(here, 41, new TestCodec(), echoes::add, listener);
            AeronPublisher pub = t.publisher(there, 41, new TestCodec(), BackPressurePolicy.DROP);
            File firstDir;
            try (Peer first = Peer.start("echo", there, here, "41")) {
                firstDir = new File(first.expect("DIR "));
                assertThat(first.expect("")).isEqualTo("READY");
                await("peer up", WAIT, () -> sub.peersAvailable() == 1 && pub.isConnected());
                pub.send(1L);
                await("echo 1", WAIT, () -> echoes.contains(1L));

                first.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                IoUtil.delete(firstDir, true); // a killed JVM cannot remove its driver's directory
                await("peer lost", WAIT, () -> sub.peersLost() == 1 && !pub.isConnected());
                assertThat(events).hasSize(2).last().asString().startsWith("down ");
                for (long i = 100; i < 110; i++) {
                    pub.send(i); // not connected: dropped and counted, never silently lost
                }
                assertThat(pub.dropped()).isEqualTo(10);
            }
            try (Peer second = Peer.start("echo", there, here, "41")) {
                File secondDir = new File(second.expect("DIR "));
                assertThat(second.expect("")).isEqualTo("READY");
                await("peer back", WAIT, () -> sub.peersAvailable() == 2 && pub.isConnected());
                pub.send(2L);
                await("echo 2", WAIT, () -> echoes.contains(2L));
                assertThat(echoes).containsExactly(1L, 2L);
                assertThat(events).hasSize(3);
                second.close();
                assertThat(secondDir).as("removed by the peer's own close").doesNotExist();
                assertThat(firstDir).doesNotExist();
            }
        }
    }

    /** A second JVM running {@link AeronPeerMain}, its stdout read line by line. */
    private static final class Peer implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private Peer(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("EOF " + e);
                }
            }, "peer-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Peer start(String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            cmd.add("-Xmx256m");
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("--add-") || a.startsWith("--enable-native-access")
                        || a.startsWith("--sun-misc-unsafe") || a.startsWith("-Dchronicle")) {
                    cmd.add(a);
                }
            }
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(AeronPeerMain.class.getName());
            cmd.addAll(List.of(args));
            return new Peer(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        /** @return the rest of the next line starting with {@code prefix} */
        String expect(String prefix) throws InterruptedException {
            String line = lines.poll(20, TimeUnit.SECONDS);
            assertThat(line).as("a line from the peer starting with '" + prefix + "'").isNotNull()
                    .startsWith(prefix);
            return line.substring(prefix.length());
        }

        @Override
        public void close() throws Exception {
            try {
                process.getOutputStream().close(); // the peer exits when its stdin closes
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                process.destroyForcibly();
            }
        }
    }
}
