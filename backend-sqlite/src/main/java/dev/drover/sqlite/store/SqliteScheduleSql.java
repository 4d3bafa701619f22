package dev.drover.sqlite.store;

import dev.drover.sqlite.sql.SqlStatement;

/**
 * The statements of recurring tasks on {@code drover_schedules} (migration 5), in the SQLite dialect. All values are bound
 * arguments. A tick is fired by {@link #ADVANCE} (a compare-and-set of last_tick) followed, in the same write transaction,
 * by {@link #PUSH_IF_ADVANCED}, which inserts the tick's task only when the statement before it changed a row.
 */
public final class SqliteScheduleSql {

    static final String COLUMNS = """
            name, queue, spec, zone, payload, codec, missed_ticks, missed_after_ms, priority, max_attempts, paused, last_tick""";

    /** A new schedule ticks from ?11 (given) or ?12 (now); a replaced one keeps its last tick and paused flag unless given. */
    static final String SAVE = """
            INSERT INTO drover_schedules (name, queue, spec, zone, payload, codec, missed_ticks, missed_after_ms, priority, max_attempts,
                                          paused, last_tick, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?13, coalesce(?11, ?12), ?12)
            ON CONFLICT (name) DO UPDATE SET
                queue = excluded.queue, spec = excluded.spec, zone = excluded.zone, payload = excluded.payload, codec = excluded.codec,
                missed_ticks = excluded.missed_ticks, missed_after_ms = excluded.missed_after_ms, priority = excluded.priority,
                max_attempts = excluded.max_attempts,
                paused = CASE WHEN ?13 = 1 THEN 1 ELSE drover_schedules.paused END,
                last_tick = coalesce(?11, drover_schedules.last_tick),
                updated_at = ?12""";

    static final String LIST = "SELECT " + COLUMNS + " FROM drover_schedules ORDER BY name";

    static final String PAUSE = "UPDATE drover_schedules SET paused = ?1, updated_at = ?2 WHERE name = ?3";

    static final String REMOVE = "DELETE FROM drover_schedules WHERE name = ?1";

    /** The compare-and-set: last_tick ?1 → ?2 of schedule ?3, only if it is still ?1, the schedule is not paused and ?2 is later. */
    static final String ADVANCE = """
            UPDATE drover_schedules SET last_tick = ?2, updated_at = ?4
             WHERE name = ?3 AND last_tick = ?1 AND paused = 0 AND ?2 > ?1""";

    /**
     * The tick's task, inserted only when {@link #ADVANCE}, the statement just before it in the same transaction, changed
     * its row: {@code changes()} is the row count of the last completed statement on this connection.
     */
    static final String PUSH_IF_ADVANCED = """
            INSERT INTO drover_tasks (id, queue, state, priority, run_at, attempt, max_attempts, payload, codec, metadata, enqueued_at)
            SELECT ?1, ?2, 'PENDING', ?3, ?4, 0, ?5, ?6, ?7, ?8, ?9 WHERE changes() = 1""";

    private SqliteScheduleSql() {
    }

    static SqlStatement advance(String name, long expected, long tick, long now) {
        return SqlStatement.of(ADVANCE, expected, tick, name, now);
    }
}
