package dev.drover.micrometer;

import java.nio.file.Path;

/** {@link DroverMetrics} on a real SQLite file. */
class SqliteDroverMetricsTest extends DroverMetricsContract {
    @Override
    String url(Path dir) {
        return "sqlite:" + dir.resolve("metrics.db");
    }
}
