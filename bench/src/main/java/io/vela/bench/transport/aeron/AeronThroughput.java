package io.vela.bench.transport.aeron;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.vela.engine.VelaConfig;
import io.vela.transport.aeron.AeronIdle;
import io.vela.transport.aeron.AeronPublisher;
import io.vela.transport.aeron.AeronSettings;
import io.vela.transport.aeron.AeronSubscription;
import io.vela.transport.aeron.AeronTransport;
import io.vela.transport.aeron.BackPressurePolicy;
import io.vela.transport.aeron.DriverThreading;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Forked measuring main of the Aeron cases: one embedded driver ({@code shared} threading, {@code backoff} idle),
 * one sending thread (this one) and one receiving thread, as fast as they go; subjects {@code vela}
 * ({@link AeronPublisher#send} under {@code block}, an {@link AeronSubscription} decoding with a codec) and
 * {@code aeron-raw} (an exclusive publication offered by hand, retried with the same idle strategy, a subscription
 * polled by an {@code AgentRunner} with a {@code FragmentAssembler}). Subjects alternate (which goes first
 * alternates too), {@code rounds} times each after one uncounted warm-up round each (without it the first
 * subject measured carries the JIT's warm-up: raw Aeron against itself read 0.6x); each prints the median of its
 * rounds (on a shared 2-core machine a single round can be off by 3x either way; the rounds go to stderr). The
 * vela publisher is single-writer (one sending thread, no lock), as the raw one is.
 *
 * <p>Arguments: {@code udp|ipc warmMs measureMs rounds}. Prints
 * {@code RESULT <subject> <msgs_per_sec> <sender_alloc_bytes_per_msg> <receiver_cpu_ns_per_msg>}; the last is the
 * receiving thread's CPU time per message received, a figure the other processes on the machine disturb less
 * than throughput (the receiver is kept busy by a back-pressured sender, so it is mostly the cost of delivery).
 */
public final class AeronThroughput {
    private static final String[] SUBJECTS = {"vela", "aeron-raw"};

    private AeronThroughput() {
    }

    /** @param args {@code udp|ipc warmMs measureMs rounds} */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        long warmMs = Long.parseLong(args[1]);
        long measureMs = Long.parseLong(args[2]);
        int rounds = Integer.parseInt(args[3]);
        VelaConfig config = VelaConfig.builder()
                .set(AeronSettings.THREADING, DriverThreading.SHARED)
                .set(AeronSettings.IDLE, AeronIdle.BACKOFF)
                .set(AeronSettings.CLOSE_LINGER_MS, 0L)
                .build();
        double[][] rates = new double[2][rounds];
        double[][] allocs = new double[2][rounds];
        double[][] recvCpu = new double[2][rounds];
        try (AeronTransport transport = AeronTransport.start(config);
                Aeron raw = Aeron.connect(new Aeron.Context().aeronDirectoryName(transport.aeronDirectory()))) {
            int stream = 100;
            for (int r = -1; r < rounds; r++) { // round -1 warms both subjects up (JIT) and is not counted
                for (int k = 0; k < 2; k++) {
                    int s = (r + 2 + k) % 2; // alternate which subject goes first
                    String channel = mode.equals("ipc") ? "aeron:ipc" : "aeron:udp?endpoint=127.0.0.1:" + freePort();
                    double[] m = s == 0 ? vela(transport, channel, stream++, warmMs, measureMs)
                            : raw(raw, channel, stream++, warmMs, measureMs);
                    if (r < 0) {
                        continue;
                    }
                    rates[s][r] = m[0];
                    allocs[s][r] = m[1];
                    recvCpu[s][r] = m[2];
                    System.err.printf(Locale.ROOT, "round %d %s %.0f msgs/s%n", r, SUBJECTS[s], m[0]);
                }
            }
        }
        for (int s = 0; s < 2; s++) {
            System.out.printf(Locale.ROOT, "RESULT %s %.0f %.2f %.1f%n", SUBJECTS[s], median(rates[s]),
                    median(allocs[s]), median(recvCpu[s]));
        }
        System.exit(0);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double[] vela(AeronTransport t, String channel, int stream, long warmMs, long measureMs) {
        AtomicLong received = new AtomicLong();
        long[] seen = {0};
        AeronSubscription sub = t.subscribe(channel, stream, new BenchFrame.Codec(), m -> {
            seen[0] = ((BenchFrame) m).seq; // read the message as a user would
            received.lazySet(received.get() + 1);
        });
        AeronPublisher pub = t.publisherBuilder(channel, stream, new BenchFrame.Codec())
                .policy(BackPressurePolicy.BLOCK).singleWriter(true).build();
        try {
            awaitConnected(pub::isConnected);
            BenchFrame f = new BenchFrame();
            return drive(received, thread("vela-aeron-poller"), warmMs, measureMs, () -> {
                f.seq++;
                pub.send(f);
            });
        } finally {
            pub.close();
            sub.close();
        }
    }

    private static double[] raw(Aeron aeron, String channel, int stream, long warmMs, long measureMs) {
        AtomicLong received = new AtomicLong();
        BenchFrame seen = new BenchFrame();
        Subscription sub = aeron.addSubscription(channel, stream);
        FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) -> {
            BenchFrame.read(buffer, offset, seen); // the same work as the vela subject's decode
            received.lazySet(received.get() + 1);
        });
        AgentRunner poller = new AgentRunner(AeronIdle.BACKOFF.newIdleStrategy(), Throwable::printStackTrace, null,
                new org.agrona.concurrent.Agent() {
                    @Override
                    public int doWork() {
                        return sub.poll(assembler, 64);
                    }

                    @Override
                    public String roleName() {
                        return "raw-poller";
                    }
                });
        AgentRunner.startOnThread(poller);
        Publication pub = aeron.addExclusivePublication(channel, stream);
        UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(BenchFrame.LENGTH));
        IdleStrategy idle = AeronIdle.BACKOFF.newIdleStrategy();
        long[] seq = {0};
        try {
            awaitConnected(pub::isConnected);
            return drive(received, thread("raw-poller"), warmMs, measureMs, () -> {
                BenchFrame.write(buffer, 0, ++seq[0], 1, 2, 3);
                idle.reset();
                while (pub.offer(buffer, 0, BenchFrame.LENGTH) < 0) {
                    idle.idle();
                }
            });
        } finally {
            pub.close();
            poller.close();
            sub.close();
        }
    }

    /**
     * Sends until the end of warm-up plus measurement; returns {received msgs/s, sender bytes/msg, receiving
     * thread's CPU ns/msg}.
     */
    private static double[] drive(AtomicLong received, long receiver, long warmMs, long measureMs,
            Runnable sendOne) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long measureAt = start + warmMs * 1_000_000;
        long end = measureAt + measureMs * 1_000_000;
        while (System.nanoTime() < measureAt) {
            for (int i = 0; i < 256; i++) {
                sendOne.run();
            }
        }
        long r0 = received.get();
        long c0 = threads.getThreadCpuTime(receiver);
        long a0 = threads.getCurrentThreadAllocatedBytes();
        long sent = 0;
        long t0 = System.nanoTime();
        long now;
        do {
            for (int i = 0; i < 256; i++) {
                sendOne.run();
            }
            sent += 256;
            now = System.nanoTime();
        } while (now < end);
        long a1 = threads.getCurrentThreadAllocatedBytes();
        long r1 = received.get();
        long c1 = threads.getThreadCpuTime(receiver);
        return new double[] {(r1 - r0) * 1e9 / (now - t0), (double) (a1 - a0) / sent,
            (double) (c1 - c0) / Math.max(1, r1 - r0)};
    }

    /** @return the id of the live thread named {@code name} */
    private static long thread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t.getId();
            }
        }
        throw new IllegalStateException("no thread " + name);
    }

    private static void awaitConnected(java.util.function.BooleanSupplier connected) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!connected.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("stream not connected within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
