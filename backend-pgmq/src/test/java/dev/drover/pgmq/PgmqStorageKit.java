package dev.drover.pgmq;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The kit's storage suite on PostgreSQL: what the PGMQ kit classes share. The application's connection for
 * transactional push (S37) is a pgjdbc connection to the URL's database; the other database is {@code postgres} (or
 * {@code template1} when the tests' database is {@code postgres}) on the same server.
 */
abstract class PgmqStorageKit extends StorageContract {
    @Override
    protected Optional<Connection> callerConnection(String url) throws SQLException {
        return Optional.of(PgTestDatabase.connect(url));
    }

    @Override
    protected Optional<Connection> otherDatabaseConnection(String url, Path tempDir) throws SQLException {
        return Optional.of(PgTestDatabase.connectToAnotherDatabase(url));
    }
}
