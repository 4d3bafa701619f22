package dev.drover.sqlite;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The conformance kit's storage rules (conformance-tests/SPEC.md) on a real SQLite file per test; the application's
 * connections for transactional push (S37) are plain sqlite-jdbc connections to that file, or to another file.
 */
class SqliteStorageConformanceTest extends StorageContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return "sqlite:" + tempDir.resolve("kit.db");
    }

    @Override
    protected Optional<Connection> callerConnection(String url) throws SQLException {
        return Optional.of(DriverManager.getConnection("jdbc:" + url));
    }

    @Override
    protected Optional<Connection> otherDatabaseConnection(String url, Path tempDir) throws SQLException {
        return Optional.of(DriverManager.getConnection("jdbc:sqlite:" + tempDir.resolve("other.db")));
    }
}
