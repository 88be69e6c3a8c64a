package io.vela.engine.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding before the channel's state word, so that senders writing it share no cache line with other fields. */
abstract class ChannelPadBefore {
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}

/**
 * The channel's state word, written by every send: the number of sends started (low bits), whether a receiver is
 * parked waiting ({@link #RECV_WAITING}) and whether the channel is closed ({@link #CLOSED}). One atomic add per
 * send both checks for close and learns whether to wake a receiver (ADR 0007).
 */
abstract class ChannelState extends ChannelPadBefore {
    static final long CLOSED = 1L << 62;
    static final long RECV_WAITING = 1L << 61;
    static final long COUNT = RECV_WAITING - 1;
    static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ChannelState.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile long state;
}

/** Padding after the state word. */
abstract class ChannelPadAfter extends ChannelState {
    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;
}
