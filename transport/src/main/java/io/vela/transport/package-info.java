/**
 * Messages that leave the process: Chronicle Wire codecs ({@code codec}), cross-process rings and broadcast over
 * memory-mapped Agrona buffers ({@code ipc}), and the cross-machine path over Aeron ({@code aeron}).
 *
 * <p>Chronicle Wire needs JVM flags of its own (see the README, "JVM flags"); they are this module's concern alone.
 */
package io.vela.transport;
