package io.vela.engine.actor;

/**
 * A lifecycle event delivered to a behaviour's signal handler: {@link PreStart}, {@link PostStop},
 * {@link PreRestart}, {@link Terminated}.
 */
public sealed interface Signal permits PreStart, PostStop, PreRestart, Terminated {
}
