package io.vela.transport;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread that polls a {@link MessageSource} and hands what arrives to a {@link MessageHandler}: an Agrona agent
 * on an {@code AgentRunner}, waiting with an {@code IdleStrategy} when the source is empty.
 *
 * <p>Threads: the handler runs on the pump's thread only; {@link #close()} from any thread (also from the handler)
 * returns within about a second even when the handler never returns: the thread is then interrupted and left to
 * end on its own. Only {@link #close()} stops the pump: an interrupt flag a handler leaves set is cleared.
 * Allocation: none per poll beyond the source's.
 */
public final class MessagePump implements Agent, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessagePump.class);
    private static final int BATCH = 256;
    private static final long CLOSE_WAIT_MS = 1_000;

    private final MessageSource source;
    private final MessageHandler handler;
    private final String name;
    private volatile boolean stopping;
    private volatile Thread thread;

    private MessagePump(MessageSource source, MessageHandler handler, String name) {
        this.source = source;
        this.handler = handler;
        this.name = name;
    }

    /**
     * @param source        what to poll
     * @param handler       receives each message, on the pump's thread
     * @param idle          how the thread waits when the source is empty
     * @param threadFactory makes the thread
     * @param name          the thread's name
     * @return the running pump
     */
    public static MessagePump start(MessageSource source, MessageHandler handler, IdleStrategy idle,
            ThreadFactory threadFactory, String name) {
        MessagePump pump = new MessagePump(Objects.requireNonNull(source, "source"),
                Objects.requireNonNull(handler, "handler"), Objects.requireNonNull(name, "name"));
        AgentRunner runner = new AgentRunner(Objects.requireNonNull(idle, "idle"),
                t -> {
                    if (!(t instanceof AgentTerminationException)) {
                        LOG.error("{} failed", name, t);
                    }
                }, null, pump);
        AgentRunner.startOnThread(runner, r -> {
            Thread t = threadFactory.newThread(r);
            t.setName(name);
            pump.thread = t;
            return t;
        });
        return pump;
    }

    @Override
    public int doWork() {
        if (stopping) {
            throw new AgentTerminationException();
        }
        int n = source.poll(handler, BATCH);
        if (Thread.interrupted() && !stopping) {
            // a handler restored its interrupt flag: Agrona's runner would end the thread on the next empty poll
            // and every idle strategy would stop waiting; the pump is stopped by close() alone
            LOG.debug("{}: cleared an interrupt flag a handler left set", name);
        }
        return n;
    }

    @Override
    public String roleName() {
        return name;
    }

    /** @return true while the pump's thread runs */
    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Stops the thread after the message in hand. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("{}: the handler did not return within {} ms of close; interrupting it", name, CLOSE_WAIT_MS);
            t.interrupt();
        }
    }
}
