/** Drover on PostgreSQL with PGMQ's table layout ({@code pgmq://user@host:5432/db}), in extension or plain-SQL mode. */
module dev.drover.backend.pgmq {
    requires transitive dev.drover.api;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;
    requires org.slf4j;

    exports dev.drover.pgmq;

    provides dev.drover.spi.BackendProvider with dev.drover.pgmq.PgmqBackendProvider;
}
