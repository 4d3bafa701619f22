package dev.drover.pgmq;

import java.nio.file.Path;

/** The whole kit on plain-SQL mode: Drover's own PGMQ-layout tables on a stock PostgreSQL. */
class PgmqStorageConformanceTest extends PgmqStorageKit {
    @Override
    protected String storageUrl(Path tempDir) {
        return PgTestDatabase.plainUrl();
    }
}
