package dev.drover.libsql;

import dev.drover.conformance.WorkerContract;

import java.nio.file.Path;

/** The whole kit in remote mode: Hrana over HTTP to a real tursodb server (one shared by the test JVM). */
class RemoteWorkerConformanceTest extends WorkerContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return TursoTestServer.shared().remoteUrl();
    }
}
