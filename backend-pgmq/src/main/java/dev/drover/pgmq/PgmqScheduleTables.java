package dev.drover.pgmq;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Drover's table of recurring-task schedules on PostgreSQL, {@code drover.schedules}, in both modes (plain and extension):
 * it is Drover's own, so it lives in schema {@code drover}, not in {@code pgmq}, which the extension owns. Times are epoch
 * milliseconds of the server's clock. A tick is fired by {@link #ADVANCE} (a compare-and-set of last_tick) and the tick's
 * message is sent in the same transaction only when it changed the row.
 */
final class PgmqScheduleTables {

    static final String COLUMNS = "name, queue, spec, zone, payload, codec, missed_ticks, missed_after_ms, priority, max_attempts, paused, last_tick";

    static final String NOW_MS = "SELECT (extract(epoch FROM date_trunc('milliseconds', clock_timestamp())) * 1000)::bigint";

    /** A new schedule ticks from ?11 (given) or the server's now; a replaced one keeps its last tick and paused flag unless given. */
    static final String SAVE = """
            WITH clock AS (SELECT (extract(epoch FROM date_trunc('milliseconds', clock_timestamp())) * 1000)::bigint AS now)
            INSERT INTO drover.schedules AS s (name, queue, spec, zone, payload, codec, missed_ticks, missed_after_ms, priority, max_attempts,
                                               paused, last_tick, updated_at)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?::bigint, clock.now), clock.now FROM clock
            ON CONFLICT (name) DO UPDATE SET
                queue = excluded.queue, spec = excluded.spec, zone = excluded.zone, payload = excluded.payload, codec = excluded.codec,
                missed_ticks = excluded.missed_ticks, missed_after_ms = excluded.missed_after_ms, priority = excluded.priority,
                max_attempts = excluded.max_attempts,
                paused = s.paused OR excluded.paused,
                last_tick = CASE WHEN ?::bigint IS NULL THEN s.last_tick ELSE excluded.last_tick END,
                updated_at = excluded.updated_at""";

    static final String LIST = "SELECT " + COLUMNS + " FROM drover.schedules ORDER BY name";

    static final String PAUSE = "UPDATE drover.schedules SET paused = ?, updated_at = (" + NOW_MS + ") WHERE name = ?";

    static final String REMOVE = "DELETE FROM drover.schedules WHERE name = ?";

    /** last_tick → ? (the tick) of schedule ?, only if it is still ? (the expected one) and the schedule is not paused. */
    static final String ADVANCE = "UPDATE drover.schedules SET last_tick = ?, updated_at = (" + NOW_MS + ") "
            + "WHERE name = ? AND last_tick = ? AND NOT paused";

    private PgmqScheduleTables() {
    }

    /** Creates schema {@code drover} and its schedules table if missing, under Drover's setup lock; call inside a transaction. */
    static void setUp(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(hashtext('drover.pgmq.setup'))");
            s.execute("CREATE SCHEMA IF NOT EXISTS drover");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS drover.schedules (
                        name            text    PRIMARY KEY,
                        queue           text    NOT NULL,
                        spec            text    NOT NULL,
                        zone            text    NOT NULL,
                        payload         bytea   NOT NULL,
                        codec           text    NOT NULL,
                        missed_ticks    text    NOT NULL,
                        missed_after_ms bigint  NOT NULL,
                        priority        integer NOT NULL,
                        max_attempts    integer NOT NULL,
                        paused          boolean NOT NULL DEFAULT false,
                        last_tick       bigint  NOT NULL,
                        updated_at      bigint  NOT NULL)""");
        }
    }
}
