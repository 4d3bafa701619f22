package dev.drover.sqlite.store;

import dev.drover.api.StorageException;
import dev.drover.sqlite.sql.SqlStatement;
import dev.drover.sqlite.sql.SqlTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Drover's tables in a SQLite-dialect database (SQLite, libSQL, Turso) and the migrations that build them.
 * Times are epoch milliseconds. Setup is idempotent and safe when several processes open a new database at
 * once: each migration is one write transaction that also records its version.
 */
public final class SqliteSchema {
    private static final Logger log = LoggerFactory.getLogger(SqliteSchema.class);

    /** One step of the schema: its statements run in one transaction together with its entry in drover_migrations. */
    public record Migration(int version, String description, List<String> statements) {
        public Migration {
            Objects.requireNonNull(description, "description");
            statements = List.copyOf(statements);
        }
    }

    public static final String CREATE_MIGRATIONS_TABLE = """
            CREATE TABLE IF NOT EXISTS drover_migrations (
                version     INTEGER PRIMARY KEY,
                description TEXT    NOT NULL,
                applied_at  INTEGER NOT NULL)""";

    /** Drover's two tables, where they exist, before anything is created. */
    static final String DROVER_TABLES = """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('drover_migrations', 'drover_tasks')""";

    /**
     * Names every column of Drover's drover_migrations (its rows never hold NULLs there), so a table of that name
     * that someone else made fails with "no such column" instead of passing for Drover's.
     */
    static final String CURRENT_VERSION = """
            SELECT coalesce(max(version), 0) AS version FROM drover_migrations WHERE description IS NOT NULL AND applied_at IS NOT NULL""";

    static final String RECORD_MIGRATION = """
            INSERT OR IGNORE INTO drover_migrations (version, description, applied_at) VALUES (?, ?, ?)""";

