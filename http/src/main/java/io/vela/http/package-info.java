/**
 * Netty HTTP edge: server, client and middleware feeding requests into the engine's rings.
 * Not built yet; its issue has not arrived. Builds on {@code io.vela.engine}.
 */
package io.vela.http;
