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
        boolean transientFailure = isTransient(e);
        String state = e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")";
        String advice = transientFailure
                ? "; the database is unreachable or busy, so the operation may succeed when tried again"
                : "";
        return new StorageException(where + ": " + what + " failed: " + message(e) + state + advice, transientFailure, e);
    }

    private static String message(SQLException e) {
        String m = e.getMessage();
        if (m == null) return e.getClass().getSimpleName();
        return m.strip().replace('\n', ' ');
    }
}
