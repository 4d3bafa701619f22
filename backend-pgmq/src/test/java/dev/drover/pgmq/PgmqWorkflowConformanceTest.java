package dev.drover.pgmq;

import dev.drover.conformance.workflow.WorkflowContract;

import java.nio.file.Path;

/** The workflow rules (conformance-tests/WORKFLOW-SPEC.md) in plain-SQL mode on the test PostgreSQL. */
class PgmqWorkflowConformanceTest extends WorkflowContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return PgTestDatabase.plainUrl();
    }
}
