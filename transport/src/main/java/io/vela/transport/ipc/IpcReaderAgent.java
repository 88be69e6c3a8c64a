package io.vela.transport.ipc;

import io.vela.transport.MessageHandler;
import java.util.concurrent.ThreadFactory;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a started {@link IpcReader}: an Agrona agent polling the ring. {@link #close()} returns within
 * about a second even when a handler never returns (the thread is then interrupted and left to end on its own).
 */
final class IpcReaderAgent implements Agent, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IpcReaderAgent.class);
    private static final int BATCH = 256;
    private static final long CLOSE_WAIT_MS = 1_000;

    private final IpcReader reader;
    private final MessageHandler handler;
    private final String name;
    private volatile boolean stopping;
    private volatile Thread thread;
    private AgentRunner runner;

    private IpcReaderAgent(IpcReader reader, MessageHandler handler, String name) {
        this.reader = reader;
        this.handler = handler;
        this.name = name;
    }

    static IpcReaderAgent start(IpcReader reader, MessageHandler handler, IdleStrategy idle, ThreadFactory factory,
            String name) {
        IpcReaderAgent agent = new IpcReaderAgent(reader, handler, name);
        agent.runner = new AgentRunner(idle, t -> LOG.error("{} failed", name, t), null, agent);
        AgentRunner.startOnThread(agent.runner, r -> {
            Thread t = factory.newThread(r);
            t.setName(name);
            agent.thread = t;
            return t;
        });
        return agent;
    }

    @Override
    public int doWork() {
        if (stopping) {
            throw new AgentTerminationException();
        }
        return reader.poll(handler, BATCH);
    }

    @Override
    public String roleName() {
        return name;
    }

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
