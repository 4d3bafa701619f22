package dev.drover.libsql;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/** The whole kit in local mode: a libSQL/SQLite file through sqlite-jdbc. */
class LocalStorageConformanceTest extends StorageContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return "libsql:" + tempDir.resolve("kit.db");
    }

    @Override
    protected Connection callerConnection(Path tempDir) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + tempDir.resolve("kit.db"));
    }

    @Override
    protected Connection otherDatabaseConnection(Path tempDir) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + tempDir.resolve("other.db"));
    }
}
