package dev.drover.libsql;

import dev.drover.api.StorageException;
import dev.drover.libsql.hrana.HranaClient;
import dev.drover.spi.Backends;
import dev.drover.sqlite.sql.SqlRow;
import dev.drover.sqlite.sql.SqlStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A server database where another application has a table named like one of Drover's: refused, and left as it was. */
class RemoteForeignTablesTest {
    private static final String SCHEMA = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name";

    @TempDir
    Path dir;

    @Test
    void aDroverTasksTableOfAnotherApplicationIsRefusedAndTheDatabaseLeftAsItWas() {
        try (TursoTestServer server = TursoTestServer.start(dir.resolve("app.db"))) {
            HranaSqlTransport sql = transport(server);
            sql.write(List.of(SqlStatement.of("CREATE TABLE drover_tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL)")));
            List<SqlRow> before = sql.read(SqlStatement.of(SCHEMA)).rows();

            assertThatThrownBy(() -> Backends.open(server.remoteUrl()))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("libsql://127.0.0.1:" + server.port() + " already has a table drover_tasks that Drover did not create")
                    .hasMessageContaining("another database on the server");
            assertThat(sql.read(SqlStatement.of(SCHEMA)).rows()).isEqualTo(before);
        }
    }

    @Test
    void aDroverMigrationsTableOfAnotherApplicationIsRefusedAndTheDatabaseLeftAsItWas() {
        try (TursoTestServer server = TursoTestServer.start(dir.resolve("app.db"))) {
            HranaSqlTransport sql = transport(server);
            sql.write(List.of(SqlStatement.of("CREATE TABLE drover_migrations (id INTEGER PRIMARY KEY, script TEXT NOT NULL)")));
            List<SqlRow> before = sql.read(SqlStatement.of(SCHEMA)).rows();

            assertThatThrownBy(() -> Backends.open(server.remoteUrl()))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("libsql://127.0.0.1:" + server.port() + " already has a table drover_migrations that Drover did not create");
            assertThat(sql.read(SqlStatement.of(SCHEMA)).rows()).isEqualTo(before);
        }
    }

    private static HranaSqlTransport transport(TursoTestServer server) {
        HranaClient client = new HranaClient(URI.create(server.httpUrl() + "/"), "libsql://127.0.0.1:" + server.port(), null, Duration.ofSeconds(30));
        client.detectDialect();
        return new HranaSqlTransport(client);
    }
}
