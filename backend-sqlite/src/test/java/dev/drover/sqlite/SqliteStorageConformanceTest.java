package dev.drover.sqlite;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;
import java.sql.Connection;

/** The conformance kit's storage rules (conformance-tests/SPEC.md, S1-S37) on a real SQLite file per test. */
class SqliteStorageConformanceTest extends StorageContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return "sqlite:" + tempDir.resolve("kit.db");
    }

    @Override
    protected Connection callerConnection(Path tempDir) throws Exception {
        return Tasks.jdbc(tempDir.resolve("kit.db"));
    }

    @Override
    protected Connection otherDatabaseConnection(Path tempDir) throws Exception {
        return Tasks.jdbc(tempDir.resolve("other.db"));
    }
}
