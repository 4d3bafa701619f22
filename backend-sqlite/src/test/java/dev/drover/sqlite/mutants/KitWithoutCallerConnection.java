package dev.drover.sqlite.mutants;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;

/**
 * The kit's storage suite on the real SQLite backend, which declares TRANSACTIONAL_PUSH, from a kit class that forgot
 * {@code callerConnection}: rule S37 must fail saying so, not skip. Not a test of its own (its name does not end in
 * Test): {@link KitMutantsTest} runs S37 of it.
 */
class KitWithoutCallerConnection extends StorageContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return "sqlite:" + tempDir.resolve("kit.db");
    }
}