    /** Every migration, in order. Append only: a released migration never changes. */
    public static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "tasks, with indexes for claiming due tasks, expiring leases and inspection", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS drover_tasks (
                        id               TEXT    PRIMARY KEY,
                        queue            TEXT    NOT NULL,
                        state            TEXT    NOT NULL,
                        priority         INTEGER NOT NULL DEFAULT 0,
                        run_at           INTEGER NOT NULL,
                        attempt          INTEGER NOT NULL DEFAULT 0,
                        max_attempts     INTEGER NOT NULL,
                        payload          BLOB    NOT NULL,
                        codec            TEXT    NOT NULL,
                        metadata         TEXT,
                        last_error       TEXT,
                        result           BLOB,
                        lease_owner      TEXT,
                        lease_token      TEXT,
                        lease_expires_at INTEGER,
                        enqueued_at      INTEGER NOT NULL,
                        started_at       INTEGER,
                        finished_at      INTEGER)""",
                    """
                    CREATE INDEX IF NOT EXISTS drover_tasks_due
                        ON drover_tasks (queue, priority DESC, run_at, id) WHERE state = 'PENDING'""",
                    """
                    CREATE INDEX IF NOT EXISTS drover_tasks_leases
                        ON drover_tasks (queue, lease_expires_at) WHERE state = 'RUNNING'""",
                    """
                    CREATE INDEX IF NOT EXISTS drover_tasks_queue_state
                        ON drover_tasks (queue, state, id)""")),
            // Every state change of a task rewrote its entry in drover_tasks_queue_state: two index writes at the claim and
            // two at the completion, the largest share of a task's cost in a drain. Inspection now finds PENDING and RUNNING
            // tasks through the claim's own partial indexes and finished ones through an index that a task enters once.
            new Migration(2, "finished tasks get their own partial index; the (queue, state, id) index every transition rewrote is dropped", List.of(
                    """
                    CREATE INDEX IF NOT EXISTS drover_tasks_finished
                        ON drover_tasks (queue, state, id) WHERE state IN ('DONE', 'DEAD', 'CANCELLED')""",
                    """
                    DROP INDEX IF EXISTS drover_tasks_queue_state""")),
            // Issue 13 feature 3/4: a persisted control per queue (paused, queue-wide limits) that every claim reads in its
            // own write transaction, and the starts a rate-limited queue made, for the sliding window (pruned by the claim).
            new Migration(3, "queue control (pause, concurrency and rate limits) and the starts of rate-limited queues", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS drover_queue_control (
                        queue            TEXT    PRIMARY KEY,
                        paused           INTEGER NOT NULL DEFAULT 0,
                        max_running      INTEGER,
                        max_starts       INTEGER,
                        rate_interval_ms INTEGER,
                        updated_at       INTEGER NOT NULL)""",
                    """
                    CREATE TABLE IF NOT EXISTS drover_queue_starts (
                        queue      TEXT    NOT NULL,
                        started_at INTEGER NOT NULL,
                        starts     INTEGER NOT NULL)""",
                    """
                    CREATE INDEX IF NOT EXISTS drover_queue_starts_window ON drover_queue_starts (queue, started_at)""")),
            // Unique tasks: the holder of each (queue, key), with its scope; a push checks and takes the key in its own write
            // transaction, which SQLite serialises, so of concurrent pushes of one key exactly one stores a task.
            new Migration(4, "unique keys: the task holding each (queue, key), its scope and, for a period, its expiry", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS drover_unique_keys (
                        queue      TEXT    NOT NULL,
                        key        TEXT    NOT NULL,
                        task_id    TEXT    NOT NULL,
                        scope      TEXT    NOT NULL,
                        expires_at INTEGER,
                        PRIMARY KEY (queue, key))""")),
            // Recurring tasks: one row per schedule; a scheduler fires a tick with a compare-and-set of last_tick.
            new Migration(5, "recurring task schedules", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS drover_schedules (
                        name            TEXT    PRIMARY KEY,
                        queue           TEXT    NOT NULL,
                        spec            TEXT    NOT NULL,
                        zone            TEXT    NOT NULL,
                        payload         BLOB    NOT NULL,
                        codec           TEXT    NOT NULL,
                        missed_ticks    TEXT    NOT NULL,
                        missed_after_ms INTEGER NOT NULL,
                        priority        INTEGER NOT NULL,
                        max_attempts    INTEGER NOT NULL,
                        paused          INTEGER NOT NULL DEFAULT 0,
                        last_tick       INTEGER NOT NULL,
                        updated_at      INTEGER NOT NULL)""")),
            // Retention deletes finished tasks by age: (queue, state, finished_at) lets its sweep find the old ones of
            // each state as one range, without reading the young ones.
            new Migration(6, "retention finds finished tasks by state and age", List.of(
                    """
                    CREATE INDEX IF NOT EXISTS drover_tasks_retention
                        ON drover_tasks (queue, state, finished_at) WHERE state IN ('DONE', 'DEAD', 'CANCELLED')""")),
            // Attempt history: each failed attempt (number, time, worker, error) is appended to a JSON array in the same UPDATE
            // that records the failure, so the history is as atomic and fenced as the settlement; the last 10 are kept.
            new Migration(7, "each task keeps its failed attempts (the last 10): attempt_errors, a JSON array", List.of(
                    """
                    ALTER TABLE drover_tasks ADD COLUMN attempt_errors TEXT""")),
            // A completion wrote two index entries for finished tasks, (queue, state, id) for listing and (queue, state,
            // finished_at) for retention and throughput: a third of a drain's cost (issue 17's profile). DONE tasks, nearly
            // every finished task, are now listed by walking the id index (the primary key) and keep only the retention index;
            // the rare DEAD and CANCELLED ones keep an index by id of their own, so their pages stay cheap in any queue.
            new Migration(8, "completed tasks enter one index, not two: DONE is listed through the primary key; DEAD and CANCELLED keep their own", List.of(
                    """
                    CREATE INDEX IF NOT EXISTS drover_tasks_dead_or_cancelled
                        ON drover_tasks (queue, state, id) WHERE state IN ('DEAD', 'CANCELLED')""",
                    """
                    DROP INDEX IF EXISTS drover_tasks_finished""")));

    private SqliteSchema() {
    }

    public static int latestVersion() {
        return MIGRATIONS.getLast().version();
    }

    /**
     * Brings the database up to the latest version and returns the version it is at. Idempotent; when another
     * process migrates at the same time, whichever commits first wins and the other finds the work done.
     * A database whose drover_tasks or drover_migrations table belongs to something else is refused before anything
     * is created in it; each migration creates drover_migrations in its own transaction, so a failed one leaves nothing.
     */
    public static int migrate(SqlTransport transport, Clock clock) {
        int version = existingVersion(transport);
        if (version > latestVersion()) {
            log.warn("{} has schema version {}, newer than the {} this Drover knows: a newer Drover uses it; upgrade this one",
                    transport.describe(), version, latestVersion());
            return version;
        }
        for (Migration migration : MIGRATIONS) {
            if (migration.version() <= version) continue;
            List<SqlStatement> batch = new ArrayList<>();
            batch.add(SqlStatement.of(CREATE_MIGRATIONS_TABLE));
            migration.statements().forEach(sql -> batch.add(SqlStatement.of(sql)));
            batch.add(SqlStatement.of(RECORD_MIGRATION, (long) migration.version(), migration.description(), clock.millis()));
            try {
                transport.write(batch);
                log.info("{}: applied schema migration {} ({})", transport.describe(), migration.version(), migration.description());
            } catch (StorageException e) {
                int now;
                try {
                    now = currentVersion(transport);
                } catch (StorageException again) {
                    e.addSuppressed(again);
                    throw e;
                }
                if (now < migration.version()) throw e;
                log.debug("{}: schema migration {} was applied by another process meanwhile", transport.describe(), migration.version());
            }
            version = migration.version();
        }
        return version;
    }

    /**
     * The version recorded in the database, 0 for one Drover has not set up yet. Fails, changing nothing, when a
     * table named like one of Drover's is there but is not Drover's: a drover_migrations without Drover's columns, or
     * a drover_tasks with no migration recorded (Drover records its first migration in the transaction that creates
     * drover_tasks).
     */
    private static int existingVersion(SqlTransport transport) {
        List<String> tables = transport.read(SqlStatement.of(DROVER_TABLES)).rows().stream().map(row -> row.getString("name")).toList();
        int version = 0;
        if (tables.contains("drover_migrations")) {
            try {
                version = currentVersion(transport);
            } catch (StorageException e) {
                if (!String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("no such column")) throw e;
                throw notDrovers(transport, "drover_migrations", "it lacks Drover's columns: " + e.getMessage(), e);
            }
        }
        if (version == 0 && tables.contains("drover_tasks")) {
            throw notDrovers(transport, "drover_tasks", "Drover recorded no migration that created it", null);
        }
        return version;
    }

    private static StorageException notDrovers(SqlTransport transport, String table, String why, Exception cause) {
        return new StorageException(transport.describe() + " already has a table " + table + " that Drover did not create (" + why
                + "): it belongs to something else, and Drover changed nothing in the database. Give Drover a database of its own: "
                + "another file, or another database on the server", false, cause);
    }

    static int currentVersion(SqlTransport transport) {
        return transport.read(SqlStatement.of(CURRENT_VERSION)).rows().getFirst().getInt("version");
    }
}
