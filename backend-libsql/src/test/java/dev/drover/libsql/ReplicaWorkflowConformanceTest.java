package dev.drover.libsql;

import dev.drover.conformance.workflow.WorkflowContract;

import java.nio.file.Path;

/** The workflow rules (conformance-tests/WORKFLOW-SPEC.md) on an embedded replica of the shared tursodb server. */
class ReplicaWorkflowConformanceTest extends WorkflowContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return TursoTestServer.shared().remoteUrl() + "&replica=" + tempDir.resolve("replica.db") + "&syncInterval=1s&maxStaleness=0";
    }
}
