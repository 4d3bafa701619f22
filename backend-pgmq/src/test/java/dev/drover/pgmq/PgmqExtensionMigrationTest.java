package dev.drover.pgmq;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.Backends;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's step for installing the pgmq extension on a database Drover used in plain-SQL mode: after it, the
 * same tables serve both Drover (now in extension mode) and pgmq's own functions, and no task is lost. Needs pgmq
 * 1.10 or later on the server (the plain tables have last_read_at); skipped, saying why, elsewhere.
 */
class PgmqExtensionMigrationTest {
    /** The SQL the README gives, statement by statement. */
    static final List<String> README_STEPS = List.of(
            "BEGIN",
            "ALTER TABLE pgmq.meta RENAME TO meta_before_extension",
            "CREATE EXTENSION pgmq VERSION '%s'",
            "INSERT INTO pgmq.meta SELECT * FROM pgmq.meta_before_extension ON CONFLICT DO NOTHING",
            "DROP TABLE pgmq.meta_before_extension",
            "COMMIT");
    private static final String DATABASE = "drover_pgmq_migration";

    @Test
    @DisplayName("CREATE EXTENSION pgmq on a plain-mode database, by the README's steps: tasks kept, Drover and pgmq both work on the queue")
    void plainDatabaseAdoptsTheExtension() throws SQLException {
        List<String> versions = PgTestDatabase.availableVersions();
        Assumptions.assumeTrue(!versions.isEmpty() && PgTestDatabase.compareVersions(versions.getLast(), "1.10") >= 0,
                () -> "migration to extension mode not tested: it needs pgmq 1.10 or later on the server (available: " + versions + ")");
        String version = versions.getLast();
        try (Connection admin = PgTestDatabase.connect(); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        String url = "pgmq://" + PgTestDatabase.HOST_PORT_USER + "/" + DATABASE;
        QueueName queue = QueueName.of("orders");
        WorkerId worker = new WorkerId("migration-test");
        NewTask done = task(queue, "done");
        NewTask dead = task(queue, "dead");
        NewTask pending = task(queue, "pending");

        try (var plain = Backends.open(url + "?mode=plain")) {
            assertThat(((PgmqBackend) plain).mode()).isEqualTo(PgmqMode.PLAIN);
            plain.push(List.of(done, dead, pending));
            List<ClaimedTask> two = plain.claim(queue, worker, 2, Duration.ofMinutes(1));
            assertThat(two).extracting(c -> c.task().id()).containsExactly(done.id(), dead.id());
            plain.settle(List.of(new Settlement.Complete(two.get(0).lease(), null), new Settlement.Kill(two.get(1).lease(), "killed before the migration")));
        }

        try (Connection c = PgTestDatabase.connect(url); Statement s = c.createStatement()) {
            for (String step : README_STEPS) s.execute(step.formatted(version));
        }

        try (var adopted = Backends.open(url)) {
            assertThat(((PgmqBackend) adopted).mode()).as("mode chosen from the catalog after the migration").isEqualTo(PgmqMode.EXTENSION);
            assertThat(adopted.counts(queue)).isEqualTo(Map.of(TaskState.DONE, 1L, TaskState.DEAD, 1L, TaskState.PENDING, 1L));
            assertThat(adopted.get(queue, dead.id()).orElseThrow().lastError()).isEqualTo("killed before the migration");
            List<ClaimedTask> next = adopted.claim(queue, worker, 10, Duration.ofMinutes(1));
            assertThat(next).extracting(c -> c.task().id()).containsExactly(pending.id());
            assertThat(new String(next.getFirst().task().payload(), StandardCharsets.UTF_8)).isEqualTo("pending");
            assertThat(adopted.settle(List.of(new Settlement.Complete(next.getFirst().lease(), null)))).hasSize(1);
            assertThat(adopted.requeue(queue, dead.id())).isTrue();
            assertThat(adopted.claim(queue, worker, 10, Duration.ofMinutes(1))).extracting(c -> c.task().id()).containsExactly(dead.id());
        }

        try (Connection c = PgTestDatabase.connect(url); Statement s = c.createStatement()) {
            long sent = single(s, "SELECT * FROM pgmq.send('orders', '{\"from\": \"pgmq\"}'::jsonb)");
            try (ResultSet rs = s.executeQuery("SELECT msg_id, message->>'from' FROM pgmq.read('orders', 30, 10)")) {
                assertThat(rs.next()).as("pgmq.read on the adopted queue").isTrue();
                assertThat(rs.getLong(1)).isEqualTo(sent);
                assertThat(rs.getString(2)).isEqualTo("pgmq");
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pgmq.set_vt('orders', " + sent + ", 0)")) {
                rs.next();
                assertThat(rs.getInt(1)).as("pgmq.set_vt on the adopted queue").isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT pgmq.archive('orders', " + sent + ")")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("pgmq.archive on the adopted queue").isTrue();
            }
            try (ResultSet rs = s.executeQuery("SELECT queue_length FROM pgmq.metrics('orders')")) {
                rs.next();
                assertThat(rs.getLong(1)).as("pgmq.metrics: the requeued task Drover still holds").isEqualTo(1);
            }
        }
    }

    private static NewTask task(QueueName queue, String payload) {
        return NewTask.builder(queue, payload.getBytes(StandardCharsets.UTF_8), "bytes").runAt(Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS)).maxAttempts(3).build();
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
