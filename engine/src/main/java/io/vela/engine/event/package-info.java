/**
 * Vela's event bus: typed publish-subscribe on multicast rings. One publish, many subscribers, each reading the
 * same preallocated ring slot; no per-subscriber queue and no copy. See {@link io.vela.engine.event.EventBus}.
 */
package io.vela.engine.event;
