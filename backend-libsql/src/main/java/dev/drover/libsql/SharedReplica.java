package dev.drover.libsql;

import dev.drover.api.ConfigurationException;
import dev.drover.libsql.replica.ReplicaReader;
import dev.drover.libsql.replica.ReplicaSync;
import dev.drover.sqlite.sql.SqlResult;
import dev.drover.sqlite.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One embedded replica file in this JVM, shared by every backend opened on it: its {@link ReplicaSync}, its
 * {@link ReplicaReader}, and a background sync every {@code syncInterval}. It knows whether a write went to the
 * primary since its last sync, so a read after a write syncs first (read-your-writes); writes from other processes
 * are seen by a read at most {@code maxStaleness} after they were made (the read syncs first when its last sync is
 * older), and by the periodic sync.
 */
final class SharedReplica {
    private static final Logger log = LoggerFactory.getLogger(SharedReplica.class);
    private static final Map<Path, SharedReplica> OPEN = new HashMap<>();

    private final Path live;
    private final String remote;
    private final ReplicaSync sync;
    private final ScheduledExecutorService timer;
    /** Writes sent to the primary through this JVM; a sync that starts after write n has seen it. */
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong syncedThrough = new AtomicLong(-1);
    private final Object syncing = new Object();
    private final long maxStalenessNanos;
    private volatile long lastSyncStart = System.nanoTime();
    private ReplicaReader reader; // guarded by this; opened after the first sync made the file
    private int users;            // guarded by OPEN

    private SharedReplica(Path live, String remote, String token, Duration interval, Duration maxStaleness) {
        this.live = live;
        this.maxStalenessNanos = maxStaleness.toNanos();
        this.remote = remote;
        this.sync = new ReplicaSync(live, remote, token, null);
        if (interval.isZero()) {
            timer = null;
        } else {
            timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("drover-replica-sync").factory());
            timer.scheduleWithFixedDelay(this::backgroundSync, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The shared replica of {@code live}, opened now if no backend of this JVM has it open. */
    static SharedReplica acquire(Path live, String remote, String token, Duration interval, Duration maxStaleness) {
        Path key = canonical(live);
        synchronized (OPEN) {
            SharedReplica replica = OPEN.get(key);
            if (replica == null) {
                replica = new SharedReplica(key, remote, token, interval, maxStaleness);
                OPEN.put(key, replica);
            } else if (!replica.remote.equals(remote)) {
                throw new ConfigurationException("the replica file " + key + " is already open in this process as a replica of "
                        + replica.remote + ", not of " + remote + ": give each primary a replica file of its own");
            }
            replica.users++;
            return replica;
        }
    }

    /** Called after a write reached the primary: the next local read syncs first. */
    void wrote() {
        writes.incrementAndGet();
    }

    /**
     * A local read, after a sync if this JVM wrote to the primary since the last one, if nothing was synced yet, or if
     * the last sync started longer than {@code maxStaleness} ago. When that sync fails the read fails (transiently): an
     * older copy could hide this process's own writes, and a caller deciding from it (a workflow step checking which
     * inputs are done) would decide wrong.
     */
    SqlResult read(SqlStatement statement) {
        if (syncedThrough.get() < writes.get() || System.nanoTime() - lastSyncStart >= maxStalenessNanos) syncNow();
        ReplicaReader r;
        synchronized (this) {
            if (reader == null) reader = ReplicaReader.open(live);
            r = reader;
        }
        return r.read(statement);
    }

    /**
     * Brings the copy up to date as of this call; a failure is thrown (the copy keeps what it last published). Callers
     * arriving together share one sync: a sync that started after this call began has pulled everything this call
     * needs, so waiting for it is enough.
     */
    void syncNow() {
        long requested = System.nanoTime();
        long seen = writes.get();
        synchronized (syncing) {
            if (lastSyncStart - requested >= 0 && syncedThrough.get() >= seen) return;
            long started = System.nanoTime();
            long writesBefore = writes.get();
            sync.sync();
            lastSyncStart = started;
            syncedThrough.accumulateAndGet(writesBefore, Math::max);
        }
    }

    private void backgroundSync() {
        try {
            syncNow();
        } catch (RuntimeException e) {
            log.warn("background sync of replica {} from {} failed; trying again later: {}", live, remote, e.getMessage());
        }
    }

    Path live() {
        return live;
    }

    void release() {
        synchronized (OPEN) {
            if (--users > 0) return;
            OPEN.remove(live);
        }
        if (timer != null) timer.shutdownNow();
        synchronized (this) {
            if (reader != null) reader.close();
            reader = null;
        }
        sync.close();
    }

    private static Path canonical(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            Path folder = absolute.getParent().toRealPath();
            return folder.resolve(absolute.getFileName());
        } catch (IOException e) {
            throw new ConfigurationException("the folder of the replica file " + absolute + " does not exist: create it first", e);
        }
    }
}
