/**
 * Drover's metrics in Micrometer: {@code DroverMetrics.bind(drover, registry)} registers counters, timers and gauges of
 * a Drover's queues and workers, and closing what it returns removes them.
 */
module dev.drover.micrometer {
    requires transitive dev.drover.api;
    requires transitive micrometer.core;
    requires org.slf4j;

    exports dev.drover.micrometer;
}
