/**
 * Drover on libSQL / Turso: a local file ({@code libsql:jobs.db}), a server over Hrana ({@code libsql://host}), or an
 * embedded replica. Users need only {@code dev.drover.libsql}; the Hrana client and the replica's sync are internal.
 */
module dev.drover.backend.libsql {
    requires transitive dev.drover.api;
    requires dev.drover.backend.sqlite;
    requires java.net.http;
    requires org.xerial.sqlitejdbc;
    requires org.slf4j;

    exports dev.drover.libsql;
    opens dev.drover.libsql.hrana to tools.jackson.databind;
    opens dev.drover.libsql.replica to tools.jackson.databind;

    provides dev.drover.spi.BackendProvider with dev.drover.libsql.LibsqlBackendProvider;
}
