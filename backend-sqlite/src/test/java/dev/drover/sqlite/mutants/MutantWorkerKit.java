package dev.drover.sqlite.mutants;

import dev.drover.conformance.WorkerContract;

import java.nio.file.Path;

/**
 * The kit's worker suite on the SQLite backend broken as {@link KitMutantsTest#mutation} says. Not a test of its own
 * (its name does not end in Test): {@link KitMutantsTest} runs chosen rules of it.
 */
class MutantWorkerKit extends WorkerContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return MutantBackendProvider.url(KitMutantsTest.mutation, tempDir.resolve("kit.db"));
    }
}
