/**
 * Bounded channels: typed hand-off between threads on preallocated Agrona array queues, with close semantics, a
 * wait strategy per channel and {@link io.vela.engine.channel.Channels#select() select} over several channels. See
 * {@link io.vela.engine.channel.Channel} and {@code docs/channels.md}; the design is ADR 0007.
 */
package io.vela.engine.channel;
