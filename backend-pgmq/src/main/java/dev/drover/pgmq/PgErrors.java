package dev.drover.pgmq;

import dev.drover.api.StorageException;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/** Turns pgjdbc's exceptions into {@link StorageException}s that say where, what, and whether trying again may help. */
final class PgErrors {
    /** SQLSTATEs after which the same operation may succeed later: the server went away, was busy, or chose a victim. */
    private static final Set<String> TRANSIENT_STATES = Set.of(
            "57P01", // admin_shutdown (pg_terminate_backend, server stop)
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now (starting up)
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "53300", // too_many_connections
            "55P03", // lock_not_available
            "42P01"  // undefined_table: a queue's tables were dropped under us; they are made again on the next call
    );

    static final String UNIQUE_VIOLATION = "23505";
    static final String UNDEFINED_TABLE = "42P01";
    /** The server refused a connection: max_connections, or the role's or the database's CONNECTION LIMIT, reached. */
    static final String TOO_MANY_CONNECTIONS = "53300";

    private PgErrors() {
    }

    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) return true;
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state))) return true;
            }
        }
        return false;
    }

    static boolean hasState(Throwable e, String state) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && state.equals(s.getSQLState())) return true;
        }
        return false;
    }

    /** {@code where}: the database (never with its password); {@code what}: the operation, naming the queue. */
    static StorageException wrap(String where, String what, SQLException e) {
        return wrap(where, what, e, "");
    }

    /**
     * As {@link #wrap(String, String, SQLException)}; {@code connections} says where this backend's connections come from
     * and how to need fewer, for when the server refuses one (see {@link #refused}).
     */
    static StorageException wrap(String where, String what, SQLException e, String connections) {
        boolean transientFailure = isTransient(e);
        String state = e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")";
        String advice;
        if (hasState(e, UNDEFINED_TABLE)) {
            advice = "; a table of the queue was dropped (pgmq.drop_queue, or DROP TABLE) while this Drover used it: Drover makes the "
                    + "queue again, empty, on its next call; the tasks that were in it are gone";
        } else if (hasState(e, TOO_MANY_CONNECTIONS)) {
            advice = refused(connections);
        } else {
            advice = transientFailure ? "; the database is unreachable or busy, so the operation may succeed when tried again" : "";
        }
        return new StorageException(where + ": " + what + " failed: " + message(e) + state + advice, transientFailure, e);
    }

    /** What to say when the server refused a connection, with {@code connections}: this backend's share and how to lower it. */
    static String refused(String connections) {
        return "; the server refused a new connection: all its connections are in use (max_connections, or the CONNECTION LIMIT "
                + "of the role or the database, is reached)" + (connections.isEmpty() ? "" : ". " + connections);
    }

    static String message(SQLException e) {
        String m = e.getMessage();
        if (m == null) return e.getClass().getSimpleName();
        return m.strip().replace('\n', ' ');
    }
}
