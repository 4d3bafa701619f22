package dev.drover.libsql;

import dev.drover.conformance.workflow.WorkflowContract;

import java.nio.file.Path;

/** The workflow rules (conformance-tests/WORKFLOW-SPEC.md) on a local libSQL file. */
class LocalWorkflowConformanceTest extends WorkflowContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return "libsql:" + tempDir.resolve("kit.db");
    }
}
