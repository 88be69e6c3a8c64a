package io.vela.bench.transport;

import io.vela.transport.codec.WireMessageCodec;
import io.vela.transport.ipc.IpcChannel;
import io.vela.transport.ipc.IpcReader;
import io.vela.transport.ipc.IpcWriter;
import java.nio.file.Path;

/**
 * The second process of case {@code ipc}: reads ring A, answers every message whose level is negative on ring B,
 * and stops on level {@link Integer#MIN_VALUE} or when its parent process is gone. Waits by spinning, then
 * yielding.
 */
public final class IpcEcho {
    private IpcEcho() {
    }

    static WireMessageCodec codec() {
        return WireMessageCodec.builder().register(BenchTick.class, 1).build();
    }

    static IpcChannel channel(Path path) {
        return IpcChannel.builder(path).capacity(1 << 20).build();
    }

    /**
     * @param args ring A's path, ring B's path
     */
    public static void main(String[] args) {
        boolean[] stop = {false};
        try (IpcReader in = channel(Path.of(args[0])).reader(codec());
             IpcWriter out = channel(Path.of(args[1])).writer(codec())) {
            BenchTick hello = new BenchTick();
            hello.level = -2;
            out.send(hello);
            ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
            long idle = 0;
            while (!stop[0]) {
                int n = in.poll(m -> {
                    BenchTick t = (BenchTick) m;
                    if (t.level == Integer.MIN_VALUE) {
                        stop[0] = true;
                    } else if (t.level < 0) {
                        out.send(t);
                    }
                }, 256);
                if (n > 0) {
                    idle = 0;
                } else if (++idle > 100) {
                    Thread.yield();
                    if ((idle & 0xFFFFF) == 0 && parent != null && !parent.isAlive()) {
                        return;
                    }
                }
            }
        }
    }
}
