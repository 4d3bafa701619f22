package dev.drover.libsql;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;

/** The whole kit in local mode: a libSQL/SQLite file through sqlite-jdbc. */
class LocalStorageConformanceTest extends StorageContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return "libsql:" + tempDir.resolve("kit.db");
    }
}
