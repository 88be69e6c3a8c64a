package io.vela.http.internal;

import io.vela.http.AsyncHttpHandler;
import io.vela.http.RouteOptions;

/**
 * A route as declared on the builder, before the table is built.
 *
 * @param method   upper-case method
 * @param template path template
 * @param handler  the handler
 * @param options  where it runs
 */
public record RouteSpec(String method, String template, AsyncHttpHandler handler, RouteOptions options) {
}
