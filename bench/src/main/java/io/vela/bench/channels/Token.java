package io.vela.bench.channels;

/** The element sent through every channel: preallocated, one per sender, so that sending allocates nothing. */
final class Token {
    /** The poison token: tells a blocking receiver to stop. */
    static final Token STOP = new Token(-1);

    final int sender;

    /** @param sender the sending thread's index, or -1 for {@link #STOP} */
    Token(int sender) {
        this.sender = sender;
    }
}
