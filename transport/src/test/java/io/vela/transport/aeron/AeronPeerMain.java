package io.vela.transport.aeron;

import io.vela.engine.RingRejectedException;
import io.vela.engine.VelaConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The second JVM of {@link AeronTwoJvmTest} (a test main: it talks to the parent through stdout and stdin).
 *
 * <ul>
 *   <li>{@code send CHANNEL STREAM N THREADS CLOSE_AT}: THREADS threads send the ids 0..N-1 (as Longs, each id by
 *       one thread) under {@code block}; when CLOSE_AT sends have been accepted, the publisher is closed while
 *       the threads go on sending. Prints {@code ACCEPTED <base64 bitset>}, {@code REFUSED n}, {@code DROPPED n},
 *       then waits for stdin to close.</li>
 *   <li>{@code echo LISTEN REPLY STREAM}: sends every Long it receives on LISTEN back on REPLY; prints
 *       {@code DIR <its driver directory>} and {@code READY} once the reply stream is connected; runs until stdin closes or it is killed.</li>
 * </ul>
 */
public final class AeronPeerMain {
    private AeronPeerMain() {
    }

    /** @param args see the class comment */
    public static void main(String[] args) throws Exception {
        VelaConfig config = AeronTestSupport.config().build();
        try (AeronTransport t = AeronTransport.start(config)) {
            if (args[0].equals("send")) {
                send(t, args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]));
            } else {
                echo(t, args[1], args[2], Integer.parseInt(args[3]));
            }
            waitForStdinToClose();
        }
        System.exit(0);
    }

    private static void send(AeronTransport t, String channel, int stream, int n, int threads, int closeAt)
            throws InterruptedException {
        AeronPublisher pub = t.publisher(channel, stream, new TestCodec(), BackPressurePolicy.BLOCK);
        long end = System.nanoTime() + 10_000_000_000L;
        while (!pub.isConnected() && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<BitSet> sets = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            BitSet mine = new BitSet(n);
            sets.add(mine);
            int first = k;
            Thread s = new Thread(() -> {
                for (int id = first; id < n; id += threads) {
                    try {
                        pub.send((long) id);
                        mine.set(id);
                        if (accepted.incrementAndGet() == closeAt) {
                            pub.close(); // racing the other senders
                        }
                    } catch (RingRejectedException e) {
                        refused.incrementAndGet();
                    }
                }
            });
            senders.add(s);
            s.start();
        }
        BitSet all = new BitSet(n);
        for (int k = 0; k < threads; k++) {
            senders.get(k).join();
            all.or(sets.get(k));
        }
        pub.close(); // waits (close-linger-ms) for accepted messages to leave; idempotent
        System.out.println("ACCEPTED " + Base64.getEncoder().encodeToString(all.toByteArray()));
        System.out.println("REFUSED " + refused.get());
        System.out.println("DROPPED " + pub.dropped());
        System.out.flush();
    }

    private static void echo(AeronTransport t, String listen, String reply, int stream) throws InterruptedException {
        AeronPublisher back = t.publisher(reply, stream, new TestCodec(), BackPressurePolicy.BLOCK);
        t.subscribe(listen, stream, new TestCodec(), back::send);
        long end = System.nanoTime() + 10_000_000_000L;
        while (!back.isConnected() && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        System.out.println("DIR " + t.aeronDirectory()); // for the parent to remove if it kills this JVM
        System.out.println(back.isConnected() ? "READY" : "NOT-CONNECTED");
        System.out.flush();
    }

    private static void waitForStdinToClose() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // until the parent closes our stdin
        }
    }
}
