package io.vela.engine.event;

/**
 * Sees events that no subscription's type matched (dead events); each is also counted in
 * {@link TopicStats#dead()}. Called on the topic's first bus consumer thread; must not throw (what it throws is
 * logged) and should return quickly. For a preallocated topic the event is the ring slot: copy what you need.
 */
@FunctionalInterface
public interface DeadEventHandler {
    /**
     * @param topic the topic's name
     * @param event the event nobody subscribed to
     */
    void onDeadEvent(String topic, Object event);
}
