/**
 * Drover's metrics in Micrometer: {@code DroverMetrics.bind(drover, registry)} registers counters, timers and gauges of
 * a Drover's queues and workers, and closing what it returns removes them.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // micrometer-core is an automatic module (micrometer.core) in 1.17
module dev.drover.micrometer {
    requires transitive dev.drover.api;
    requires transitive micrometer.core; // DroverMetrics.bind takes a MeterRegistry
    requires org.slf4j;

    exports dev.drover.micrometer;
}
