package io.vela.bench.events;

/**
 * An object event for the buses that carry objects (Guava, Vert.x, Vela's default topic): one allocation per
 * publish.
 *
 * @param publisher who sent it
 * @param sendNanos when it was scheduled to be sent
 */
public record BenchMessage(int publisher, long sendNanos) {
}
