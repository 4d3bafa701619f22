package dev.drover.pgmq;

import java.nio.file.Path;

/** The whole kit in extension mode, where the pgmq extension is installed; skipped, saying why, where it is not. */
class PgmqExtensionStorageConformanceTest extends PgmqStorageKit {
    @Override
    protected String storageUrl(Path tempDir) {
        return PgTestDatabase.extensionUrlOrSkip();
    }
}
