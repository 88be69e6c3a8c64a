package io.vela.transport.ipc;

import io.vela.engine.OverflowPolicy;
import io.vela.transport.codec.Tick;
import io.vela.transport.codec.WireMessageCodec;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The second process of the cross-process tests. {@code write PATH WRITER COUNT} sends COUNT ticks (instrument =
 * WRITER, level = sequence from 0; COUNT -1: until killed); {@code publish PATH COUNT} broadcasts COUNT ticks.
 */
public final class IpcChildMain {
    private IpcChildMain() {
    }

    static WireMessageCodec codec() {
        return WireMessageCodec.builder().register(Tick.class, 8).build();
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[1]);
        if (args[0].equals("write")) {
            long writer = Long.parseLong(args[2]);
            long count = Long.parseLong(args[3]);
            IpcChannel channel = IpcChannel.builder(path).capacity(IpcChannelTest.CAPACITY)
                    .overflowPolicy(OverflowPolicy.BLOCK_TIMEOUT).sendTimeout(Duration.ofSeconds(20)).build();
            try (IpcWriter w = channel.writer(codec())) {
                Tick tick = new Tick();
                for (int i = 0; count < 0 || i < count; i++) {
                    tick.instrument = writer;
                    tick.level = i;
                    w.send(tick);
                }
            }
        } else if (args[0].equals("publish")) {
            long count = Long.parseLong(args[2]);
            try (BroadcastPublisher p = IpcBroadcast.of(path, BroadcastTest.CAPACITY).publisher(codec())) {
                Tick tick = new Tick();
                for (int i = 0; i < count; i++) {
                    tick.level = i;
                    p.offer(tick);
                }
            }
        } else if (args[0].equals("read")) {
            IpcChannel channel = IpcChannel.builder(path).capacity(IpcChannelTest.CAPACITY).build();
            try (IpcReader r = channel.reader(codec())) {
                while (true) { // until killed
                    r.poll(m -> { }, 256);
                    Thread.sleep(1);
                }
            }
        } else {
            throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
