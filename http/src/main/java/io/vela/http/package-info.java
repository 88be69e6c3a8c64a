/**
 * Netty HTTP edge: a server whose requests reach handlers through the engine's ring executor. Start one with
 * {@link io.vela.http.VelaHttp#server(io.vela.engine.VelaRuntime)}; see {@code docs/http.md} and ADR 0009.
 */
package io.vela.http;
