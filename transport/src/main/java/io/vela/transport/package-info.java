/**
 * Transport: Chronicle Wire codecs, cross-process rings and a cross-machine path.
 * Not built yet; its issue has not arrived. Builds on {@code io.vela.engine}.
 */
package io.vela.transport;
