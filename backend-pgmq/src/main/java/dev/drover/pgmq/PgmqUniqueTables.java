package dev.drover.pgmq;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;
import dev.drover.api.UniqueKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Unique keys on PostgreSQL: {@code drover.unique_keys} holds, per (queue, key), the task holding it, its scope and,
 * for a period, its expiry (on the database's clock). PGMQ's own schema is the extension's, so Drover's table lives in
 * schema {@code drover}, made at backend open under the setup advisory lock.
 * <p>
 * A push with keys takes, in its transaction, an advisory lock per (queue, key), in a fixed order (no deadlock between
 * two pushes with several keys), before it reads the holder: so the check and the take are one step against every
 * other push of the key, in any process. The holder's state is read where PGMQ keeps it: a message in {@code q_<queue>}
 * is PENDING or RUNNING, one archived in {@code a_<queue>} DONE or CANCELLED, one in the dead-letter queue DEAD; a
 * holder found nowhere was deleted and frees the key.
 */
final class PgmqUniqueTables {
    static final String TABLE = "drover.unique_keys";

    private PgmqUniqueTables() {
    }

    /** Idempotent; run in the setup transaction, which holds {@code pg_advisory_xact_lock(hashtext('drover.pgmq.setup'))}. */
    static void setUp(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(hashtext('drover.pgmq.setup'))");
            s.execute("CREATE SCHEMA IF NOT EXISTS drover");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS drover.unique_keys (
                        queue      text        NOT NULL,
                        key        text        NOT NULL,
                        task_id    text        NOT NULL,
                        scope      text        NOT NULL,
                        expires_at timestamptz,
                        PRIMARY KEY (queue, key))""");
        }
    }

    /** Locks every (queue, key) of {@code tasks} until the transaction ends, in (queue, key) order. */
    static void lock(Connection c, List<NewTask> tasks) throws SQLException {
        Map<String, String[]> ordered = new TreeMap<>();
        for (NewTask t : tasks) {
            if (t.unique() != null) ordered.put(t.queue().value() + "\u0000" + t.unique().key(), new String[] {t.queue().value(), t.unique().key()});
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('drover.unique'), hashtext(? || '/' || ?))")) {
            for (String[] qk : ordered.values()) {
                ps.setString(1, qk[0]);
                ps.setString(2, qk[1]);
                ps.execute();
            }
        }
    }

    /** The recorded holder of a key: its task, its scope, and whether its period (if any) is still running. */
    record Holder(TaskId taskId, UniqueKey.Scope scope, boolean periodRunning) {
        /** Whether a holder in {@code state} (null: the task no longer exists) holds the key now. */
        boolean holds(TaskState state) {
            if (state == null) return false;
            return switch (scope) {
                case ACTIVE -> state == TaskState.PENDING || state == TaskState.RUNNING;
                case UNTIL_DONE -> state == TaskState.PENDING || state == TaskState.RUNNING || state == TaskState.DEAD;
                case PERIOD -> periodRunning;
            };
        }
    }

    /** The holder recorded for {@code key} of {@code queue}, or null. */
    static Holder holder(Connection c, QueueName queue, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT task_id, scope, coalesce(expires_at > clock_timestamp(), false) FROM drover.unique_keys WHERE queue = ? AND key = ?""")) {
            ps.setString(1, queue.value());
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                return new Holder(TaskId.of(rs.getString(1)), UniqueKey.Scope.valueOf(rs.getString(2)), rs.getBoolean(3));
            }
        }
    }

    /** Records {@code task} as the holder of its key, replacing a holder out of scope. */
    static void take(Connection c, NewTask task) throws SQLException {
        UniqueKey unique = task.unique();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO drover.unique_keys (queue, key, task_id, scope, expires_at)
                VALUES (?, ?, ?, ?, clock_timestamp() + ?::bigint * interval '1 millisecond')
                ON CONFLICT (queue, key) DO UPDATE SET task_id = EXCLUDED.task_id, scope = EXCLUDED.scope, expires_at = EXCLUDED.expires_at""")) {
            ps.setString(1, task.queue().value());
            ps.setString(2, unique.key());
            ps.setString(3, task.id().value());
            ps.setString(4, unique.scope().name());
            if (unique.period() == null) ps.setNull(5, Types.BIGINT);
            else ps.setLong(5, unique.period().toMillis());
            ps.executeUpdate();
        }
    }

}
