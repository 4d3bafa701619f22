package dev.drover.dashboard;

import java.nio.file.Path;

/** The browser rules on a SQLite file. */
class SqliteDashboardBrowserTest extends DashboardBrowserContract {
    @Override
    String storage(Path dir) {
        return TestStorages.sqlite(dir);
    }

    /** A file of its own per test: the queue can have a plain name (the README's screenshots are this test's). */
    @Override
    String queueName() {
        return "emails";
    }

    @Override
    String name() {
        return "sqlite";
    }
}
