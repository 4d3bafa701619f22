package dev.drover.sqlite.mutants;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The kit's storage suite on the SQLite backend broken as {@link KitMutantsTest#mutation} says. Not a test of its own
 * (its name does not end in Test): {@link KitMutantsTest} runs chosen rules of it.
 */
class MutantStorageKit extends StorageContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return MutantBackendProvider.url(KitMutantsTest.mutation, tempDir.resolve("kit.db"));
    }

    @Override
    protected Connection callerConnection(Path tempDir) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + tempDir.resolve("kit.db"));
    }

    @Override
    protected Connection otherDatabaseConnection(Path tempDir) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + tempDir.resolve("other.db"));
    }
}
