package dev.drover.libsql.replica;

import dev.drover.api.ConfigurationException;
import dev.drover.api.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Keeps a local SQLite file (the live replica) a copy of a remote Turso primary, using the Turso Sync page pull
 * ({@code POST /pull-updates}). Read the live file with {@link ReplicaReader}; write to the primary.
 * <p>
 * A sync pulls the pages changed since the replica's revision, writes them into a private shadow image
 * ({@code <live>.shadow}), checks the image, publishes it into the live file with SQLite's backup API (one atomic
 * transaction for readers), and finally records the new revision in {@code <live>.replica.json}. Without a replica
 * (no meta or no live file) it bootstraps: pulls every page and builds the image from scratch.
 * <p>
 * Crash safety without a journal: the live file changes only through SQLite's atomic backup, and the meta is written
 * last. A crash before the meta is written leaves the shadow either untouched (it still matches the meta, and the
 * next sync pulls again from the meta's revision, a superset of what was lost) or changed (its checksum no longer
 * matches the meta, and the next sync rebuilds it with a bootstrap pull). A primary whose revision went back (a reset
 * or recreated database) makes the replica start over. Syncs of one replica file never overlap: each takes
 * {@code <live>.replica.lock} (and, within this JVM, a registry entry) for its duration, so several processes may
 * share a replica file, each syncing in turn, and each trusts the shadow only as far as the meta on disk says;
 * readers need no lock.
 * <p>
 * Limits: pages must be 4096 bytes; each publish copies the whole database through the live file's WAL; a primary
 * replaced by another database whose revision is already past the replica's cannot be told apart by this protocol
 * (tursodb revisions are plain frame numbers).
 */
