package io.vela.transport.aeron;

import io.vela.engine.VelaConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Shared helpers of the Aeron tests: configurations with short timeouts, free loopback ports, bounded waits. */
final class AeronTestSupport {
    private AeronTestSupport() {
    }

    /**
     * Small terms (fast start, quick back-pressure), the default peer timeout (a shorter one can expire while a
     * loaded 2-core machine starves the driver thread, and Aeron then drops the image with what it held), short
     * linger.
     */
    static VelaConfig.Builder config() {
        return VelaConfig.builder()
                .set(AeronSettings.TERM_LENGTH, 1 << 16)
                .set(AeronSettings.CLOSE_LINGER_MS, 2_000L)
                .set(AeronSettings.BLOCK_TIMEOUT_MS, 2_000L);
    }

    /** {@link #config()} with a 1 s peer timeout, for the tests of a lost peer. */
    static VelaConfig.Builder fastPeerLoss() {
        return config().set(AeronSettings.PEER_TIMEOUT_MS, 1_000L);
    }

    static AeronTransport start(VelaConfig.Builder b) {
        return AeronTransport.start(b.build());
    }

    /** @return a UDP port free on 127.0.0.1 right now */
    static int freePort() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return true when a datagram sent to a multicast group on 127.0.0.1 comes back (a plain JDK probe) */
    static boolean loopbackMulticastWorks() {
        try (MulticastSocket s = new MulticastSocket(0)) {
            InetAddress group = InetAddress.getByName("239.255.70.2");
            NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
            s.setNetworkInterface(lo);
            s.joinGroup(new InetSocketAddress(group, 0), lo);
            s.setSoTimeout(1_000);
            byte[] out = {42};
            s.send(new DatagramPacket(out, 1, group, s.getLocalPort()));
            DatagramPacket in = new DatagramPacket(new byte[1], 1);
            s.receive(in);
            return in.getData()[0] == 42;
        } catch (IOException e) {
            return false;
        }
    }

    static String udp(int port) {
        return "aeron:udp?endpoint=127.0.0.1:" + port;
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, condition, () -> "");
    }

    /** Waits until {@code condition} holds, failing with {@code what} and {@code state} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition,
            java.util.function.Supplier<String> state) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what + " "
                        + state.get());
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    /** Waits for {@code latch} up to 20 s, keeping an interrupt as the flag (handlers call it on the poller). */
    static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sleeps, keeping an interrupt as the flag. */
    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
