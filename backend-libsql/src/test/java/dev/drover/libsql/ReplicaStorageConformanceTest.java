package dev.drover.libsql;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;

/**
 * The whole kit on an embedded replica: writes and claims on a real tursodb primary (shared by the test JVM), reads
 * from a replica file of the test's own, pulled before every read (maxStaleness=0) so reads see other processes'
 * writes at once; other processes in a rule open the same URL, so they share that file.
 */
class ReplicaStorageConformanceTest extends StorageContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return TursoTestServer.shared().remoteUrl() + "&replica=" + tempDir.resolve("replica.db") + "&syncInterval=1s&maxStaleness=0";
    }
}
