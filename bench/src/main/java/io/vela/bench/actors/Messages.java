package io.vela.bench.actors;

/** The messages both subjects share: those that carry no actor reference. */
final class Messages {
    private Messages() {
    }

    /** A counted message from one sender. */
    record Count(int sender) {
    }

    /** The answer to a ping. */
    enum Pong { PONG }

    /** The answer to an ask request. */
    enum Reply { REPLY }

    /**
     * @param senders how many senders
     * @return one preallocated message per sender, indexed by sender
     */
    static Count[] counts(int senders) {
        Count[] messages = new Count[senders];
        for (int i = 0; i < senders; i++) {
            messages[i] = new Count(i);
        }
        return messages;
    }
}
