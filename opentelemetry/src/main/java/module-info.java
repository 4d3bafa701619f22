/**
 * Tracing for Drover with OpenTelemetry ({@code dev.drover.opentelemetry.DroverTracing}): a producer span per push, the
 * trace context carried in each task's metadata, and a consumer span around each run of a handler. Built on the
 * OpenTelemetry API only; the application brings the SDK (or an agent) that records and exports spans.
 */
module dev.drover.opentelemetry {
    requires transitive dev.drover.api;
    requires transitive io.opentelemetry.api;     // DroverTracing.bind takes an OpenTelemetry
    requires transitive io.opentelemetry.context; // Builder.propagator takes a TextMapPropagator

    exports dev.drover.opentelemetry;
}