public final class ReplicaSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaSync.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;
    /** How long a sync waits for another one of the same file to finish. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(60);
    private static final Pattern NUMERIC_REVISION = Pattern.compile("\\d{1,18}");
    /** Live files a ReplicaSync of this JVM holds the lock of. */
    private static final Set<Path> LOCKED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    /** The steps of a sync, in order, each reported to the observer once it has completed. */
    public enum Stage {
        /** The pull's answer was read and checked (in a bootstrap, its pages are then already in the shadow file). */
        PULLED,
        /** The shadow image was patched, cut to size, checked and flushed to disk. */
        PATCHED,
        /** The shadow image was published into the live file. */
        PUBLISHED,
        /** The meta file now records the published revision: the sync is complete. */
        META_WRITTEN
    }

    /** What a sync did. */
    public enum Mode {
        /** Built the replica from all the primary's pages (first sync, or a rebuild). */
        BOOTSTRAP,
        /** Applied the pages changed since the replica's revision. */
        INCREMENTAL,
        /** Nothing had changed on the primary. */
        UNCHANGED
    }

    /**
     * The outcome of one sync.
     *
     * @param mode what the sync did
     * @param revisionBefore the revision the replica had, or null when it had none
     * @param revisionAfter the primary's revision the replica now has
     * @param pagesApplied pages pulled and written into the shadow image
     * @param dbSizePages the database size now, in 4096-byte pages
     * @param millis how long the sync took
     */
    public record Result(Mode mode, String revisionBefore, String revisionAfter, int pagesApplied, long dbSizePages, long millis) {
    }

    /** What the shadow image holds: the primary's pages at {@code revision}. */
    private record ShadowState(String revision, ShadowStore.Content content) {
    }

    private record Page(long id, byte[] bytes) {
    }

    private final Path live;
    private final Path metaFile;
    private final Path lockFile;
    private final Path lockKey;
    private final ShadowStore shadow;
    private final PullUpdatesClient client;
    private final LivePublisher publisher;
    private final Consumer<Stage> observer;
    private final String remote;
    private volatile boolean closed;

    // guarded by this
    private FileChannel lockChannel;
    private FileLock lock;
    /** What this instance knows the shadow holds (it wrote or verified it, under the lock); null when unknown. */
    private ShadowState trusted;

    /** A replica of {@code remoteUrl} in {@code liveFile}, with no token and no observer. */
    public ReplicaSync(Path liveFile, String remoteUrl) {
        this(liveFile, remoteUrl, null, null);
    }

    /**
     * A replica of {@code remoteUrl} in {@code liveFile}. Nothing is read or written until the first {@link #sync()}.
     *
     * @param liveFile the local SQLite file to keep in sync (created by the first sync); its folder must exist
     * @param remoteUrl the primary's sync server, {@code http(s)://host[:port]}, without credentials
     * @param token bearer token for the primary, or null
     * @param observer told of each {@link Stage} as it completes (on the syncing thread), or null; an exception it
     *        throws aborts the sync there, as a crash would
     */
    public ReplicaSync(Path liveFile, String remoteUrl, String token, Consumer<Stage> observer) {
        this.live = Objects.requireNonNull(liveFile, "liveFile").toAbsolutePath().normalize();
        Path folder = live.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new ConfigurationException("the folder of the replica file " + live + " does not exist: create it first");
        }
        if (Files.isDirectory(live)) {
            throw new ConfigurationException(live + " is a directory: the replica needs a file path, for example " + live.resolve("replica.db"));
        }
        this.metaFile = ReplicaMeta.pathFor(live);
        this.lockFile = live.resolveSibling(live.getFileName() + ".replica.lock");
        this.lockKey = realPath(live);
        this.shadow = new ShadowStore(live.resolveSibling(live.getFileName() + ".shadow"));
        try {
            LivePublisher.restoreCommand(shadow.file());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        this.client = new PullUpdatesClient(remoteUrl, token, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
        this.remote = client.server();
        this.publisher = new LivePublisher(live, BUSY_TIMEOUT_MILLIS);
        this.observer = observer == null ? stage -> { } : observer;
    }

    /** The file's path with its folder's links resolved, so one file has one key however it is named. */
    private static Path realPath(Path file) {
        try {
            return file.getParent().toRealPath().resolve(file.getFileName());
        } catch (IOException e) {
            return file;
        }
    }

    /** The live replica file. */
    public Path liveFile() {
        return live;
    }

    /**
     * Brings the live file up to the primary's newest revision. Calls are serialised; never concurrent with
     * another sync of the same file.
     *
     * @throws StorageException when the primary cannot be reached or answered something this replica cannot apply, or
     *         the local files cannot be written; the live file then keeps its last published content
     */
    public synchronized Result sync() {
        requireOpen();
        long start = System.nanoTime();
        try {
            lock();
            try {
                Optional<ReplicaMeta> meta = readMeta();
                String before = meta.map(ReplicaMeta::revision).orElse(null);
                if (trusted != null && (meta.isEmpty() || !trusted.revision().equals(meta.get().revision())
                        || !trusted.content().equals(meta.get().content()))) {
                    trusted = null; // another process synced since, or this one stopped before its meta: check the shadow
                }
                if (meta.isEmpty()) return bootstrap(before, "it has no meta file " + metaFile.getFileName(), start);
                if (!Files.exists(live)) return bootstrap(before, "the live file is missing", start);
                ShadowState base = trusted;
                if (base == null && shadow.holds(meta.get().content())) {
                    base = new ShadowState(meta.get().revision(), meta.get().content());
                }
                if (base == null) {
                    return bootstrap(before, "the shadow image " + shadow.file().getFileName() + " is missing or does not match the meta "
                            + "(a sync was interrupted, or the file was damaged)", start);
                }
                trusted = base;
                return incremental(meta.get(), base, start);
            } finally {
                unlock();
            }
        } catch (IOException | UncheckedIOException e) {
            trusted = null;
            throw new StorageException("cannot write the replica's files beside " + live + " (" + e.getMessage()
                    + "): check the disk and the folder's permissions; the live file keeps its last published content", true, e);
        } catch (SQLException e) {
            throw publishFailure(e);
        }
    }

    private Result incremental(ReplicaMeta meta, ShadowState base, long start) throws IOException, SQLException {
        List<Page> pages = new ArrayList<>();
        PullUpdatesClient.Header header = client.pull(base.revision(), (id, bytes) -> pages.add(new Page(id, bytes)));
        if (regressed(header.serverRevision(), base.revision())) {
            log.warn("the primary {} is at revision {}, behind this replica's {} (the primary was reset or recreated): "
                    + "rebuilding replica {} from scratch", remote, header.serverRevision(), base.revision(), live);
            wipe();
            return bootstrap(meta.revision(), "the primary's revision went back", start);
        }
        observer.accept(Stage.PULLED);
        ShadowState next = base;
        if (!pages.isEmpty() || header.dbSizePages() != base.content().dbSizePages()) {
            trusted = null; // until the patch is complete
            ShadowStore.Content content;
            try (ShadowStore.Patch patch = shadow.beginPatch(false)) {
                for (Page page : pages) patch.write(page.id(), page.bytes());
                content = patch.finish(header.dbSizePages());
            } catch (ShadowStore.InvalidImageException e) {
                log.warn("the patched shadow image of replica {} is not publishable ({}): rebuilding it from scratch", live, e.getMessage());
                wipe();
                return bootstrap(meta.revision(), "the patched image was not publishable", start);
            }
            next = new ShadowState(header.serverRevision(), content);
            trusted = next;
            observer.accept(Stage.PATCHED);
        } else if (!header.serverRevision().equals(base.revision())) {
            next = new ShadowState(header.serverRevision(), base.content());
            trusted = next;
        }
        boolean published = false;
        if (!next.content().equals(meta.content())) {
            publisher.publish(shadow.file());
            published = true;
            observer.accept(Stage.PUBLISHED);
        }
        if (!next.revision().equals(meta.revision()) || published) {
            writeMeta(next);
        }
        Mode mode = pages.isEmpty() && !published ? Mode.UNCHANGED : Mode.INCREMENTAL;
        return finished(new Result(mode, meta.revision(), next.revision(), pages.size(), next.content().dbSizePages(), elapsed(start)));
    }

    private Result bootstrap(String before, String reason, long start) throws IOException, SQLException {
        log.info("bootstrapping replica {} from {}: {}", live, remote, reason);
        trusted = null;
        ReplicaMeta.delete(metaFile); // until this bootstrap completes, nothing describes the live file
        BitSet received = new BitSet();
        PullUpdatesClient.Header header;
        ShadowStore.Content content;
        try (ShadowStore.Patch patch = shadow.beginPatch(true)) {
            header = client.pull("", (id, bytes) -> {
                try {
                    patch.write(id, bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                received.set((int) id);
            });
            long size = header.dbSizePages();
            if (size > 0 && !received.get(0)) {
                throw new StorageException("the primary " + remote + " answered a bootstrap with a database of " + size
                        + " pages but without page 1: its pages were checkpointed out of its log (tursodb serves only pages "
                        + "still in its WAL); start the sync server on a new database file", false);
            }
            if (received.cardinality() != size) {
                throw new StorageException("the primary " + remote + " answered a bootstrap with " + received.cardinality()
                        + " of its " + size + " pages: some pages were checkpointed out of its log (tursodb serves only pages "
                        + "still in its WAL); start the sync server on a new database file", false);
            }
            observer.accept(Stage.PULLED);
            content = patch.finish(size);
        } catch (ShadowStore.InvalidImageException e) {
            throw new StorageException("the primary " + remote + " sent a database this replica cannot publish: " + e.getMessage(), false);
        }
        ShadowState next = new ShadowState(header.serverRevision(), content);
        trusted = next;
        observer.accept(Stage.PATCHED);
        publisher.publish(shadow.file());
        observer.accept(Stage.PUBLISHED);
        writeMeta(next);
        return finished(new Result(Mode.BOOTSTRAP, before, next.revision(), received.cardinality(), content.dbSizePages(), elapsed(start)));
    }

    private void writeMeta(ShadowState state) throws IOException {
        ReplicaMeta.of(remote, state.revision(), state.content(), Instant.now()).write(metaFile);
        observer.accept(Stage.META_WRITTEN);
    }

    private Optional<ReplicaMeta> readMeta() throws IOException {
        Optional<ReplicaMeta> meta = ReplicaMeta.read(metaFile);
        if (meta.isPresent() && !meta.get().remoteUrl().equals(remote)) {
            log.info("replica {} was synced from {}, not {}: it will be rebuilt from {}", live, meta.get().remoteUrl(), remote, remote);
            return Optional.empty();
        }
        return meta;
    }

    private void wipe() throws IOException {
        trusted = null;
        ReplicaMeta.delete(metaFile);
        shadow.delete();
    }

    /**
     * Whether the primary's revision is behind ours. Revisions are opaque; only when both are numbers (tursodb: the
     * WAL frame number of the last commit) can a reset of the primary be seen this way.
     */
    static boolean regressed(String server, String ours) {
        if (!NUMERIC_REVISION.matcher(server).matches() || !NUMERIC_REVISION.matcher(ours).matches()) return false;
        return Long.parseLong(server) < Long.parseLong(ours);
    }

    private Result finished(Result result) {
        if (result.mode() == Mode.UNCHANGED) {
            log.debug("replica {} unchanged at revision {} ({} ms)", live, result.revisionAfter(), result.millis());
        } else {
            log.debug("replica {} synced: {} {} -> {}, {} pages applied, {} pages, {} ms", live, result.mode(), result.revisionBefore(),
                    result.revisionAfter(), result.pagesApplied(), result.dbSizePages(), result.millis());
        }
        return result;
    }

    private static long elapsed(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private StorageException publishFailure(SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException se ? se.getResultCode() : null;
        boolean busy = code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_LOCKED
                || code == SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT || code == SQLiteErrorCode.SQLITE_BUSY_RECOVERY;
        if (busy) {
            return new StorageException("cannot publish into the live replica file " + live + ": it stayed locked (" + e.getMessage()
                    + "); the next sync publishes again", true, e);
        }
        return new StorageException("cannot publish into the live replica file " + live + " (" + e.getMessage()
                + "): it must be a SQLite database with 4096-byte pages that this process may write; delete it, with its -wal "
                + "and -shm files, to let the next sync create it again", false, e);
    }

    /**
     * Takes {@code <live>.replica.lock} for one sync, waiting (up to {@link #LOCK_WAIT}) while another process or
     * another instance of this JVM syncs the same file. Within this JVM a registry entry is taken first: closing any
     * channel on a file would drop the whole process's OS lock on it.
     */
    private void lock() throws IOException {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (!LOCKED_IN_THIS_JVM.add(lockKey)) {
            if (System.nanoTime() > deadline) throw lockedBySomeoneElse("in this JVM");
            pause();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock taken;
            while (true) {
                try {
                    taken = channel.tryLock();
                } catch (OverlappingFileLockException e) { // the same file under another path
                    throw lockedBySomeoneElse("in this JVM");
                }
                if (taken != null) break;
                if (System.nanoTime() > deadline) throw lockedBySomeoneElse("in another process");
                pause();
            }
            lockChannel = channel;
            lock = taken;
        } catch (IOException | RuntimeException e) {
            if (channel != null) channel.close();
            LOCKED_IN_THIS_JVM.remove(lockKey);
            throw e;
        }
    }

    private void unlock() {
        if (lockChannel == null) return;
        try {
            lockChannel.close(); // releases the lock
        } catch (IOException e) {
            log.warn("releasing the replica lock {} failed: {}", lockFile, e.getMessage());
        }
        lockChannel = null;
        lock = null;
        LOCKED_IN_THIS_JVM.remove(lockKey);
    }

    /** Waiting for a lock another process holds: there is no event to wait on. */
    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting to sync a replica", true, e);
        }
    }

    private StorageException lockedBySomeoneElse(String where) {
        return new StorageException("replica " + live + " has been synced by another ReplicaSync " + where + " (the holder of "
                + lockFile.getFileName() + ") for over " + LOCK_WAIT.toSeconds() + " s: is a sync stuck there?", true);
    }

    private void requireOpen() {
        if (closed) throw new StorageException("the replica sync of " + live + " is closed", false);
    }

    /** Aborts a pull in progress, then releases the live file's publishing connection and the replica lock. Idempotent. */
    @Override
    public void close() {
        closed = true;
        client.close();
        synchronized (this) {
            publisher.close();
            trusted = null;
            unlock();
        }
    }

    @Override
    public String toString() {
        return "ReplicaSync[" + live + " from " + remote + "]";
    }
}
