package dev.drover.libsql;

import dev.drover.conformance.StorageContract;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The whole kit in local mode: a libSQL/SQLite file through sqlite-jdbc, where the application pushes in its own
 * transaction (S37) on a sqlite-jdbc connection to the same file.
 */
class LocalStorageConformanceTest extends StorageContract {
    @Override
    protected String storageUrl(Path tempDir) {
        return "libsql:" + tempDir.resolve("kit.db");
    }

    @Override
    protected Optional<Connection> callerConnection(String url) throws SQLException {
        return Optional.of(DriverManager.getConnection("jdbc:sqlite:" + url.substring("libsql:".length())));
    }

    @Override
    protected Optional<Connection> otherDatabaseConnection(String url, Path tempDir) throws SQLException {
        return Optional.of(DriverManager.getConnection("jdbc:sqlite:" + tempDir.resolve("other.db")));
    }
}
