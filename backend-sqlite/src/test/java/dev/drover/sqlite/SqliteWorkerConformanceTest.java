package dev.drover.sqlite;

import dev.drover.conformance.WorkerContract;

import java.nio.file.Path;

/** The conformance kit's worker rules (conformance-tests/SPEC.md, W1-W15): the real worker runtime on a real SQLite file per test. */
class SqliteWorkerConformanceTest extends WorkerContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return "sqlite:" + tempDir.resolve("kit.db");
    }
}
