package dev.drover.sqlite.jdbc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies the WAL back into the database file on a thread of its own, so that no write transaction pays for it.
 *
 * <p>By default SQLite checkpoints inside the COMMIT that takes the WAL past 1,000 pages: that commit also writes
 * every page back and syncs the file, and whatever waits on it (a worker's claim, a push) waits milliseconds instead
 * of microseconds. The enqueue-to-start latency's 99th percentile was those commits. Here the writer's own automatic
 * checkpoint is moved out to {@value #WRITER_AUTOCHECKPOINT_PAGES} pages, a safety net should this thread fall
 * behind, and this thread runs a {@code PASSIVE} checkpoint (it waits for no reader or writer, and none waits for
 * it) on its own connection whenever the writer committed since the last one, at most every
 * {@value #INTERVAL_MILLIS} ms. A checkpoint that fails is logged once per kind of failure and tried again later:
 * the data is in the WAL either way.
 */
final class BackgroundCheckpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackgroundCheckpoints.class);
    static final int WRITER_AUTOCHECKPOINT_PAGES = 10_000;
    static final long INTERVAL_MILLIS = 100;

    private final Connection connection;
    private final String description;
    private final AtomicLong commits = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private volatile String lastFailure;

    BackgroundCheckpoints(Connection connection, String description) {
        this.connection = connection;
        this.description = description;
        this.thread = Thread.ofPlatform().daemon().name("drover-sqlite-checkpoints").unstarted(this::loop);
        thread.start();
    }

    /** Called after each commit of the writer. */
    void committed() {
        commits.incrementAndGet();
    }

    private void loop() {
        long checkpointedAt = 0;
        while (!closed) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS));
            long now = commits.get();
            if (closed || now == checkpointedAt) continue;
            checkpointedAt = now;
            checkpoint();
        }
    }

    private void checkpoint() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            lastFailure = null;
            if (rs.next() && log.isTraceEnabled()) {
                log.trace("{}: checkpoint: busy={}, wal pages={}, copied={}", description, rs.getInt(1), rs.getInt(2), rs.getInt(3));
            }
        } catch (SQLException e) {
            String kind = e.getClass().getName() + ":" + e.getErrorCode();
            if (!kind.equals(lastFailure)) {
                log.warn("{}: a background checkpoint failed ({}); the writes are safe in the WAL, and it is tried again", description,
                        e.getMessage());
            }
            lastFailure = kind;
        }
    }

    /** Stops the thread, waits for a checkpoint in progress, and closes the connection. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("{}: closing the checkpoint connection: {}", description, e.getMessage());
        }
    }
}
