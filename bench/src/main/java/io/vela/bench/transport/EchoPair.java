package io.vela.bench.transport;

import io.vela.engine.OfferResult;
import io.vela.engine.WaitStrategy;
import io.vela.engine.channel.Channel;
import io.vela.engine.channel.ChannelArity;
import io.vela.transport.ipc.IpcReader;
import io.vela.transport.ipc.IpcWriter;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two one-way links to an echo that answers messages with a negative level: {@link #crossProcess()} (two
 * cross-process rings to an {@link IpcEcho} process) or {@link #inProcess()} (two of the engine's in-process
 * channels to an echo thread). Both sides wait by spinning, then yielding. One benchmark thread at a time.
 */
abstract class EchoPair implements AutoCloseable {
    private static final int SPINS = 100;

    abstract void send(BenchTick tick);

    /** @return the next answer, waiting by spinning then yielding; fails after 10 s */
    abstract BenchTick reply();

    static void pause(int spins) {
        if (spins < SPINS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    static EchoPair crossProcess() throws IOException, InterruptedException {
        return new CrossProcess();
    }

    static EchoPair inProcess() {
        return new InProcess();
    }

    /** Subject {@code vela}: rings A (to the echo process) and B (back). */
    private static final class CrossProcess extends EchoPair {
        private final Path dir;
        private final IpcWriter out;
        private final IpcReader in;
        private final Process echo;
        private BenchTick last;
        private final io.vela.transport.MessageHandler onReply = m -> last = (BenchTick) m;

        CrossProcess() throws IOException, InterruptedException {
            dir = Files.createTempDirectory("vela-bench-ipc");
            Path a = dir.resolve("a");
            Path b = dir.resolve("b");
            out = IpcEcho.channel(a).writer(IpcEcho.codec());
            in = IpcEcho.channel(b).reader(IpcEcho.codec());
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home")
                    + File.separator + "bin" + File.separator + "java"));
            for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("--add-") || arg.startsWith("--enable-") || arg.startsWith("--sun-misc")
                        || arg.startsWith("-Dchronicle")) {
                    cmd.add(arg);
                }
            }
            cmd.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), IpcEcho.class.getName(),
                    a.toString(), b.toString()));
            echo = new ProcessBuilder(cmd).inheritIO().start();
            if (reply().level != -2) {
                throw new IllegalStateException("the echo process did not say hello");
            }
        }

        @Override
        void send(BenchTick tick) {
            out.send(tick);
        }

        @Override
        BenchTick reply() {
            last = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int spins = 0; in.poll(onReply, 1) == 0; spins++) {
                pause(spins);
                if ((spins & 1023) == 0 && System.nanoTime() > deadline) {
                    throw new IllegalStateException("no answer from the echo process in 10 s");
                }
            }
            return last;
        }

        @Override
        public void close() throws Exception {
            BenchTick stop = new BenchTick();
            stop.level = Integer.MIN_VALUE;
            out.offer(stop);
            if (!echo.waitFor(5, TimeUnit.SECONDS)) {
                echo.destroyForcibly();
            }
            out.close();
            in.close();
            org.agrona.IoUtil.delete(dir.toFile(), true); // the rings and their hidden reader-lock files
        }
    }

    /** Subject {@code in-process}: two of the engine's one-to-one channels and an echo thread. */
    private static final class InProcess extends EchoPair {
        private final Channel<BenchTick> out = channel("a");
        private final Channel<BenchTick> in = channel("b");
        private final Thread echo;
        private volatile boolean stop;

        private static Channel<BenchTick> channel(String name) {
            return Channel.<BenchTick>builder(name).capacity(1 << 14).arity(ChannelArity.ONE_TO_ONE)
                    .waitStrategy(WaitStrategy.YIELDING).build();
        }

        InProcess() {
            echo = new Thread(() -> {
                for (int spins = 0; !stop; ) {
                    BenchTick t = out.pollOrElse(null);
                    if (t == null) {
                        pause(spins++);
                        continue;
                    }
                    spins = 0;
                    if (t.level < 0) {
                        for (int s = 0; in.trySend(t) != OfferResult.ACCEPTED && !stop; s++) {
                            pause(s);
                        }
                    }
                }
            }, "in-process-echo");
            echo.setDaemon(true);
            echo.start();
        }

        @Override
        void send(BenchTick tick) {
            for (int s = 0; out.trySend(tick) != OfferResult.ACCEPTED; s++) {
                pause(s);
            }
        }

        @Override
        BenchTick reply() {
            BenchTick t;
            for (int spins = 0; (t = in.pollOrElse(null)) == null; spins++) {
                pause(spins);
            }
            return t;
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            echo.join(5_000);
            out.close();
            in.close();
        }
    }
}
