package dev.drover.pgmq;

import dev.drover.api.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What is in the database, read from the catalog (never from a version string), and the DDL that makes a queue.
 *
 * <p>Plain mode writes PGMQ's own layout (1.10 and later): schema {@code pgmq}, table {@code pgmq.meta}, and per
 * queue {@code q_<name>} ({@code msg_id} identity, {@code read_ct}, {@code enqueued_at}, {@code last_read_at},
 * {@code vt}, {@code message}, {@code headers}) and {@code a_<name>} (the same plus {@code archived_at}), with PGMQ's
 * index names. Extension mode lets {@code pgmq.create} make them. Either way Drover adds, per queue, an index on
 * {@code headers->>'drover-id'} (unique on the live table) and a statement trigger that sends the NOTIFY PGMQ 1.7+
 * uses ({@code pgmq.q_<name>.INSERT}), and creates the dead-letter queue {@code <name>_dlq}. Queue creation takes
 * the advisory lock {@code pgmq.create} takes, so it is safe against both Drover and PGMQ creating the same queue.
 */
final class PgmqSchema {
    private static final Logger log = LoggerFactory.getLogger(PgmqSchema.class);
    private static final List<String> REQUIRED_COLUMNS = List.of("msg_id", "read_ct", "enqueued_at", "vt", "message", "headers");

    /** What the catalog says about PGMQ in this database. */
    record Catalog(boolean functions, boolean extension, String extensionVersion, boolean headers, boolean utf8) {
    }

    private PgmqSchema() {
    }

