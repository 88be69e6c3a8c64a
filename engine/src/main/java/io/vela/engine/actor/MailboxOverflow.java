package io.vela.engine.actor;

/** What a {@code tell} to a full mailbox does. Mailboxes are always bounded. */
public enum MailboxOverflow {
    /** Refuse: {@code tryTell} returns {@code FULL}, {@code tell} throws {@code RingFullException}. */
    FAIL,
    /** Drop the new message, counted in {@link ActorStats#dropped()}. */
    DROP_NEWEST,
    /** Evict the oldest message in the mailbox to make room, counted in {@link ActorStats#dropped()}. */
    DROP_OLDEST,
    /**
     * Wait for room up to the block timeout, then throw {@code RingFullException}. A ring worker (or the
     * receiver's own pinned thread) never waits: it is refused at once, since waiting could deadlock the very
     * actor it waits for.
     */
    BLOCK
}
