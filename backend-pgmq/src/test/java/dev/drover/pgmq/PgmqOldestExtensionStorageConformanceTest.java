package dev.drover.pgmq;

import java.nio.file.Path;

/**
 * The storage rules on the oldest pgmq Drover supports that the server has (1.5: headers, but no last_read_at),
 * when that is not the newest one, which the full extension-mode kit runs on. Skipped, saying why, otherwise.
 */
class PgmqOldestExtensionStorageConformanceTest extends PgmqStorageKit {
    @Override
    protected String storageUrl(Path tempDir) {
        return PgTestDatabase.extensionUrlOrSkip(PgTestDatabase.PgmqVersion.OLDEST_SUPPORTED);
    }
}
