package dev.drover.libsql.replica;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes a checked shadow image the content of the live file, atomically for everyone reading it: one dedicated
 * sqlite-jdbc connection to the live file runs SQLite's online backup from the image ({@code restore from}), which is
 * a single write transaction in the live file's WAL. Readers already inside a transaction keep their snapshot; every
 * later read sees the new content, schema changes included. A passive checkpoint follows, so the WAL does not keep
 * a copy of the whole database per publish while readers are idle.
 * <p>
 * The live file is created here, empty, in WAL mode with 4096-byte pages (the page size the pull protocol carries,
 * which a WAL-mode backup destination must share), and always kept in WAL mode. Not thread-safe: its owner
 * ({@link ReplicaSync}) serialises publishes.
 */
final class LivePublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LivePublisher.class);

    private final Path live;
    private final int busyTimeoutMillis;
    private Connection connection;
    private Object fileKey;

    LivePublisher(Path live, int busyTimeoutMillis) {
        this.live = live;
        this.busyTimeoutMillis = busyTimeoutMillis;
    }

    /** The SQL that publishes {@code image}; fails for a path sqlite-jdbc's command parser cannot quote. */
    static String restoreCommand(Path image) {
        String path = image.toAbsolutePath().toString();
        if (path.indexOf('\'') < 0) return "restore from '" + path + "'";
        if (path.indexOf('"') < 0) return "restore from \"" + path + "\"";
        throw new IllegalArgumentException("the replica's path " + path + " contains both ' and \": choose a path without quotes");
    }

    /** Publishes {@code image} (a checked shadow) into the live file, creating the live file if it is missing. */
    void publish(Path image) throws SQLException, IOException {
        Connection c = connection();
        long start = System.nanoTime();
        try (Statement statement = c.createStatement()) {
            statement.executeUpdate(restoreCommand(image));
        }
        long restored = System.nanoTime();
        try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            if (rs.next() && log.isDebugEnabled()) {
                log.debug("published {} into {} in {} ms; checkpoint: busy={} wal frames={} checkpointed={} ({} ms)", image, live,
                        TimeUnit.NANOSECONDS.toMillis(restored - start), rs.getInt(1), rs.getInt(2), rs.getInt(3),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored));
            }
        }
    }

    /** The connection to the live file, (re)opened when the file was created, removed or replaced since. */
    private Connection connection() throws SQLException, IOException {
        if (connection != null && !Objects.equals(fileKey, currentFileKey())) {
            log.info("the live replica file {} was removed or replaced: reopening it", live);
            close();
        }
        if (connection == null) {
            boolean fresh = !Files.exists(live) || Files.size(live) == 0;
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(busyTimeoutMillis);
            Connection c = config.createConnection("jdbc:sqlite:" + live.toAbsolutePath());
            try {
                if (fresh) pragma(c, "page_size = " + ShadowStore.PAGE_SIZE);
                switchToWal(c);
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c);
                throw e;
            }
            connection = c;
            fileKey = currentFileKey();
        }
        return connection;
    }

    private Object currentFileKey() throws IOException {
        if (!Files.exists(live)) return null;
        Object key = Files.readAttributes(live, BasicFileAttributes.class).fileKey();
        return key != null ? key : live.toAbsolutePath().toString();
    }

    /**
     * Puts the live file in WAL mode (a no-op when it is). The switch needs the file to itself, and SQLite reports
     * SQLITE_BUSY at once rather than through its busy handler, so this retries until the busy timeout has passed.
     */
    private void switchToWal(Connection c) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(busyTimeoutMillis);
        long pauseMillis = 1;
        while (true) {
            try {
                String mode = pragma(c, "journal_mode = WAL");
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new SQLException("the live replica file " + live + " cannot be put in WAL mode (it stays in " + mode
                            + "): put it on a local file system that supports WAL");
                }
                return;
            } catch (SQLiteException e) {
                boolean busy = e.getResultCode() == SQLiteErrorCode.SQLITE_BUSY || e.getResultCode() == SQLiteErrorCode.SQLITE_LOCKED;
                if (!busy || System.nanoTime() >= deadline) throw e;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis)); // back-off between attempts, not a synchronisation
                pauseMillis = Math.min(pauseMillis * 2, 50);
            }
        }
    }

    private static String pragma(Connection c, String text) throws SQLException {
        try (Statement statement = c.createStatement()) {
            if (!statement.execute("PRAGMA " + text)) return null;
            try (ResultSet rs = statement.getResultSet()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
            fileKey = null;
        }
    }

    private void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.warn("closing the publishing connection to {} failed: {}", live, e.getMessage());
        }
    }
}
