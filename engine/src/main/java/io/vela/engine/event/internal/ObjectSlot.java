package io.vela.engine.event.internal;

/**
 * A slot of the default topic's ring: holds a reference to an object event. The reference stays until the slot is
 * reused, so the ring keeps at most its capacity in events reachable.
 */
final class ObjectSlot {
    Object event;
}
