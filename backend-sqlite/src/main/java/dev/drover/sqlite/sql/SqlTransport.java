package dev.drover.sqlite.sql;

import java.util.List;

/**
 * How SQL reaches a SQLite-dialect database: over JDBC to a local file (sqlite-jdbc), or over HTTP to a libSQL
 * server (Hrana). The backend logic ({@link dev.drover.sqlite.store.SqlTaskStore}) speaks only this, so the schema and
 * every statement are shared by both. Implementations are thread-safe and report failures as
 * {@link dev.drover.api.StorageException}s whose message names the database and what to do.
 */
public interface SqlTransport extends AutoCloseable {

    /**
     * Runs all {@code statements} in order in ONE transaction that takes the write lock at its start
     * ({@code BEGIN IMMEDIATE} or its equivalent), and commits; on any failure nothing of it is kept.
     *
     * @return one result per statement, in order
     */
    List<SqlResult> write(List<SqlStatement> statements);

    /** Runs one read-only statement (on a reader if the transport has several connections). */
    SqlResult read(SqlStatement statement);

    /** The database for logs and messages, secrets removed: {@code sqlite:/srv/jobs.db}. */
    String describe();

    /** Releases connections. Idempotent. */
    @Override
    void close();
}
