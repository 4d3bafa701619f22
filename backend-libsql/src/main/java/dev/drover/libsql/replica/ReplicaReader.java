package dev.drover.libsql.replica;

import dev.drover.api.StorageException;
import dev.drover.sqlite.jdbc.JdbcStatements;
import dev.drover.sqlite.sql.SqlResult;
import dev.drover.sqlite.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Read-only queries on the live replica file that {@link ReplicaSync} keeps up to date: a small pool of sqlite-jdbc
 * connections with {@code PRAGMA query_only = 1}. Each {@link #read} runs in its own read transaction, so it sees
 * the content of the last publish that completed before it started. Rows come back as
 * {@link dev.drover.sqlite.jdbc.JdbcSqlTransport} returns them ({@link Long}, {@link Double}, {@link String},
 * {@code byte[]} or null). Thread-safe. Writes fail: they belong on the primary.
 */
public final class ReplicaReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaReader.class);
    public static final int DEFAULT_CONNECTIONS = 2;
    public static final int DEFAULT_BUSY_TIMEOUT_MILLIS = 5_000;

    private final Path live;
    private final BlockingQueue<Connection> idle;
    private final int busyTimeoutMillis;
    private volatile boolean closed;

    private ReplicaReader(Path live, List<Connection> connections, int busyTimeoutMillis) {
        this.live = live;
        this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
        this.busyTimeoutMillis = busyTimeoutMillis;
    }

    /** {@link #DEFAULT_CONNECTIONS} connections to {@code liveFile}, which a first {@link ReplicaSync#sync()} created. */
    public static ReplicaReader open(Path liveFile) {
        return open(liveFile, DEFAULT_CONNECTIONS, DEFAULT_BUSY_TIMEOUT_MILLIS);
    }

    /**
     * @param connections how many reads may run at once (at least 1)
     * @param busyTimeoutMillis how long a read waits for a lock (a publish or checkpoint in progress) or for a free connection
     * @throws StorageException when there is no replica file yet or it cannot be opened
     */
    public static ReplicaReader open(Path liveFile, int connections, int busyTimeoutMillis) {
        if (connections < 1) throw new IllegalArgumentException("a replica reader needs at least 1 connection, not " + connections);
        Path live = liveFile.toAbsolutePath().normalize();
        if (!Files.isRegularFile(live)) {
            throw new StorageException("there is no replica file " + live + " yet: run ReplicaSync.sync() once before reading it", true);
        }
        List<Connection> opened = new ArrayList<>(connections);
        try {
            for (int i = 0; i < connections; i++) {
                SQLiteConfig config = new SQLiteConfig();
                config.setBusyTimeout(busyTimeoutMillis);
                config.resetOpenMode(SQLiteOpenMode.CREATE); // never create: the live file comes from a sync
                Connection c = config.createConnection("jdbc:sqlite:" + live);
                opened.add(c);
                try (Statement statement = c.createStatement()) {
                    statement.execute("PRAGMA query_only = 1");
                }
            }
        } catch (SQLException e) {
            opened.forEach(ReplicaReader::closeQuietly);
            throw translate(live, e, "opening");
        }
        return new ReplicaReader(live, opened, busyTimeoutMillis);
    }

    public Path liveFile() {
        return live;
    }

    /** Runs one read-only statement; {@link SqlResult#changes()} is always 0. */
    public SqlResult read(SqlStatement statement) {
        Connection c = borrow();
        try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
            JdbcStatements.bind(ps, statement.args());
            if (!ps.execute()) return SqlResult.ofChanges(0);
            try (ResultSet rs = ps.getResultSet()) {
                return new SqlResult(JdbcStatements.readRows(rs), 0);
            }
        } catch (SQLException e) {
            throw translate(live, e, "reading");
        } finally {
            giveBack(c);
        }
    }

    private Connection borrow() {
        requireOpen();
        try {
            Connection c = idle.poll(busyTimeoutMillis, TimeUnit.MILLISECONDS);
            if (c == null) {
                throw new StorageException("no free connection to the replica " + live + " within " + busyTimeoutMillis
                        + " ms: open the ReplicaReader with more connections", true);
            }
            if (closed) {
                closeQuietly(c);
                requireOpen();
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for a connection to the replica " + live, true, e);
        }
    }

    private void giveBack(Connection c) {
        idle.offer(c);
        if (closed) closeIdle(); // close() ran during this read
    }

    private void closeIdle() {
        List<Connection> drained = new ArrayList<>();
        idle.drainTo(drained);
        drained.forEach(ReplicaReader::closeQuietly);
    }

    private void requireOpen() {
        if (closed) throw new StorageException("the reader of replica " + live + " is closed", false);
    }

    private static StorageException translate(Path live, SQLException e, String action) {
        SQLiteErrorCode code = e instanceof SQLiteException se ? se.getResultCode() : SQLiteErrorCode.UNKNOWN_ERROR;
        int primary = code == null ? -1 : code.code & 0xFF;
        String detail = e.getMessage();
        if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code) {
            return new StorageException("the replica " + live + " stayed locked while " + action + " (" + detail + "); try again", true, e);
        }
        if (primary == SQLiteErrorCode.SQLITE_READONLY.code) {
            return new StorageException("the replica " + live + " is read-only (" + detail + "): send writes to the primary", false, e);
        }
        if (primary == SQLiteErrorCode.SQLITE_CANTOPEN.code) {
            return new StorageException("cannot open the replica " + live + " while " + action + " (" + detail
                    + "): run ReplicaSync.sync() to create it, and check the folder's permissions", true, e);
        }
        return new StorageException("SQLite failed on the replica " + live + " while " + action + ": " + detail, false, e);
    }

    /** Closes the idle connections now and the busy ones when their read ends. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        closeIdle();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.warn("closing a replica connection failed: {}", e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ReplicaReader[" + live + "]";
    }
}
