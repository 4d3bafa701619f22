package dev.drover.pgmq;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;
import java.sql.Connection;

/**
 * The storage rules on the oldest pgmq Drover supports that the server has (1.5: headers, but no last_read_at),
 * when that is not the newest one, which the full extension-mode kit runs on. Skipped, saying why, otherwise.
 */
class PgmqOldestExtensionStorageConformanceTest extends StorageContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return PgTestDatabase.extensionUrlOrSkip(PgTestDatabase.PgmqVersion.OLDEST_SUPPORTED);
    }

    @Override
    protected Connection callerConnection(Path tempDir) throws Exception {
        return PgTestDatabase.connect(PgTestDatabase.extensionUrlOrSkip(PgTestDatabase.PgmqVersion.OLDEST_SUPPORTED));
    }

    @Override
    protected Connection otherDatabaseConnection(Path tempDir) throws Exception {
        return PgTestDatabase.connectToAnotherDatabase(PgTestDatabase.extensionUrlOrSkip(PgTestDatabase.PgmqVersion.OLDEST_SUPPORTED));
    }
}
