package dev.drover.pgmq;

import dev.drover.conformance.workflow.WorkflowContract;

import java.nio.file.Path;

/** The workflow rules in extension mode, where the pgmq extension is installed; skipped, saying why, where it is not. */
class PgmqExtensionWorkflowConformanceTest extends WorkflowContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return PgTestDatabase.extensionUrlOrSkip();
    }
}
