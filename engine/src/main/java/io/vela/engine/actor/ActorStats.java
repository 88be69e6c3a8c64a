package io.vela.engine.actor;

/**
 * One actor's live counters. Reading them takes no lock and allocates nothing; values read together may be from
 * slightly different instants.
 */
public interface ActorStats {
    /** @return the actor's path */
    ActorPath path();

    /** @return the mailbox's capacity (the configured one rounded up to a power of two) */
    int mailboxCapacity();

    /** @return messages that entered the mailbox */
    long received();

    /** @return messages handed to the behaviour (including those whose handler threw) */
    long processed();

    /** @return messages dropped by the overflow policy ({@code DROP_NEWEST}, {@code DROP_OLDEST}) */
    long dropped();

    /** @return messages waiting in the mailbox now */
    long depth();

    /** @return restarts by the supervisor */
    long restarts();
}
