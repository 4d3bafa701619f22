package dev.drover.sqlite;

import dev.drover.sqlite.store.SqliteSchema;
import dev.drover.api.QueueName;
import dev.drover.api.StorageException;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskState;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteMigrationsTest {
    @TempDir
    Path dir;

    @Test
    void openingTwiceAppliesEachMigrationOnceAndKeepsTheTasks() throws Exception {
        Path file = dir.resolve("jobs.db");
        try (SqliteBackend backend = SqliteBackend.open(file)) {
            backend.push(List.of(Tasks.task("emails", "hello")));
        }
        try (SqliteBackend backend = SqliteBackend.open(file)) {
            assertThat(backend.counts(QueueName.of("emails"))).containsEntry(TaskState.PENDING, 1L);
        }
        assertThat(migrationRows(file)).containsExactlyElementsOf(allVersions());
    }

    @RepeatedTest(10)
    void fourBackendsOpeningANewFileAtOnceAllSucceed() throws Exception {
        Path file = dir.resolve("race.db");
        int openers = 4;
        CyclicBarrier start = new CyclicBarrier(openers);
        ExecutorService pool = Executors.newFixedThreadPool(openers);
        List<SqliteBackend> opened = new ArrayList<>();
        try {
            List<Future<SqliteBackend>> futures = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                futures.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return SqliteBackend.open(file);
                }));
            }
            for (Future<SqliteBackend> future : futures) opened.add(future.get(30, TimeUnit.SECONDS));

            for (SqliteBackend backend : opened) backend.push(List.of(Tasks.task("race", "from " + backend)));
            assertThat(opened.getFirst().counts(QueueName.of("race"))).containsEntry(TaskState.PENDING, (long) openers);
        } finally {
            opened.forEach(SqliteBackend::close);
            pool.shutdownNow();
        }
        assertThat(migrationRows(file)).containsExactlyElementsOf(allVersions());
    }

    @Test
    void aVersionOneDatabaseMovesToTheFinishedIndexAndStillCountsAndListsEveryState() throws Exception {
        Path file = dir.resolve("v1.db");
        try (Connection connection = Tasks.jdbc(file); Statement statement = connection.createStatement()) {
            statement.execute(SqliteSchema.CREATE_MIGRATIONS_TABLE);
            for (String sql : SqliteSchema.MIGRATIONS.getFirst().statements()) statement.execute(sql);
            statement.execute("INSERT INTO drover_migrations VALUES (1, 'v1', 0)");
            String[] states = {"PENDING", "RUNNING", "DONE", "DONE", "DEAD", "CANCELLED"};
            for (int i = 0; i < states.length; i++) {
                statement.execute("INSERT INTO drover_tasks (id, queue, state, run_at, max_attempts, payload, codec, enqueued_at, lease_expires_at)"
                        + " VALUES ('t" + i + "', 'emails', '" + states[i] + "', 0, 3, x'00', 'bytes', 0, "
                        + ("RUNNING".equals(states[i]) ? "4102444800000" : "NULL") + ")");
            }
        }

        try (SqliteBackend backend = SqliteBackend.open(file)) {
            QueueName emails = QueueName.of("emails");
            assertThat(backend.counts(emails)).containsEntry(TaskState.PENDING, 1L).containsEntry(TaskState.RUNNING, 1L)
                    .containsEntry(TaskState.DONE, 2L).containsEntry(TaskState.DEAD, 1L).containsEntry(TaskState.CANCELLED, 1L);
            for (TaskState state : TaskState.values()) {
                assertThat(backend.list(TaskQuery.of(emails).state(state)))
                        .allSatisfy(task -> assertThat(task.state()).isEqualTo(state))
                        .hasSize(state == TaskState.DONE ? 2 : 1);
            }
            assertThat(backend.list(TaskQuery.of(emails))).extracting(task -> task.id().value())
                    .containsExactly("t0", "t1", "t2", "t3", "t4", "t5");
        }
        assertThat(migrationRows(file)).containsExactlyElementsOf(allVersions());
        assertThat(indexes(file)).contains("drover_tasks_dead_or_cancelled", "drover_tasks_retention", "drover_tasks_due", "drover_tasks_leases")
                .doesNotContain("drover_tasks_queue_state", "drover_tasks_finished");
    }

    @Test
    void aFileWhereAnotherApplicationHasADroverTasksTableIsRefusedAndLeftAsItWas() throws Exception {
        Path file = dir.resolve("app.db");
        try (Connection connection = Tasks.jdbc(file); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE drover_tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL)");
            statement.execute("INSERT INTO drover_tasks (title) VALUES ('buy milk')");
        }
        List<String> before = schema(file);
        String journalBefore = journalMode(file);

        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatThrownBy(() -> SqliteBackend.open(file))
                    .as("open %d", attempt)
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isFalse())
                    .hasMessageContaining("sqlite:" + file + " already has a table drover_tasks that Drover did not create")
                    .hasMessageContaining("it belongs to something else, and Drover changed nothing in the database")
                    .hasMessageContaining("Give Drover a database of its own: another file");
        }
        assertThat(schema(file)).as("the file's schema").isEqualTo(before);
        assertThat(journalMode(file)).as("the file's journal mode (Drover switches files to WAL)").isEqualTo(journalBefore).isEqualTo("delete");
        assertThat(titles(file)).as("the application's rows").containsExactly("buy milk");
    }

    @Test
    void aFileWhereAnotherApplicationHasADroverMigrationsTableIsRefusedAndLeftAsItWas() throws Exception {
        Path file = dir.resolve("app.db");
        try (Connection connection = Tasks.jdbc(file); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE drover_migrations (id INTEGER PRIMARY KEY, script TEXT NOT NULL, checksum TEXT)");
            statement.execute("INSERT INTO drover_migrations (script) VALUES ('V1__routes.sql')");
        }
        List<String> before = schema(file);

        assertThatThrownBy(() -> SqliteBackend.open(file))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("sqlite:" + file + " already has a table drover_migrations that Drover did not create")
                .hasMessageContaining("no such column")
                .hasMessageContaining("Give Drover a database of its own: another file");
        assertThat(schema(file)).as("the file's schema").isEqualTo(before);
    }

    @Test
    void aForeignDroverTasksTableBesideAnEmptyDroverMigrationsTableIsRefused() throws Exception {
        // What a failed open of earlier versions left behind: Drover's (empty) drover_migrations beside the foreign table.
        Path file = dir.resolve("app.db");
        try (Connection connection = Tasks.jdbc(file); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE drover_tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL)");
            statement.execute(SqliteSchema.CREATE_MIGRATIONS_TABLE);
        }
        List<String> before = schema(file);

        assertThatThrownBy(() -> SqliteBackend.open(file))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("already has a table drover_tasks that Drover did not create");
        assertThat(schema(file)).as("the file's schema").isEqualTo(before);
    }

    private static String journalMode(Path file) throws SQLException {
        try (Connection connection = Tasks.jdbc(file); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> titles(Path file) throws SQLException {
        List<String> titles = new ArrayList<>();
        try (Connection connection = Tasks.jdbc(file); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT title FROM drover_tasks ORDER BY id")) {
            while (rs.next()) titles.add(rs.getString(1));
        }
        return titles;
    }

    /** Every entry of sqlite_master: tables, indexes, triggers and their SQL. */
    private static List<String> schema(Path file) throws SQLException {
        List<String> entries = new ArrayList<>();
        try (Connection connection = Tasks.jdbc(file); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")) {
            while (rs.next()) entries.add(rs.getString(1) + " " + rs.getString(2) + " on " + rs.getString(3) + ": " + rs.getString(4));
        }
        return entries;
    }

    private static List<String> indexes(Path file) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = Tasks.jdbc(file); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'drover_tasks'")) {
            while (rs.next()) names.add(rs.getString(1));
        }
        return names;
    }

    private static List<String> migrationRows(Path file) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection connection = Tasks.jdbc(file); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT version FROM drover_migrations ORDER BY version")) {
            while (rs.next()) versions.add(rs.getString(1));
        }
        return versions;
    }

    /** Every migration's version, in order: each is applied exactly once. */
    private static List<String> allVersions() {
        return SqliteSchema.MIGRATIONS.stream().map(m -> String.valueOf(m.version())).toList();
    }
}
