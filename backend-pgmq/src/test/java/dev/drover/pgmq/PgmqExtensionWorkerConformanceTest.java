package dev.drover.pgmq;

import dev.drover.conformance.WorkerContract;

import java.nio.file.Path;

/** The whole kit in extension mode, where the pgmq extension is installed; skipped, saying why, where it is not. */
class PgmqExtensionWorkerConformanceTest extends WorkerContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return PgTestDatabase.extensionUrlOrSkip();
    }
}
