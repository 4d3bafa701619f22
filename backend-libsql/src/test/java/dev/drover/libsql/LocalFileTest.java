package dev.drover.libsql;

import dev.drover.api.ConfigurationException;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.StorageException;
import dev.drover.api.TaskId;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code libsql:} URL naming a local file runs the SQLite backend's code: its errors name the URL the user wrote
 * ({@code libsql:}, not {@code sqlite:}), and it has that code's protections.
 */
class LocalFileTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownParameterIsReportedForTheLibsqlUrlWithItsParameters() {
        Path file = dir.resolve("jobs.db");

        assertThatThrownBy(() -> Backends.open("libsql:" + file + "?busyTimeot=100"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown parameter \"busyTimeot\" in backend URL libsql:" + file)
                .hasMessageContaining("libsql: URLs take busyTimeout, readers, synchronous")
                .hasMessageNotContaining("sqlite:");
    }

    @Test
    void aBadParameterValueIsReportedForTheLibsqlUrl() {
        Path file = dir.resolve("jobs.db");

        assertThatThrownBy(() -> Backends.open("libsql:" + file + "?busyTimeout=soon"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("parameter busyTimeout in backend URL libsql:" + file)
                .hasMessageContaining("must be a whole number")
                .hasMessageNotContaining("sqlite:");
        assertThatThrownBy(() -> Backends.open("libsql:" + file + "?synchronous=sometimes"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("parameter synchronous in backend URL libsql:" + file)
                .hasMessageNotContaining("sqlite:");
    }

    @Test
    void aServerParameterOnAFileUrlSaysItIsForAServer() {
        Path file = dir.resolve("jobs.db");

        assertThatThrownBy(() -> Backends.open("libsql:" + file + "?authToken=s3cr3t-t0ken"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("parameter authToken in backend URL libsql:" + file)
                .hasMessageContaining("is for a libSQL server")
                .hasMessageContaining("this URL names a local file, whose parameters are busyTimeout, readers, synchronous")
                .hasMessageNotContaining("s3cr3t-t0ken")
                .hasMessageNotContaining("sqlite:");
    }

    @Test
    void aMissingFolderIsReportedForTheLibsqlUrl() {
        Path file = dir.resolve("no-such-folder").resolve("jobs.db");

        assertThatThrownBy(() -> Backends.open("libsql:" + file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("point the libsql: URL at a file in an existing folder")
                .hasMessageNotContaining("sqlite:");
    }

    @Test
    void aDirectoryIsReportedForTheLibsqlUrl() {
        assertThatThrownBy(() -> Backends.open("libsql:" + dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("point the libsql: URL at a file, for example libsql:" + dir.resolve("jobs.db"))
                .hasMessageNotContaining("sqlite:");
    }

    @Test
    void theBackendDescribesItselfByTheLibsqlUrl() {
        Path file = dir.resolve("jobs.db");
        try (Backend backend = Backends.open("libsql:" + file)) {
            assertThat(backend.describe()).isEqualTo("libsql:" + file);
        }
    }

    @Test
    void aFileDeletedWhileOpenFailsThePush() throws Exception {
        Path file = dir.resolve("jobs.db");
        try (Backend backend = Backends.open("libsql:" + file)) {
            backend.push(List.of(task()));
            for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(dir.resolve("jobs.db" + suffix));

            assertThatThrownBy(() -> backend.push(List.of(task())))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(file + " was deleted or replaced while open")
                    .hasMessageContaining("this write was not kept");
        }
    }

    @Test
    void aFileWhereAnotherApplicationHasADroverTasksTableIsRefusedAndLeftAsItWas() throws Exception {
        Path file = dir.resolve("app.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE drover_tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL)");
        }
        List<String> before = schema(file);

        assertThatThrownBy(() -> Backends.open("libsql:" + file))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("libsql:" + file + " already has a table drover_tasks that Drover did not create")
                .hasMessageContaining("Give Drover a database of its own");
        assertThat(schema(file)).isEqualTo(before);
    }

    private static NewTask task() {
        return NewTask.builder(QueueName.of("mail"), "hello".getBytes(StandardCharsets.UTF_8), "text").runAt(Instant.now()).maxAttempts(3).build();
    }

    private static List<String> schema(Path file) throws SQLException {
        List<String> entries = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")) {
            while (rs.next()) entries.add(rs.getString(1) + " " + rs.getString(2) + ": " + rs.getString(3));
        }
        return entries;
    }
}
