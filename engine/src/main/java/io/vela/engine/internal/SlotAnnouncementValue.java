package io.vela.engine.internal;

/**
 * The announced position of a {@link SlotAnnouncement}, with 64 bytes of padding before it (this class's superclass)
 * and after it (the subclass), as Agrona and the Disruptor pad their counters: its worker stores to it once per task,
 * so it must not share a cache line with anything another thread reads or writes per task (issue #12).
 */
abstract class SlotAnnouncementPad {
    @SuppressWarnings("unused")
    private long p1, p2, p3, p4, p5, p6, p7, p8;
}

/** The field itself; see {@link SlotAnnouncementPad}. Written only through {@link SlotAnnouncement}'s handle. */
abstract class SlotAnnouncementValue extends SlotAnnouncementPad {
    /** The slot announced, or below -1 once frozen ({@code Long.MIN_VALUE + slot + 1}). */
    long position = -1;
}
