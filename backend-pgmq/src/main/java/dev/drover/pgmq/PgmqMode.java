package dev.drover.pgmq;

/** How the backend reaches PGMQ's tables. Either way the tables have PGMQ's layout, so a queue works with both. */
public enum PgmqMode {
    /** Extension mode when the pgmq SQL API is installed in the database (extension or SQL-only install), else plain. */
    AUTO,
    /** The pgmq SQL API must be installed (1.5 or later): queues are made with {@code pgmq.create}. */
    EXTENSION,
    /** A stock PostgreSQL: Drover creates the {@code pgmq} schema, the meta table and the queue tables itself. */
    PLAIN
}
