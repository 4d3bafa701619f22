package dev.drover.libsql;

import dev.drover.conformance.workflow.WorkflowContract;

import java.nio.file.Path;

/** The workflow rules (conformance-tests/WORKFLOW-SPEC.md) on remote mode, against the shared tursodb server. */
class RemoteWorkflowConformanceTest extends WorkflowContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return TursoTestServer.shared().remoteUrl();
    }
}
