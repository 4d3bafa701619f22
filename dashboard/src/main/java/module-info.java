/**
 * The Drover dashboard: a web UI over a Drover's queues and tasks, and its JSON admin API, served by the JDK's own
 * HTTP server ({@code jdk.httpserver}). Start it with {@link dev.drover.dashboard.DroverDashboard#start}.
 */
module dev.drover.dashboard {
    requires dev.drover.api;
    requires jdk.httpserver;
    requires org.slf4j;

    exports dev.drover.dashboard;
}
