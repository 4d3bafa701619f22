package dev.drover.dashboard;

import java.nio.file.Path;

/** The browser rules on a SQLite file. */
class SqliteDashboardBrowserTest extends DashboardBrowserContract {
    @Override
    String storage(Path dir) {
        return TestStorages.sqlite(dir);
    }

    @Override
    String name() {
        return "sqlite";
    }
}
