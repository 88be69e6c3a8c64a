package io.vela.engine.event;

/**
 * What a dead-letter sink receives in place of an event that could not be read out of its slot: a lossy
 * subscription's copier threw on it. The slot itself is not passed on, because lossy delivery does not hold
 * publishers back, and they may overwrite it while the sink reads it.
 *
 * @param topic    the topic
 * @param sequence the event's position in the topic's ring
 */
public record UnreadableEvent(String topic, long sequence) {
}
