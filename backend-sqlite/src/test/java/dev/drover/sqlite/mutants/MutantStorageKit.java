package dev.drover.sqlite.mutants;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;

/**
 * The kit's storage suite on the SQLite backend broken as {@link KitMutantsTest#mutation} says. Not a test of its own
 * (its name does not end in Test): {@link KitMutantsTest} runs chosen rules of it.
 */
class MutantStorageKit extends StorageContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return MutantBackendProvider.url(KitMutantsTest.mutation, tempDir.resolve("kit.db"));
    }
}
