package dev.drover.sqlite;

import dev.drover.sqlite.store.SqliteSchema;
import dev.drover.sqlite.store.SqlTaskStore;
import dev.drover.sqlite.store.InProcessWakeups;
import dev.drover.api.CancelResult;
import dev.drover.api.Capability;
import dev.drover.api.ConfigurationException;
import dev.drover.api.NewTask;
import dev.drover.api.QueueControl;
import dev.drover.api.QueueLimits;
import dev.drover.api.QueueName;
import dev.drover.api.StorageException;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.UnsupportedCapabilityException;
import dev.drover.api.WorkerId;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.DroverUrl;
import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.SettledThenClaimed;
import dev.drover.spi.Settlement;
import dev.drover.spi.WakeupSource;
import dev.drover.sqlite.jdbc.JdbcSqlTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Drover on an embedded SQLite file through sqlite-jdbc: WAL mode, one serialised writer per process, write
 * transactions that take the lock up front, and wake-ups within the JVM. Several processes may share the file.
 *
 * <pre>{@code
 * try (SqliteBackend backend = SqliteBackend.open(Path.of("jobs.db"))) { ... }
 * // or by URL: Drover.open("sqlite:jobs.db?busyTimeout=5000")
 * }</pre>
 *
 * Opening sets the schema up (idempotently). {@link #push(List, Connection)} stores tasks inside the application's
 * own JDBC transaction on the same file.
 */
public final class SqliteBackend implements Backend {
    private static final Logger log = LoggerFactory.getLogger(SqliteBackend.class);
    private static final Set<Capability> FILE_CAPABILITIES = EnumSet.of(Capability.PRIORITY, Capability.TRANSACTIONAL_PUSH,
            Capability.WAKEUPS, Capability.INSPECTION, Capability.MULTI_PROCESS, Capability.DURABLE, Capability.FOLLOW_UPS, Capability.UNIQUE_TASKS, Capability.ATTEMPT_HISTORY, Capability.OLDEST_DUE);
    /** A private in-memory database: no other connection can reach it (no transactional push, no other process), and it dies with the backend. */
    private static final Set<Capability> MEMORY_CAPABILITIES = EnumSet.of(Capability.PRIORITY, Capability.WAKEUPS, Capability.INSPECTION,
            Capability.FOLLOW_UPS, Capability.UNIQUE_TASKS, Capability.ATTEMPT_HISTORY, Capability.OLDEST_DUE);

    private final JdbcSqlTransport transport;
    private final SqlTaskStore store;

    private SqliteBackend(JdbcSqlTransport transport, SqlTaskStore store) {
        this.transport = transport;
        this.store = store;
    }

    /** Opens (creating if missing) the database file {@code file}, relative to the working directory unless absolute. */
    public static SqliteBackend open(Path file) {
        return open(file, SqliteOptions.defaults(), Clock.systemUTC());
    }

    public static SqliteBackend open(Path file, SqliteOptions options) {
        return open(file, options, Clock.systemUTC());
    }

    /** @param clock decides due times and lease expiry (a test may pass a clock it controls) */
    public static SqliteBackend open(Path file, SqliteOptions options, Clock clock) {
        return open(file, options, clock, "sqlite");
    }

    private static SqliteBackend open(Path file, SqliteOptions options, Clock clock, String scheme) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(clock, "clock");
        JdbcSqlTransport transport = JdbcSqlTransport.open(file, options, scheme);
        try {
            int version = SqliteSchema.migrate(transport, clock);
            Path path = transport.file().orElseThrow();
            InProcessWakeups wakeups = InProcessWakeups.acquire("sqlite:" + canonical(path));
            log.info("opened {} (schema version {})", transport.describe(), version);
            return new SqliteBackend(transport, new SqlTaskStore(transport, wakeups, FILE_CAPABILITIES, clock));
        } catch (RuntimeException e) {
            transport.closeAsFound();
            throw e;
        }
    }

    /** A private in-memory database, gone when the backend closes: for tests and demos. */
    public static SqliteBackend openInMemory() {
        return openInMemory(SqliteOptions.defaults(), Clock.systemUTC());
    }

    public static SqliteBackend openInMemory(SqliteOptions options, Clock clock) {
        return openInMemory(options, clock, "sqlite");
    }

    private static SqliteBackend openInMemory(SqliteOptions options, Clock clock, String scheme) {
        JdbcSqlTransport transport = JdbcSqlTransport.openInMemory(options, scheme);
        try {
            SqliteSchema.migrate(transport, clock);
            return new SqliteBackend(transport, new SqlTaskStore(transport, InProcessWakeups.isolated(), MEMORY_CAPABILITIES, clock));
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    /**
     * Opens {@code sqlite:jobs.db} (relative to the working directory), {@code sqlite:/srv/app/jobs.db} or
     * {@code sqlite::memory:}, with the parameters of {@link SqliteOptions}.
     */
    public static SqliteBackend open(DroverUrl url) {
        if (!"sqlite".equals(url.scheme())) {
            throw new ConfigurationException("the SQLite backend opens sqlite: URLs, not " + url.redacted());
        }
        return openFile(url);
    }

    /**
     * Opens the file that {@code url} names the way a {@code sqlite:} URL does (a path, or {@code :memory:}, with the
     * parameters of {@link SqliteOptions}), whatever its scheme: for a backend that keeps a local file just as this one
     * does, such as libSQL's {@code libsql:jobs.db}. Messages and {@link #describe()} name the URL's own scheme.
     */
    public static SqliteBackend openFile(DroverUrl given) {
        DroverUrl url = given.showingValuesOf(SqliteOptions.URL_PARAMS);
        String scheme = url.scheme();
        SqliteOptions options = SqliteOptions.fromUrl(url);
        String location = url.location().strip();
        if (location.isEmpty()) {
            throw new ConfigurationException(scheme + ": URL needs a file path, e.g. " + scheme + ":jobs.db, or :memory: (got " + url.redacted() + ")");
        }
        if (location.equals(":memory:")) return openInMemory(options, Clock.systemUTC(), scheme);
        Path path;
        try {
            path = Path.of(location);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigurationException("the file path in " + url.redacted() + " is not valid here: " + e.getMessage(), e);
        }
        return open(path, options, Clock.systemUTC(), scheme);
    }

    private static Path canonical(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new StorageException("cannot resolve the path of " + file + " (" + e.getMessage() + "): check that it still exists", false, e);
        }
    }

    /** The database file (absolute), or empty for an in-memory database. */
    public Optional<Path> file() {
        return transport.file();
    }

    // ---- transactional push (Capability.TRANSACTIONAL_PUSH) ----

    /**
     * Stores {@code tasks} with the application's {@code transaction}, a sqlite-jdbc connection to this same file:
     * they exist if and only if the application commits. Workers in this JVM are woken after the commit. In
     * auto-commit mode the tasks are stored at once, all or none.
     */
    @Override
    public void push(List<NewTask> tasks, Connection transaction) {
        if (!capabilities().contains(Capability.TRANSACTIONAL_PUSH)) {
            throw new UnsupportedCapabilityException(Capability.TRANSACTIONAL_PUSH, describe(),
                    "an in-memory database is private to its backend; use a database file (sqlite:jobs.db) to push in your own transaction");
        }
        Objects.requireNonNull(transaction, "transaction");
        if (tasks.isEmpty()) return;
        transport.writeWithin(transaction, store.pushStatements(tasks), () -> store.signalPushed(tasks));
    }

    // ---- Backend: the shared SQL logic ----

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public Set<Capability> capabilities() {
        return store.capabilities();
    }

    @Override
    public void push(List<NewTask> tasks) {
        store.push(tasks);
    }

    @Override
    public List<TaskId> pushReporting(List<NewTask> tasks) {
        return store.pushReporting(tasks);
    }

    @Override
    public List<ClaimedTask> claim(QueueName queue, WorkerId worker, int max, Duration leaseDuration) {
        return store.claim(queue, worker, max, leaseDuration);
    }

    @Override
    public Set<LeaseToken> heartbeat(Collection<Lease> leases, Duration extension) {
        return store.heartbeat(leases, extension);
    }

    @Override
    public Set<LeaseToken> settle(List<Settlement> settlements) {
        return store.settle(settlements);
    }

    @Override
    public SettledThenClaimed settleThenClaim(List<Settlement> settlements, QueueName queue, WorkerId worker, int max,
                                              Duration leaseDuration) {
        return store.settleThenClaim(settlements, queue, worker, max, leaseDuration);
    }

    @Override
    public Map<TaskState, Long> counts(QueueName queue) {
        return store.counts(queue);
    }

    @Override
    public Optional<Instant> oldestDue(QueueName queue) {
        return store.oldestDue(queue);
    }

    @Override
    public Optional<TaskRecord> get(QueueName queue, TaskId id) {
        return store.get(queue, id);
    }

    @Override
    public List<TaskRecord> list(TaskQuery query) {
        return store.list(query);
    }

    @Override
    public CancelResult cancel(QueueName queue, TaskId id) {
        return store.cancel(queue, id);
    }

    @Override
    public Set<LeaseToken> cancelled(Collection<Lease> leases) {
        return store.cancelled(leases);
    }

    @Override
    public int deleteFinished(QueueName queue, dev.drover.api.Retention retention, int limit) {
        return store.deleteFinished(queue, retention, limit);
    }

    @Override
    public boolean requeue(QueueName queue, TaskId id) {
        return store.requeue(queue, id);
    }

    @Override
    public List<QueueName> queues() {
        return store.queues();
    }

    @Override
    public List<dev.drover.api.FinishedMinute> finishedPerMinute(QueueName queue, java.time.Instant since) {
        return store.finishedPerMinute(queue, since);
    }

    @Override
    public boolean runNow(QueueName queue, TaskId id) {
        return store.runNow(queue, id);
    }

    @Override
    public boolean delete(QueueName queue, TaskId id) {
        return store.delete(queue, id);
    }

    // ---- recurring tasks ----

    @Override
    public java.time.Instant now() {
        return store.now();
    }

    @Override
    public void saveSchedule(dev.drover.api.ScheduleRecord schedule) {
        store.saveSchedule(schedule);
    }

    @Override
    public java.util.List<dev.drover.api.ScheduleRecord> schedules() {
        return store.schedules();
    }

    @Override
    public boolean pauseSchedule(String name, boolean paused) {
        return store.pauseSchedule(name, paused);
    }

    @Override
    public boolean removeSchedule(String name) {
        return store.removeSchedule(name);
    }

    @Override
    public boolean fireSchedule(String name, java.time.Instant expectedLastTick, java.time.Instant tick, dev.drover.api.NewTask task) {
        return store.fireSchedule(name, expectedLastTick, tick, task);
    }

    @Override
    public WakeupSource wakeups() {
        return store.wakeups();
    }

    @Override
    public void pause(QueueName queue, boolean paused) {
        store.pause(queue, paused);
    }

    @Override
    public void limit(QueueName queue, QueueLimits limits) {
        store.limit(queue, limits);
    }

    @Override
    public QueueControl control(QueueName queue) {
        return store.control(queue);
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "SqliteBackend[" + describe() + "]";
    }
}
