package dev.drover.sqlite.jdbc;

import dev.drover.api.StorageException;
import dev.drover.sqlite.SqliteOptions;
import dev.drover.sqlite.sql.SqlResult;
import dev.drover.sqlite.sql.SqlStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcSqlTransportTest {
    @TempDir
    Path dir;
    Path file;
    JdbcSqlTransport transport;

    @BeforeEach
    void open() {
        file = dir.resolve("t.db");
        transport = JdbcSqlTransport.open(file, SqliteOptions.defaults().busyTimeoutMillis(200));
        transport.write(List.of(SqlStatement.of("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL, b BLOB)")));
    }

    @AfterEach
    void close() {
        transport.close();
    }

    @Test
    void aBatchOfTheSameStatementReportsTheChangesOfEach() {
        List<SqlStatement> inserts = new ArrayList<>();
        for (int i = 0; i < 5; i++) inserts.add(SqlStatement.of("INSERT INTO t (k, n, b) VALUES (?, ?, ?)", "k" + i, (long) i, new byte[] {(byte) i}));
        assertThat(transport.write(inserts)).extracting(SqlResult::changes).containsExactly(1L, 1L, 1L, 1L, 1L);

        List<SqlResult> updates = transport.write(List.of(
                SqlStatement.of("UPDATE t SET n = n + 10 WHERE k = ?", "k1"),
                SqlStatement.of("UPDATE t SET n = n + 10 WHERE k = ?", "missing"),
                SqlStatement.of("UPDATE t SET n = n + 10 WHERE k = ?", "k3"),
                SqlStatement.of("UPDATE t SET n = 0 WHERE n >= ? RETURNING k", 10L),
                SqlStatement.of("SELECT count(*) AS c FROM t WHERE n = 0")));

        assertThat(updates).extracting(SqlResult::changes).containsExactly(1L, 0L, 1L, 2L, 0L);
        assertThat(updates.get(3).rows()).extracting(r -> r.getString("k")).containsExactlyInAnyOrder("k1", "k3");
        assertThat(updates.get(4).rows().getFirst().getLong("c")).isEqualTo(3L);
        SqlResult read = transport.read(SqlStatement.of("SELECT k, n, b FROM t WHERE k = ?", "k4"));
        assertThat(read.rows().getFirst().getInt("n")).isEqualTo(4);
        assertThat(read.rows().getFirst().getBytes("b")).containsExactly(4);
    }

    @Test
    void aFailureAnywhereKeepsNothingOfTheWrite() {
        transport.write(List.of(SqlStatement.of("INSERT INTO t (k, n) VALUES ('a', 1)")));

        assertThatThrownBy(() -> transport.write(List.of(
                SqlStatement.of("UPDATE t SET n = 2 WHERE k = 'a'"),
                SqlStatement.of("INSERT INTO t (k, n) VALUES (?, ?)", "b", 1L),
                SqlStatement.of("INSERT INTO t (k, n) VALUES (?, ?)", "a", 1L))))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString());

        assertThat(transport.read(SqlStatement.of("SELECT k, n FROM t ORDER BY k")).rows())
                .extracting(r -> r.getString("k") + "=" + r.getLong("n")).containsExactly("a=1");
        transport.write(List.of(SqlStatement.of("INSERT INTO t (k, n) VALUES ('c', 3)"))); // the writer is usable again
    }

    @Test
    void aCommitThatFailsLeavesTheWriterUsable() {
        // END commits inside the write, so the write's own COMMIT fails ("no transaction is active"): an error on which
        // sqlite-jdbc closes the statement, as it does on a full disk (SQLITE_FULL), and unlike a constraint error.
        for (int attempt = 1; attempt <= 2; attempt++) {
            String key = "ended-" + attempt;
            assertThatThrownBy(() -> transport.write(List.of(SqlStatement.of("INSERT INTO t (k, n) VALUES (?, 1)", key), SqlStatement.of("END"))))
                    .as("write %d, whose COMMIT fails", attempt)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("cannot commit - no transaction is active");
        }
        transport.write(List.of(SqlStatement.of("INSERT INTO t (k, n) VALUES ('b', 2)")));

        assertThat(transport.read(SqlStatement.of("SELECT k FROM t ORDER BY k")).rows()).extracting(r -> r.getString("k"))
                .containsExactly("b", "ended-1", "ended-2");
    }

    @Test
    void aTransactionSqliteRolledBackItselfLeavesTheWriterUsable() {
        // RAISE(ROLLBACK) ends the whole transaction inside SQLite, as some disk-full and I/O errors do: the ROLLBACK after it finds none.
        transport.write(List.of(SqlStatement.of("""
                CREATE TRIGGER refuse BEFORE INSERT ON t WHEN NEW.k = 'refused'
                BEGIN SELECT RAISE(ROLLBACK, 'refused by a trigger'); END""")));
        transport.write(List.of(SqlStatement.of("INSERT INTO t (k, n) VALUES ('a', 1)")));

        assertThatThrownBy(() -> transport.write(List.of(SqlStatement.of("INSERT INTO t (k, n) VALUES ('refused', 1)"))))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("refused by a trigger");
        // A failure that leaves the transaction open must still be rolled back, or every later BEGIN fails.
        assertThatThrownBy(() -> transport.write(List.of(SqlStatement.of("INSERT INTO t (k, n) VALUES ('b', 2)"),
                SqlStatement.of("INSERT INTO t (k, n) VALUES ('a', 1)"))))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("UNIQUE");
        transport.write(List.of(SqlStatement.of("INSERT INTO t (k, n) VALUES ('c', 3)")));

        assertThat(transport.read(SqlStatement.of("SELECT k FROM t ORDER BY k")).rows()).extracting(r -> r.getString("k"))
                .containsExactly("a", "c");
    }

    @Test
    void aWriteLockHeldByAnotherProcessTooLongIsATransientBusyError() throws Exception {
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = other.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            assertThatThrownBy(() -> transport.write(List.of(SqlStatement.of("INSERT INTO t (k, n) VALUES ('x', 1)"))))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isTrue())
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("busyTimeout=200ms")
                    .hasMessageContaining("raise busyTimeout");
            assertThat(transport.read(SqlStatement.of("SELECT count(*) AS c FROM t")).rows().getFirst().getLong("c"))
                    .as("readers are not blocked by the writer (WAL)").isZero();
            statement.execute("ROLLBACK");
        }
        transport.write(List.of(SqlStatement.of("INSERT INTO t (k, n) VALUES ('x', 1)")));
    }

    @Test
    void theWriterHoldsNoLockBetweenWrites() throws Exception {
        transport.write(List.of(SqlStatement.of("INSERT INTO t (k, n) VALUES ('a', 1)")));
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = other.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 0");
            statement.execute("INSERT INTO t (k, n) VALUES ('from-another-connection', 2)");
        }
        assertThat(transport.read(SqlStatement.of("SELECT count(*) AS c FROM t")).rows().getFirst().getLong("c")).isEqualTo(2L);
    }

    @Test
    void inMemoryDatabasesArePrivate() {
        try (JdbcSqlTransport a = JdbcSqlTransport.openInMemory(SqliteOptions.defaults());
             JdbcSqlTransport b = JdbcSqlTransport.openInMemory(SqliteOptions.defaults())) {
            a.write(List.of(SqlStatement.of("CREATE TABLE only_in_a (x INTEGER)")));
            assertThat(a.read(SqlStatement.of("SELECT count(*) AS c FROM sqlite_master WHERE name = 'only_in_a'")).rows().getFirst().getLong("c")).isEqualTo(1L);
            assertThat(b.read(SqlStatement.of("SELECT count(*) AS c FROM sqlite_master WHERE name = 'only_in_a'")).rows().getFirst().getLong("c")).isZero();
            assertThat(a.file()).isEmpty();
        }
    }
}
