package io.vela.bench.channels;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.agrona.concurrent.IdleStrategy;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * JMH state for one channel subject in one case ({@link #channelCase}): the channel, made once per trial, and one
 * receiver thread that takes everything and counts it per sender. The JMH threads are the senders; each invocation
 * sends {@link #BATCH} tokens, waiting (as the case says) while the channel is full. What is sent is at most {@link
 * #CAPACITY} ahead of what is received, so sent tokens per second is the channel's throughput.
 *
 * <p>At the end of the trial every token is accounted for: the receiver must have taken exactly what each sender
 * sent, else the trial fails (lost or duplicated tokens).
 */
@State(Scope.Benchmark)
public abstract class ChannelState {
    /** Tokens per benchmark invocation. */
    public static final int BATCH = 1000;
    /** Slots of every subject's channel. */
    public static final int CAPACITY = 1024;
    private static final int STRIDE = 16;
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The case's name ({@link ChannelCase#caseName()}). */
    @Param({"spsc", "mpsc-2p", "spsc-parked"})
    public String channelCase;

    private final ChannelSubject.Factory factory;
    private ChannelCase kind;
    private int senders;
    private ChannelSubject subject;
    private Token[] tokens;
    private IdleStrategy[] senderIdle;
    private long[] sent;
    /** Slot {@code (2 * sender + 1) * STRIDE}: sent; {@code (2 * sender + 2) * STRIDE}: received. */
    private AtomicLongArray counts;
    private Thread receiver;
    private volatile boolean running;
    private volatile Throwable failure;

    ChannelState(ChannelSubject.Factory factory) {
        this.factory = factory;
    }

    /**
     * Makes the channel and starts the receiver.
     *
     * @param params the run's parameters: its thread count must be the case's sender count
     */
    @Setup(Level.Trial)
    public void start(BenchmarkParams params) {
        kind = ChannelCase.of(channelCase);
        senders = kind.senders;
        if (params.getThreads() != senders) {
            throw new IllegalArgumentException("channel case " + channelCase + " needs " + senders
                    + " JMH thread(s) (-t " + senders + "), not " + params.getThreads());
        }
        subject = factory.create(senders, CAPACITY, kind.blocking);
        tokens = new Token[senders];
        senderIdle = new IdleStrategy[senders];
        for (int i = 0; i < senders; i++) {
            tokens[i] = new Token(i);
            senderIdle[i] = kind.idle.newIdleStrategy();
        }
        sent = new long[senders * STRIDE];
        counts = new AtomicLongArray((2 * senders + 1) * STRIDE);
        running = true;
        receiver = new Thread(this::receive, "bench-channel-receiver");
        receiver.setDaemon(true);
        receiver.start();
    }

    /**
     * Waits until every token sent has been received, stops the receiver, closes the channel and fails the trial
     * if a token was lost or duplicated or the receiver failed.
     *
     * @throws InterruptedException if interrupted while kind for the receiver
     */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_NANOS;
        while (totalReceived() < totalSent() && failure == null && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        running = false;
        if (kind.blocking && failure == null) {
            subject.put(Token.STOP, kind.idle.newIdleStrategy());
        }
        receiver.join(TimeUnit.NANOSECONDS.toMillis(DRAIN_NANOS));
        if (receiver.isAlive()) {
            receiver.interrupt();
        }
        subject.close();
        if (failure != null) {
            throw new IllegalStateException("the receiver failed", failure);
        }
        for (int s = 0; s < senders; s++) {
            long out = counts.get((2 * s + 1) * STRIDE);
            long in = counts.get((2 * s + 2) * STRIDE);
            if (in != out) {
                throw new IllegalStateException("sender " + s + " sent " + out + " tokens, the receiver took " + in
                        + (in < out ? " (lost)" : " (duplicated)"));
            }
        }
    }

    /**
     * Sends {@link #BATCH} tokens from the calling JMH thread. Not inlined, so that it is compiled once, early.
     *
     * @param tp the caller's JMH thread parameters (its index is its sender id)
     * @throws InterruptedException if a blocking send is interrupted
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void send(ThreadParams tp) throws InterruptedException {
        int s = tp.getThreadIndex();
        Token token = tokens[s];
        IdleStrategy idle = senderIdle[s];
        ChannelSubject subj = subject;
        if (kind.blocking) {
            for (int i = 0; i < BATCH; i++) {
                subj.put(token, idle);
            }
        } else {
            for (int i = 0; i < BATCH; i++) {
                if (!subj.offer(token)) {
                    do {
                        idle.idle();
                    } while (!subj.offer(token));
                    idle.reset();
                }
            }
        }
        long n = sent[s * STRIDE] + BATCH;
        sent[s * STRIDE] = n;
        counts.lazySet((2 * s + 1) * STRIDE, n);
    }

    private void receive() {
        long[] taken = new long[senders];
        IdleStrategy idle = kind.idle.newIdleStrategy();
        try {
            if (kind.blocking) {
                for (Token t = subject.take(idle); t != Token.STOP; t = subject.take(idle)) {
                    long n = ++taken[t.sender];
                    counts.lazySet((2 * t.sender + 2) * STRIDE, n);
                }
                return;
            }
            while (true) {
                int n = 0;
                for (Token t = subject.poll(); t != null; t = n < CAPACITY ? subject.poll() : null) {
                    taken[t.sender]++;
                    n++;
                }
                if (n > 0) {
                    for (int s = 0; s < senders; s++) {
                        counts.lazySet((2 * s + 2) * STRIDE, taken[s]);
                    }
                } else if (!running) {
                    return;
                }
                idle.idle(n);
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    private long totalSent() {
        long n = 0;
        for (int s = 0; s < senders; s++) {
            n += counts.get((2 * s + 1) * STRIDE);
        }
        return n;
    }

    private long totalReceived() {
        long n = 0;
        for (int s = 0; s < senders; s++) {
            n += counts.get((2 * s + 2) * STRIDE);
        }
        return n;
    }
}
