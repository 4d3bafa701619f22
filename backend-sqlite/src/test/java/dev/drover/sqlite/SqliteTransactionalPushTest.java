package dev.drover.sqlite;

import dev.drover.api.DroverException;
import dev.drover.api.QueueName;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.spi.NewTask;
import dev.drover.spi.WakeupSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteTransactionalPushTest {
    @TempDir
    Path dir;
    Path file;
    SqliteBackend backend;

    @BeforeEach
    void open() throws Exception {
        file = dir.resolve("app.db");
        backend = SqliteBackend.open(file);
        try (Connection app = Tasks.jdbc(file); Statement statement = app.createStatement()) {
            statement.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL)");
        }
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void tasksPushedInTheApplicationsTransactionExistOnceItCommits() throws Exception {
        NewTask task = Tasks.task("receipts", "order 1");
        try (Connection app = Tasks.jdbc(file)) {
            app.setAutoCommit(false);
            try (Statement statement = app.createStatement()) {
                statement.execute("INSERT INTO orders (id, item) VALUES (1, 'book')");
            }
            backend.push(List.of(task), app);
            assertThat(backend.get(task.queue(), task.id())).as("not visible before the commit").isEmpty();
            app.commit();
        }
        TaskRecord stored = backend.get(task.queue(), task.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo(TaskState.PENDING);
        assertThat(stored.payload()).isEqualTo(task.payload());
    }

    @Test
    void tasksPushedInARolledBackTransactionDoNotExist() throws Exception {
        NewTask task = Tasks.task("receipts", "order 2");
        try (Connection app = Tasks.jdbc(file)) {
            app.setAutoCommit(false);
            try (Statement statement = app.createStatement()) {
                statement.execute("INSERT INTO orders (id, item) VALUES (2, 'pen')");
            }
            backend.push(List.of(task), app);
            app.rollback();
        }
        assertThat(backend.get(task.queue(), task.id())).isEmpty();
        assertThat(backend.counts(QueueName.of("receipts"))).isEmpty();
    }

    @Test
    void aFailingPushLeavesTheApplicationsTransactionUsableAndAddsNothing() throws Exception {
        NewTask first = Tasks.task("receipts", "one");
        NewTask duplicate = new NewTask(first.id(), first.queue(), first.payload(), first.codec(), 0, first.runAt(), 3, Map.of());
        try (Connection app = Tasks.jdbc(file)) {
            app.setAutoCommit(false);
            try (Statement statement = app.createStatement()) {
                statement.execute("INSERT INTO orders (id, item) VALUES (3, 'lamp')");
            }
            assertThatThrownBy(() -> backend.push(List.of(first, duplicate), app)).isInstanceOf(DroverException.class);
            app.commit();
        }
        assertThat(backend.get(first.queue(), first.id())).isEmpty();
        try (Connection app = Tasks.jdbc(file); Statement statement = app.createStatement();
             var rs = statement.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the application's own write survived").isEqualTo(1);
        }
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
