package dev.drover.pgmq;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;
import java.sql.Connection;

/** The whole kit in extension mode, where the pgmq extension is installed; skipped, saying why, where it is not. */
class PgmqExtensionStorageConformanceTest extends StorageContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return PgTestDatabase.extensionUrlOrSkip();
    }

    @Override
    protected Connection callerConnection(Path tempDir) throws Exception {
        return PgTestDatabase.connect(PgTestDatabase.extensionUrlOrSkip());
    }

    @Override
    protected Connection otherDatabaseConnection(Path tempDir) throws Exception {
        return PgTestDatabase.connectToAnotherDatabase(PgTestDatabase.extensionUrlOrSkip());
    }
}
