/**
 * {@link java.util.concurrent.Flow} interop for channels: a channel read as a {@code Flow.Publisher}
 * ({@link io.vela.engine.channel.flow.ChannelFlow#publisher}) and fed by a {@code Flow.Subscriber}
 * ({@link io.vela.engine.channel.flow.ChannelFlow#subscriber}). Both pass the Reactive Streams TCK 1.0.4.
 */
package io.vela.engine.channel.flow;
