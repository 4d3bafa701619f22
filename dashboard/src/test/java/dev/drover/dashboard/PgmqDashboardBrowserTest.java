package dev.drover.dashboard;

import java.nio.file.Path;

/** The browser rules on PostgreSQL (PGMQ, plain mode), in a database of the dashboard tests' own. */
class PgmqDashboardBrowserTest extends DashboardBrowserContract {
    @Override
    String storage(Path dir) {
        return TestStorages.pgmq();
    }

    @Override
    String name() {
        return "pgmq";
    }
}
