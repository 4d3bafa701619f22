package dev.drover.sqlite.jdbc;

import dev.drover.api.StorageException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.SQLException;

/** Turns sqlite-jdbc's exceptions into {@link StorageException}s that name the database and say what to do. */
final class SqliteErrors {
    private final String database;
    private final String scheme;
    private final int busyTimeoutMillis;

    /**
     * @param database the file as the user should recognise it (absolute path), or {@code :memory:}
     * @param scheme the scheme of the URL the user wrote for it ({@code sqlite}, or {@code libsql} for a local libSQL file)
     */
    SqliteErrors(String database, String scheme, int busyTimeoutMillis) {
        this.database = database;
        this.scheme = scheme;
        this.busyTimeoutMillis = busyTimeoutMillis;
    }

    /** What was being done when SQLite failed: named in the message, and whether a write may have been lost. */
    enum Action {
        OPENING("opening", false),
        READING("reading", false),
        WRITING("writing", true),
        WRITING_WITHIN("writing in the application's transaction", true),
        SETTING_A_PRAGMA("setting a pragma", false);

        private final String text;
        private final boolean writes;

        Action(String text, boolean writes) {
            this.text = text;
            this.writes = writes;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    StorageException translate(SQLException e, Action action) {
        SQLiteErrorCode code = primaryCode(e);
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String notKept = action.writes ? "; the write was not kept" : "";
        return switch (code) {
            case SQLITE_BUSY, SQLITE_LOCKED -> new StorageException("SQLite database " + database + " is busy while " + action
                    + ": another process holds the write lock longer than busyTimeout=" + busyTimeoutMillis
                    + "ms; raise busyTimeout (for example " + scheme + ":" + database + "?busyTimeout=30000) or keep the other process's transactions short ("
                    + detail + ")", true, e);
            case SQLITE_NOTADB -> new StorageException(database + " is not a SQLite database: point the " + scheme
                    + ": URL at a new file or at a Drover database (" + detail + ")", false, e);
            case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM -> new StorageException((action == Action.READING ? "cannot read " : "cannot write ")
                    + database + " while " + action + ": " + detail
                    + "; make the file and its folder writable by this process (WAL needs " + database + "-wal and "
                    + database + "-shm beside it) or choose another path", false, e);
            case SQLITE_CORRUPT -> new StorageException("SQLite database " + database + " is corrupt (" + detail
                    + "): restore it from a backup or move it aside and start a new file", false, e);
            case SQLITE_FULL -> new StorageException("the disk holding " + database + " is full while " + action + " (" + detail
                    + "): free space" + notKept, true, e);
            case SQLITE_IOERR -> new StorageException("I/O error on " + database + " while " + action + " (" + detail
                    + "): check the disk and the file system" + notKept, true, e);
            case SQLITE_CONSTRAINT -> new StorageException(database + " refused the write: " + detail, false, e);
            default -> new StorageException("SQLite failed on " + database + " while " + action + ": " + detail, false, e);
        };
    }

    /**
     * The primary SQLite result code (the low byte of an extended one: SQLITE_READONLY_DBMOVED is SQLITE_READONLY),
     * or UNKNOWN_ERROR.
     */
    static SQLiteErrorCode primaryCode(SQLException e) {
        int code = -1;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLiteException se && se.getResultCode() != null && se.getResultCode() != SQLiteErrorCode.UNKNOWN_ERROR) {
                code = se.getResultCode().code;
                break;
            }
        }
        if (code < 0 && e.getErrorCode() > 0) code = e.getErrorCode();
        return code < 0 ? SQLiteErrorCode.UNKNOWN_ERROR : SQLiteErrorCode.getErrorCode(code & 0xff);
    }
}
