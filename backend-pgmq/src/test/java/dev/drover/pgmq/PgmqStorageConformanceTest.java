package dev.drover.pgmq;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;
import java.sql.Connection;

/** The whole kit on plain-SQL mode: Drover's own PGMQ-layout tables on a stock PostgreSQL. */
class PgmqStorageConformanceTest extends StorageContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return PgTestDatabase.plainUrl();
    }

    @Override
    protected Connection callerConnection(Path tempDir) throws Exception {
        return PgTestDatabase.connect(PgTestDatabase.plainUrl());
    }

    @Override
    protected Connection otherDatabaseConnection(Path tempDir) throws Exception {
        return PgTestDatabase.connectToAnotherDatabase(PgTestDatabase.plainUrl());
    }
}
