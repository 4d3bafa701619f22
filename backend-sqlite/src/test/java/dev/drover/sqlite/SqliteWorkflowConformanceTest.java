package dev.drover.sqlite;

import dev.drover.conformance.workflow.WorkflowContract;

import java.nio.file.Path;

/** The conformance kit's workflow rules (conformance-tests/WORKFLOW-SPEC.md, F1-F9): the workflow engine on a real SQLite file per test. */
class SqliteWorkflowConformanceTest extends WorkflowContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return "sqlite:" + tempDir.resolve("kit.db");
    }
}
