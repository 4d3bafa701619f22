package dev.drover.sqlite.mutants;

import dev.drover.conformance.workflow.WorkflowContract;

import java.nio.file.Path;

/**
 * The kit's workflow suite on the SQLite backend broken as {@link KitMutantsTest#mutation} says. Not a test of its own
 * (its name does not end in Test): {@link KitMutantsTest} runs chosen rules of it.
 */
class MutantWorkflowKit extends WorkflowContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return MutantBackendProvider.url(KitMutantsTest.mutation, tempDir.resolve("kit.db"));
    }
}
