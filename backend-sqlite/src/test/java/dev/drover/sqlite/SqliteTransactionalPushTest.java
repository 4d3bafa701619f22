package dev.drover.sqlite;

import dev.drover.api.DroverException;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.spi.WakeupSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link SqliteBackend#push(List, Connection)} does beyond the kit's rule S37 (which {@code SqliteStorageConformanceTest}
 * runs: commit, rollback, a failed push, another database): auto-commit, wake-ups after the commit, and the messages
 * that refuse another file or an in-memory database.
 */
class SqliteTransactionalPushTest {
    @TempDir
    Path dir;
    Path file;
    SqliteBackend backend;

    @BeforeEach
    void open() throws Exception {
        file = dir.resolve("app.db");
        backend = SqliteBackend.open(file);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void inAutoCommitModeTheTasksAreStoredAtOnceAllOrNone() throws Exception {
        NewTask task = Tasks.task("receipts", "now");
        try (Connection app = Tasks.jdbc(file)) {
            backend.push(List.of(task), app);
        }
        assertThat(backend.get(task.queue(), task.id())).isPresent();
    }

    @Test
    void workersAreWokenAfterTheApplicationCommits() throws Exception {
        CountDownLatch woken = new CountDownLatch(1);
        WakeupSource.Subscription subscription = backend.wakeups().subscribe(QueueName.of("receipts"), woken::countDown);
        try (Connection app = Tasks.jdbc(file)) {
            app.setAutoCommit(false);
            backend.push(List.of(Tasks.task("receipts", "wake")), app);
            assertThat(woken.getCount()).as("no wake-up before the commit").isEqualTo(1);
            app.commit();
            assertThat(woken.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            subscription.close();
        }
    }

    @Test
    void aConnectionToAnotherFileIsRefused() throws Exception {
        Path other = dir.resolve("other.db");
        try (Connection app = Tasks.jdbc(other)) {
            app.setAutoCommit(false);
            assertThatThrownBy(() -> backend.push(List.of(Tasks.task("receipts", "lost")), app))
                    .isInstanceOf(DroverException.class)
                    .hasMessageContaining(other.toString())
                    .hasMessageContaining("same file")
                    .hasMessageContaining(file.toString());
        }
        try (Connection memory = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:")) {
            assertThatThrownBy(() -> backend.push(List.of(Tasks.task("receipts", "lost")), memory))
                    .isInstanceOf(DroverException.class)
                    .hasMessageContaining("in-memory");
        }
    }
}
