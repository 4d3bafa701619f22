package dev.drover.sqlite;

import dev.drover.api.QueueName;
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
        assertThat(migrationRows(file)).containsExactly("1");
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
        assertThat(migrationRows(file)).containsExactly("1");
    }

    private static List<String> migrationRows(Path file) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection connection = Tasks.jdbc(file); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT version FROM drover_migrations ORDER BY version")) {
            while (rs.next()) versions.add(rs.getString(1));
        }
        return versions;
    }
}
