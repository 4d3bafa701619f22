/**
 * Hooks for metrics, tracing and anything else that watches Drover work: an {@link dev.drover.api.instrument.Instrumentation}
 * bound to a {@link dev.drover.api.Drover} ({@link dev.drover.api.Drover#instrument}) sees every push and cancel through
 * its queues, every event of its workers, and wraps every run of a handler on the handler's own thread. The modules
 * {@code drover-micrometer} and {@code drover-opentelemetry} are built on it; an application can bind its own.
 */
package dev.drover.api.instrument;
