/**
 * Drover on an embedded SQLite file ({@code sqlite:jobs.db}). Users need only {@code dev.drover.sqlite}
 * ({@code SqliteBackend}, {@code SqliteOptions}); the task store, schema and SQL transport are exported to the libSQL
 * backend alone, which reuses them over HTTP.
 */
module dev.drover.backend.sqlite {
    requires transitive dev.drover.api;
    requires org.xerial.sqlitejdbc;
    requires org.slf4j;

    exports dev.drover.sqlite;
    exports dev.drover.sqlite.store to dev.drover.backend.libsql;
    exports dev.drover.sqlite.sql to dev.drover.backend.libsql;
    exports dev.drover.sqlite.jdbc to dev.drover.backend.libsql;

    provides dev.drover.spi.BackendProvider with dev.drover.sqlite.SqliteBackendProvider;
}
