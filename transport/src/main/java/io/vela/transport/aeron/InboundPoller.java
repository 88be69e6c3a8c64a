package io.vela.transport.aeron;

import java.util.Arrays;
import org.agrona.concurrent.Agent;

/**
 * The agent that polls every subscription of a transport, on one thread (an Agrona {@code AgentRunner}).
 * Subscriptions are added and removed from any thread (copy on write); polling allocates nothing.
 */
final class InboundPoller implements Agent {
    private final int fragmentLimit;
    private volatile AeronSubscription[] subscriptions = new AeronSubscription[0];

    InboundPoller(int fragmentLimit) {
        this.fragmentLimit = fragmentLimit;
    }

    synchronized void add(AeronSubscription s) {
        AeronSubscription[] a = Arrays.copyOf(subscriptions, subscriptions.length + 1);
        a[a.length - 1] = s;
        subscriptions = a;
    }

    synchronized void remove(AeronSubscription s) {
        subscriptions = Arrays.stream(subscriptions).filter(x -> x != s).toArray(AeronSubscription[]::new);
    }

    AeronSubscription[] snapshot() {
        return subscriptions;
    }

    @Override
    public int doWork() {
        int work = 0;
        for (AeronSubscription s : subscriptions) {
            work += s.poll(fragmentLimit);
        }
        return work;
    }

    @Override
    public String roleName() {
        return "vela-aeron-poller";
    }
}
