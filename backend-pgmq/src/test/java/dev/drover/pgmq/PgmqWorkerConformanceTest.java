package dev.drover.pgmq;

import dev.drover.conformance.WorkerContract;

import java.nio.file.Path;

/** The whole kit on plain-SQL mode: Drover's own PGMQ-layout tables on a stock PostgreSQL. */
class PgmqWorkerConformanceTest extends WorkerContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return PgTestDatabase.plainUrl();
    }
}