    static Catalog inspect(Connection c) throws SQLException {
        boolean functions = exists(c, """
                SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'pgmq' AND p.proname IN ('create', 'read', 'send_batch', 'archive')
                HAVING count(DISTINCT p.proname) = 4""");
        String version = null;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'pgmq'")) {
            if (rs.next()) version = rs.getString(1);
        }
        boolean headers = exists(c, """
                SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                  JOIN pg_attribute a ON a.attrelid = t.typrelid
                 WHERE n.nspname = 'pgmq' AND t.typname = 'message_record' AND a.attname = 'headers' AND NOT a.attisdropped""");
        boolean utf8;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_encoding")) {
            utf8 = rs.next() && rs.getString(1).equalsIgnoreCase("UTF8");
        }
        return new Catalog(functions, version != null, version, headers, utf8);
    }

    /** The mode to run in: the one asked for, checked against the catalog; AUTO picks extension mode when PGMQ is there. */
    static PgmqMode resolve(PgmqMode asked, Catalog catalog, String where) {
        if (catalog.functions() && !catalog.headers() && asked != PgmqMode.PLAIN) {
            // pgmq's upgrade scripts run ALTER EXTENSION themselves, so they fail on an install made from SQL
            String update = catalog.extension()
                    ? "Update it: put the files of pgmq 1.5 or later on the server, then run ALTER EXTENSION pgmq UPDATE"
                    : "It was installed from SQL, not as an extension, so ALTER EXTENSION cannot update it, and pgmq has no upgrade "
                      + "for such an install: install pgmq 1.5 or later anew (DROP SCHEMA pgmq CASCADE, which deletes its queues and their "
                      + "messages, then CREATE EXTENSION pgmq or run the pgmq.sql of 1.5 or later)";
            throw new ConfigurationException(where + ": the pgmq installed here ("
                    + (catalog.extension() ? "extension " + catalog.extensionVersion() : "a SQL-only install") + ") is older than 1.5: "
                    + "its messages have no headers, where Drover keeps its fields. " + update + "; or open with mode=plain, where Drover "
                    + "calls none of pgmq's functions and makes its queues' tables itself");
        }
        return switch (asked) {
            case AUTO -> catalog.functions() ? PgmqMode.EXTENSION : PgmqMode.PLAIN;
            case EXTENSION -> {
                if (!catalog.functions()) {
                    throw new ConfigurationException(where + ": mode=extension, but the pgmq SQL API is not installed in this database: "
                            + "run CREATE EXTENSION pgmq (pgmq 1.5 or later), or use mode=plain to let Drover create PGMQ's tables itself");
                }
                yield PgmqMode.EXTENSION;
            }
            case PLAIN -> {
                if (catalog.functions()) log.info("{}: pgmq is installed but mode=plain: Drover creates queues with its own SQL", where);
                yield PgmqMode.PLAIN;
            }
        };
    }

    /** Once per backend: the schema and meta table (plain mode) and Drover's NOTIFY trigger function. */
    static void setUp(Connection c, PgmqMode mode) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(hashtext('drover.pgmq.setup'))");
            if (mode == PgmqMode.PLAIN) {
                s.execute("CREATE SCHEMA IF NOT EXISTS pgmq");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS pgmq.meta (
                            queue_name VARCHAR UNIQUE NOT NULL,
                            is_partitioned BOOLEAN NOT NULL,
                            is_unlogged BOOLEAN NOT NULL,
                            created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL
                        )""");
            }
            if (!exists(c, "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'pgmq' AND p.proname = 'drover_notify_insert'")) {
                s.execute("""
                        CREATE FUNCTION pgmq.drover_notify_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            PERFORM pg_notify('pgmq.q_' || TG_ARGV[0] || '.INSERT', NULL);
                            RETURN NULL;
                        END
                        $$""");
            }
        }
    }

    /** The columns a queue's tables have, and whether its live table had to be made (it did not exist). */
    record Layout(boolean queueHasLastReadAt, boolean archiveHasLastReadAt, boolean created) {
    }

    /** Makes (idempotently) the queue, its archive, its dead-letter queue, and Drover's indexes and trigger; in the caller's transaction. */
    static Layout ensureQueue(Connection c, PgmqMode mode, QueueTables t) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('pgmq.queue_' || ?))")) {
            for (String name : List.of(t.name(), t.dlqName())) {
                lock.setString(1, name);
                lock.execute();
            }
        }
        boolean created = !exists(c, "SELECT 1 FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace "
                + "WHERE n.nspname = 'pgmq' AND r.relname = 'q_" + t.name() + "'"); // a QueueTables name: [a-z][a-z0-9_]*
        try (Statement s = c.createStatement()) {
            for (String name : List.of(t.name(), t.dlqName())) {
                if (mode == PgmqMode.EXTENSION) {
                    try (PreparedStatement create = c.prepareStatement("SELECT pgmq.create(?)")) {
                        create.setString(1, name);
                        create.execute();
                    }
                } else {
                    createPlain(s, name);
                }
            }
            s.execute("CREATE UNIQUE INDEX IF NOT EXISTS \"q_" + t.name() + "_drover_id\" ON " + t.q() + " ((headers->>'drover-id'))");
            // Claims take due messages by (vt, msg_id): with PGMQ's index on vt alone, every claim would read and sort all
            // the due messages sharing the oldest vt (a bulk push gives thousands the same one) to find the first few. A
            // queue made in plain mode has that order in PGMQ's own vt index already (createPlain), and needs no second one.
            if (!hasIndexOn(c, "q_" + t.name(), "(vt, msg_id)")) {
                s.execute("CREATE INDEX IF NOT EXISTS \"q_" + t.name() + "_drover_vt\" ON " + t.q() + " (vt, msg_id)");
            }
            s.execute("CREATE INDEX IF NOT EXISTS \"a_" + t.name() + "_drover_id\" ON " + t.a() + " ((headers->>'drover-id'))");
            s.execute("CREATE INDEX IF NOT EXISTS \"q_" + t.dlqName() + "_drover_id\" ON " + t.dlq() + " ((headers->>'drover-id'))");
            s.execute("CREATE OR REPLACE TRIGGER drover_notify_insert AFTER INSERT ON " + t.q()
                    + " FOR EACH STATEMENT EXECUTE FUNCTION pgmq.drover_notify_insert('" + t.name() + "')");
        }
        Set<String> queueColumns = columns(c, "q_" + t.name());
        Set<String> archiveColumns = columns(c, "a_" + t.name());
        requireColumns(t.q(), queueColumns);
        requireColumns(t.a(), archiveColumns);
        requireColumns(t.dlq(), columns(c, "q_" + t.dlqName()));
        return new Layout(queueColumns.contains("last_read_at"), archiveColumns.contains("last_read_at"), created);
    }

    private static void createPlain(Statement s, String name) throws SQLException {
        s.execute("""
                CREATE TABLE IF NOT EXISTS pgmq."q_%1$s" (
                    msg_id BIGINT PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
                    read_ct INT DEFAULT 0 NOT NULL,
                    enqueued_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
                    last_read_at TIMESTAMP WITH TIME ZONE,
                    vt TIMESTAMP WITH TIME ZONE NOT NULL,
                    message JSONB,
                    headers JSONB
                )""".formatted(name));
        s.execute("""
                CREATE TABLE IF NOT EXISTS pgmq."a_%1$s" (
                    msg_id BIGINT PRIMARY KEY,
                    read_ct INT DEFAULT 0 NOT NULL,
                    enqueued_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
                    last_read_at TIMESTAMP WITH TIME ZONE,
                    archived_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
                    vt TIMESTAMP WITH TIME ZONE NOT NULL,
                    message JSONB,
                    headers JSONB
                )""".formatted(name));
        // PGMQ's index on vt, with msg_id after it: what PGMQ's own reads need (vt leads) and the order Drover's claims take
        // (vt, then send order), so the queue needs one index for both instead of two, each written by every push and claim.
        s.execute("CREATE INDEX IF NOT EXISTS \"q_%1$s_vt_idx\" ON pgmq.\"q_%1$s\" (vt ASC, msg_id)".formatted(name));
        s.execute("CREATE INDEX IF NOT EXISTS \"archived_at_idx_%1$s\" ON pgmq.\"a_%1$s\" (archived_at)".formatted(name));
        s.execute("INSERT INTO pgmq.meta (queue_name, is_partitioned, is_unlogged) VALUES ('%s', false, false) ON CONFLICT DO NOTHING".formatted(name));
    }

    /** Whether {@code pgmq.<table>} has a plain B-tree index whose columns are exactly {@code columns}, e.g. "(vt, msg_id)". */
    private static boolean hasIndexOn(Connection c, String table, String columns) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT 1 FROM pg_indexes WHERE schemaname = 'pgmq' AND tablename = ? AND indexdef LIKE '%USING btree ' || ?""")) {
            ps.setString(1, table);
            ps.setString(2, columns);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Set<String> columns(Connection c, String table) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = r.relnamespace
                 WHERE n.nspname = 'pgmq' AND r.relname = ? AND a.attnum > 0 AND NOT a.attisdropped""")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static void requireColumns(String table, Set<String> present) {
        for (String column : REQUIRED_COLUMNS) {
            if (!present.contains(column)) {
                throw new ConfigurationException("table " + table + " has no column " + column + ": it was made by an old PGMQ client "
                        + "(before pgmq 1.5)" + (column.equals("headers") ? "; add it with ALTER TABLE " + table + " ADD COLUMN headers jsonb" : ""));
            }
        }
    }

    private static boolean exists(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next();
        }
    }
}
