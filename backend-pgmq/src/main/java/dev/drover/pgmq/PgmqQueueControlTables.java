package dev.drover.pgmq;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Drover's tables for queue control (pause, queue-wide limits), in schema {@code drover} (schema {@code pgmq} belongs to
 * the extension): {@code drover.queue_control}, one row per queue someone paused or limited, keyed by Drover's queue
 * name (a bound value, never part of the SQL text); and {@code drover.queue_starts}, the claims a rate-limited queue
 * made, for the sliding window. Made idempotently at backend open, under the setup advisory lock.
 */
final class PgmqQueueControlTables {
    static final String CONTROL = "drover.queue_control";
    static final String STARTS = "drover.queue_starts";

    private PgmqQueueControlTables() {
    }

    /** In the caller's transaction. */
    static void setUp(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(hashtext('drover.pgmq.setup'))");
            s.execute("CREATE SCHEMA IF NOT EXISTS drover");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS drover.queue_control (
                        queue            text        PRIMARY KEY,
                        paused           boolean     NOT NULL DEFAULT false,
                        max_running      integer,
                        max_starts       integer,
                        rate_interval_ms bigint,
                        updated_at       timestamptz NOT NULL DEFAULT clock_timestamp())""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS drover.queue_starts (
                        queue      text        NOT NULL,
                        started_at timestamptz NOT NULL,
                        starts     integer     NOT NULL)""");
            s.execute("CREATE INDEX IF NOT EXISTS queue_starts_window ON drover.queue_starts (queue, started_at)");
        }
    }
}
