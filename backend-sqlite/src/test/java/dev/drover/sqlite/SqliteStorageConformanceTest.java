package dev.drover.sqlite;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;

/** The conformance kit's storage rules (conformance-tests/SPEC.md, S1-S32) on a real SQLite file per test. */
class SqliteStorageConformanceTest extends StorageContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return "sqlite:" + tempDir.resolve("kit.db");
    }
}
