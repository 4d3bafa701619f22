package dev.drover.pgmq;

import dev.drover.api.ConfigurationException;
import dev.drover.api.Drover;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.conformance.Names;
import dev.drover.spi.Backends;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.DroverUrl;
import dev.drover.api.NewTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PgmqBackend#push(List, Connection)} beyond the kit's rule S37 (which the PGMQ kit classes run): what other
 * connections see before the commit, the queue table made outside the caller's transaction, the public API, and the
 * message that refuses another database.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgmqTransactionalPushTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private PgmqBackend backend;
    private QueueName queue;

    @BeforeEach
    void open() {
        backend = (PgmqBackend) Backends.open(PgTestDatabase.plainUrl());
        queue = Names.queue();
    }

    @AfterEach
    void close() {
        if (backend != null) backend.close();
    }

    private NewTask task(String text) {
        return NewTask.builder(queue, ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8), "json").runAt(Instant.now()).maxAttempts(3).build();
    }

    private List<ClaimedTask> claimAll() {
        return backend.claim(queue, Names.worker("tx"), 10, LEASE);
    }

    /** Messages in the queue table, seen from a connection of its own (so: committed ones only). */
    private long rowsSeenByAnotherConnection() throws SQLException {
        return Sql.count(PgTestDatabase.URL, "SELECT count(*) FROM " + Sql.q(queue));
    }

    @Test
    void tasksPushedInAnOpenTransactionAreInvisibleAndUnclaimableUntilItCommits() throws Exception {
        NewTask first = task("order 1");
        NewTask second = task("order 2");
        try (Connection app = PgTestDatabase.connect()) {
            app.setAutoCommit(false);
            backend.push(List.of(first, second), app);

            try (Statement s = app.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + Sql.q(queue))) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows the pushing transaction sees").isEqualTo(2);
            }
            assertThat(rowsSeenByAnotherConnection()).as("rows another connection sees before the commit").isZero();
            assertThat(backend.get(queue, first.id())).as("get before the commit").isEmpty();
            assertThat(backend.counts(queue)).as("counts before the commit").isEmpty();
            assertThat(claimAll()).as("claimed before the commit").isEmpty();

            app.commit();
        }
        assertThat(rowsSeenByAnotherConnection()).isEqualTo(2);
        TaskRecord stored = backend.get(queue, first.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo(TaskState.PENDING);
        assertThat(stored.payload()).isEqualTo(first.payload());
        assertThat(claimAll()).extracting(c -> c.task().id()).containsExactlyInAnyOrder(first.id(), second.id());
    }

    @Test
    void tasksPushedInARolledBackTransactionNeverExistAndTheQueueStillWorks() throws Exception {
        NewTask lost = task("rolled back");
        try (Connection app = PgTestDatabase.connect()) {
            app.setAutoCommit(false);
            backend.push(List.of(lost), app);
            app.rollback();
        }
        assertThat(backend.get(queue, lost.id())).isEmpty();
        assertThat(backend.counts(queue)).isEmpty();
        assertThat(claimAll()).isEmpty();
        assertThat(rowsSeenByAnotherConnection()).isZero();
        assertThat(Sql.tableExists(PgTestDatabase.URL, "q_" + queue.value()))
                .as("the queue's table, made on the backend's own connection, survives the rollback").isTrue();

        NewTask kept = task("committed");
        try (Connection app = PgTestDatabase.connect()) {
            app.setAutoCommit(false);
            backend.push(List.of(kept), app);
            app.commit();
        }
        assertThat(backend.get(queue, lost.id())).isEmpty();
        assertThat(backend.counts(queue)).containsExactly(Map.entry(TaskState.PENDING, 1L));
        assertThat(claimAll()).extracting(c -> c.task().id()).containsExactly(kept.id());
    }

    @Test
    void thePublicApiPushesInTheCallersTransaction() throws Exception {
        try (Drover drover = Drover.open(PgTestDatabase.plainUrl())) {
            TaskQueue<String> emails = drover.queue(queue.value(), String.class);
            TaskId committed;
            try (Connection app = PgTestDatabase.connect()) {
                app.setAutoCommit(false);
                committed = emails.push("welcome", TaskOptions.defaults(), app);
                assertThat(emails.get(committed)).as("before the commit").isEmpty();
                app.commit();
            }
            assertThat(emails.get(committed)).hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(TaskState.PENDING));

            List<TaskId> rolledBack;
            try (Connection app = PgTestDatabase.connect()) {
                app.setAutoCommit(false);
                rolledBack = emails.pushAll(List.of("a", "b"), TaskOptions.defaults(), app);
                app.rollback();
            }
            assertThat(rolledBack).allSatisfy(id -> assertThat(emails.get(id)).isEmpty());
            assertThat(emails.counts()).containsExactly(Map.entry(TaskState.PENDING, 1L));
        }
    }

    @Test
    void aConnectionToAnotherDatabaseIsRefusedNamingBothDatabases() throws Exception {
        String ours;
        try (Connection c = PgTestDatabase.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            ours = rs.getString(1);
        }
        String theirs = ours.equals("postgres") ? "template1" : "postgres";
        PostgresUrl pg = PostgresUrl.parse(DroverUrl.parse(PgTestDatabase.URL));
        String otherJdbcUrl = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + theirs;
        Properties props = new Properties();
        props.setProperty("user", pg.user());
        if (pg.password() != null) props.setProperty("password", pg.password());

        NewTask task = task("misdirected");
        try (Connection other = DriverManager.getConnection(otherJdbcUrl, props)) {
            other.setAutoCommit(false);
            assertThatThrownBy(() -> backend.push(List.of(task), other))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("\"" + theirs + "\"")
                    .hasMessageContaining("\"" + ours + "\"");
            try (Statement s = other.createStatement();
                 ResultSet rs = s.executeQuery("SELECT to_regclass('pgmq.\"q_" + queue.value() + "\"') IS NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("no queue table in the other database").isTrue();
            }
            other.rollback();
        }
        assertThat(backend.get(queue, task.id())).isEmpty();
    }
}
