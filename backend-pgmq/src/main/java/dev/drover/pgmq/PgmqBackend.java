package dev.drover.pgmq;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.drover.api.CancelResult;
import dev.drover.api.Capability;
import dev.drover.api.ConfigurationException;
import dev.drover.api.DroverException;
import dev.drover.api.FollowUp;
import dev.drover.api.InvalidTaskException;
import dev.drover.api.NewTask;
import dev.drover.api.QueueControl;
import dev.drover.api.QueueLimits;
import dev.drover.api.QueueName;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import dev.drover.api.ScheduleRecord;
import dev.drover.api.ScheduleOptions;
import dev.drover.api.Schedule;
import dev.drover.api.Retention;
import dev.drover.api.StorageException;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.DroverUrl;
import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.SettledThenClaimed;
import dev.drover.spi.Settlement;
import dev.drover.spi.WakeupSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Drover on PostgreSQL, with tasks as PGMQ messages: {@code pgmq.q_<queue>} holds pending and running tasks,
 * {@code pgmq.a_<queue>} the done and cancelled ones, and the dead-letter queue {@code <queue>_dlq} the dead ones.
 * Other PGMQ clients can send to and read these queues. See {@link QueueSql} for the mapping and the fencing.
 *
 * <pre>{@code
 * Drover drover = Drover.open("pgmq://app@db.internal:5432/jobs");          // a pool of its own
 * PgmqBackend backend = PgmqBackend.using(appDataSource, PgmqOptions.defaults()); // or the application's DataSource
 * }</pre>
 *
 * {@link #push(List, Connection)} enqueues inside the application's own transaction. Claims lock due messages with
 * {@code FOR UPDATE SKIP LOCKED} in batches; wake-ups come by LISTEN/NOTIFY. PGMQ has no priority: it is kept with
 * the task, but claims go by due time, then send order, and {@link Capability#PRIORITY} is not declared.
 */
public final class PgmqBackend implements Backend {
    private static final Logger log = LoggerFactory.getLogger(PgmqBackend.class);
    private static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(Capability.TRANSACTIONAL_PUSH,
            Capability.WAKEUPS, Capability.INSPECTION, Capability.MULTI_PROCESS, Capability.DURABLE, Capability.FOLLOW_UPS, Capability.UNIQUE_TASKS,
            Capability.ATTEMPT_HISTORY, Capability.OLDEST_DUE));
    /** With {@code wakeups=false} there is no wake-up source, so WAKEUPS is not declared (the runtime polls). */
    private static final Set<Capability> CAPABILITIES_WITHOUT_WAKEUPS = Collections.unmodifiableSet(EnumSet.of(Capability.TRANSACTIONAL_PUSH,
            Capability.INSPECTION, Capability.MULTI_PROCESS, Capability.DURABLE, Capability.FOLLOW_UPS, Capability.UNIQUE_TASKS,
            Capability.ATTEMPT_HISTORY, Capability.OLDEST_DUE));
    /** Rounds of a claim that keep filling the batch after finding messages whose last lease expired (moved to the DLQ). */
    private static final int CLAIM_ROUNDS = 4;

    private final DataSource dataSource;
    private final HikariDataSource ownPool;
    private final String where;
    private final PgmqOptions options;
    private final PgmqMode mode;
    private final String modeDescription;
    private final Envelope envelope;
    private final PgNotifyWakeups wakeups;
    private final Map<QueueName, QueueSql> queues = new ConcurrentHashMap<>();
    /** Queues last seen with a concurrency or rate limit: their claims take the locked path at once ({@link #claimLimited}). */
    private final Set<QueueName> limitedQueues = ConcurrentHashMap.newKeySet();
    /** Every queue this backend has set up: one set up again whose table is gone was dropped under it. */
    private final Set<QueueName> setUp = ConcurrentHashMap.newKeySet();
    private final String database;
    /** Where this backend's connections come from and how to need fewer: for the error when the server refuses one. */
    private final String connections;
    private volatile boolean closed;

    private PgmqBackend(DataSource dataSource, HikariDataSource ownPool, String where, PgmqOptions options,
                        PgNotifyWakeups.ConnectionSource listenSource) {
        this.dataSource = dataSource;
        this.ownPool = ownPool;
        this.where = where;
        this.options = options;
        this.connections = connections(options, ownPool != null);
        try (Connection c = dataSource.getConnection()) {
            PgmqSchema.Catalog catalog = PgmqSchema.inspect(c);
            this.mode = PgmqSchema.resolve(options.mode(), catalog, where);
            c.setAutoCommit(false);
            try {
                PgmqSchema.setUp(c, mode);
                PgmqQueueControlTables.setUp(c);
                PgmqUniqueTables.setUp(c);
                PgmqScheduleTables.setUp(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            this.database = currentDatabase(c);
            this.envelope = new Envelope(options.defaultMaxAttempts(), catalog.utf8());
            this.modeDescription = mode == PgmqMode.PLAIN ? "plain SQL"
                    : "pgmq " + (catalog.extension() ? "extension " + catalog.extensionVersion() : "SQL-only install");
            if (!catalog.utf8()) log.warn("{}: the database encoding is not UTF8, so every payload is stored base64-encoded", where);
        } catch (SQLException e) {
            throw PgErrors.wrap(where, "setting up PGMQ", e, connections);
        }
        this.wakeups = options.wakeups() ? new PgNotifyWakeups(listenSource, where, connections) : null;
        log.info("opened {} ({})", where, modeDescription);
    }

    /** Opens {@code pgmq://user:password@host:port/database?mode=...} (also {@code postgresql://}, {@code postgres://}) with a pool of its own. */
    public static PgmqBackend open(DroverUrl url) {
        PostgresUrl pg = PostgresUrl.parse(url);
        PgmqOptions options = PgmqOptions.fromUrl(url);
        HikariConfig config = new HikariConfig();
        config.setDataSource(new UrlDataSource(pg)); // not the URL's properties: HikariCP would log an sslpassword at DEBUG
        config.setMaximumPoolSize(options.poolSize());
        config.setMinimumIdle(Math.min(2, options.poolSize()));
        config.setConnectionTimeout(5_000);
        config.setPoolName("drover-pgmq");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StorageException(pg.describe() + ": cannot connect: " + rootMessage(e)
                    + (PgErrors.hasState(e, PgErrors.TOO_MANY_CONNECTIONS) ? PgErrors.refused(connections(options, true))
                            : "; check the URL (host, port, database, user) and that PostgreSQL is running"), true, e);
        }
        try {
            return new PgmqBackend(pool, pool, pg.describe(), options, pg::connect);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * On the application's own {@code DataSource} (a pool the application configures and closes). Wake-ups hold one of
     * its connections for LISTEN while the backend is open.
     */
    public static PgmqBackend using(DataSource dataSource, PgmqOptions options) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(options, "options");
        return new PgmqBackend(dataSource, null, "PostgreSQL (application DataSource)", options, dataSource::getConnection);
    }

    /** How many connections a backend with {@code options} holds, and how to make it fewer. */
    private static String connections(PgmqOptions options, boolean ownPool) {
        String listen = options.wakeups() ? " (and one more, held for LISTEN wake-ups)" : "";
        if (!ownPool) {
            return "This Drover takes its connections from the application's DataSource" + listen
                    + ": make that pool smaller, or raise the server's max_connections";
        }
        return "This Drover's pool opens up to " + options.poolSize() + " connection(s)" + listen + ", set by the URL parameter poolSize="
                + options.poolSize() + ": lower poolSize, or raise the server's max_connections (or the role's CONNECTION LIMIT)";
    }

    /** The mode this backend runs in, after {@link PgmqMode#AUTO} was resolved from the catalog. */
    public PgmqMode mode() {
        return mode;
    }

    @Override
    public String describe() {
        return where + " (" + modeDescription + ")";
    }

    @Override
    public Set<Capability> capabilities() {
        return wakeups != null ? CAPABILITIES : CAPABILITIES_WITHOUT_WAKEUPS;
    }

    // ---- push ----

    @Override
    public void push(List<NewTask> tasks) {
        if (tasks.isEmpty()) return;
        if (hasUniqueKey(tasks)) {
            pushReporting(tasks);
            return;
        }
        Map<QueueName, List<NewTask>> byQueue = byQueue(tasks);
        byQueue.keySet().forEach(this::queue);
        try {
            run("pushing " + tasks.size() + " task(s) to " + byQueue.keySet(), byQueue.size() > 1, c -> {
                insert(c, byQueue);
                return null;
            });
        } catch (StorageException e) {
            if (e.getCause() instanceof SQLException sql && PgErrors.hasState(sql, PgErrors.UNIQUE_VIOLATION)) throw pushFailure(tasks, sql);
            throw e;
        }
    }

    /**
     * Tasks with unique keys ({@link PgmqUniqueTables}): one transaction takes an advisory lock per (queue, key) in a fixed
     * order, then, per task, reads the key's holder and the holder's state (queue, archive or dead-letter queue), and
     * either reports the holder or takes the key; the tasks that took theirs, and those without a key, are inserted in
     * the same transaction. The lock is held until the commit, so a concurrent push of a key, in any process, reads the
     * holder this one recorded, committed.
     */
    @Override
    public List<TaskId> pushReporting(List<NewTask> tasks) {
        if (tasks.isEmpty()) return List.of();
        if (!hasUniqueKey(tasks)) {
            push(tasks);
            return tasks.stream().map(NewTask::id).toList();
        }
        byQueue(tasks).keySet().forEach(this::queue);
        try {
            return run("pushing " + tasks.size() + " task(s) with unique keys", true, c -> {
                PgmqUniqueTables.lock(c, tasks);
                List<TaskId> standing = new ArrayList<>(tasks.size());
                List<NewTask> stored = new ArrayList<>(tasks.size());
                Map<String, TaskId> takenHere = new HashMap<>();
                for (NewTask task : tasks) {
                    if (task.unique() == null) {
                        stored.add(task);
                        standing.add(task.id());
                        continue;
                    }
                    String slot = task.queue().value() + "\u0000" + task.unique().key();
                    TaskId here = takenHere.get(slot);
                    if (here != null) {
                        standing.add(here);
                        continue;
                    }
                    PgmqUniqueTables.Holder holder = PgmqUniqueTables.holder(c, task.queue(), task.unique().key());
                    if (holder != null) {
                        Optional<TaskRecord> held = read(c, queue(task.queue()), task.queue(), holder.taskId(), foreignMessageId(holder.taskId()));
                        if (holder.holds(held.map(TaskRecord::state).orElse(null))) {
                            takenHere.put(slot, holder.taskId());
                            standing.add(holder.taskId());
                            continue;
                        }
                    }
                    PgmqUniqueTables.take(c, task);
                    takenHere.put(slot, task.id());
                    stored.add(task);
                    standing.add(task.id());
                }
                if (!stored.isEmpty()) insert(c, byQueue(stored));
                return standing;
            });
        } catch (StorageException e) {
            if (e.getCause() instanceof SQLException sql && PgErrors.hasState(sql, PgErrors.UNIQUE_VIOLATION)) throw pushFailure(tasks, sql);
            throw e;
        }
    }

    private static boolean hasUniqueKey(List<NewTask> tasks) {
        for (NewTask task : tasks) if (task.unique() != null) return true;
        return false;
    }

    /**
     * Stores {@code tasks} with the application's {@code transaction}, a connection to this same database: they exist
     * if and only if the application commits, and workers are woken when it does. The queues' tables are made first,
     * on the backend's own connection, so a rollback cannot take them away.
     */
    @Override
    public void push(List<NewTask> tasks, Connection transaction) {
        Objects.requireNonNull(transaction, "transaction");
        if (tasks.isEmpty()) return;
        if (hasUniqueKey(tasks)) {
            throw new InvalidTaskException(where + ": a push inside the application's transaction cannot take a unique key: push the "
                    + "task without the Connection (the key is then checked and taken in the push's own transaction), or drop the key");
        }
        Map<QueueName, List<NewTask>> byQueue = byQueue(tasks);
        byQueue.keySet().forEach(this::queue);
        try {
            if (!transaction.isWrapperFor(PGConnection.class)) {
                throw new ConfigurationException(describe() + ": a transactional push needs a PostgreSQL connection (got "
                        + transaction.getMetaData().getDatabaseProductName() + ")");
            }
            String theirs = currentDatabase(transaction);
            if (!theirs.equals(database)) {
                throw new ConfigurationException(describe() + ": the connection given to push is to database \"" + theirs
                        + "\", not \"" + database + "\": the tasks would not be where the workers look");
            }
            insertWithin(transaction, byQueue);
        } catch (SQLException e) {
            throw pushFailure(tasks, e);
        }
    }

    /**
     * Inserts on the application's connection. Inside its transaction, under a savepoint: a push that fails rolls back
     * to it, so the application's transaction stays usable and keeps its own writes. In auto-commit mode, in a
     * transaction of its own: all or nothing, and the connection is left in auto-commit.
     */
    private void insertWithin(Connection c, Map<QueueName, List<NewTask>> byQueue) throws SQLException {
        if (c.getAutoCommit()) {
            c.setAutoCommit(false);
            try {
                insert(c, byQueue);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return;
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            insert(c, byQueue);
        } catch (SQLException | RuntimeException e) {
            c.rollback(savepoint);
            throw e;
        }
        c.releaseSavepoint(savepoint);
    }

    private void insert(Connection c, Map<QueueName, List<NewTask>> byQueue) throws SQLException {
        for (Map.Entry<QueueName, List<NewTask>> e : byQueue.entrySet()) {
            List<NewTask> list = e.getValue();
            int n = list.size();
            Long[] runAt = new Long[n];
            String[] body = new String[n];
            Boolean[] base64 = new Boolean[n];
            String[] headers = new String[n];
            for (int i = 0; i < n; i++) {
                Envelope.Message m = envelope.encode(list.get(i));
                runAt[i] = m.runAtMillis();
                body[i] = m.body();
                base64[i] = m.base64();
                headers[i] = m.headers();
            }
            try (PreparedStatement ps = c.prepareStatement(queue(e.getKey()).push)) {
                ps.setArray(1, c.createArrayOf("bigint", runAt));
                ps.setArray(2, c.createArrayOf("text", body));
                ps.setArray(3, c.createArrayOf("boolean", base64));
                ps.setArray(4, c.createArrayOf("text", headers));
                ps.executeUpdate();
            }
        }
    }

    private static Map<QueueName, List<NewTask>> byQueue(List<NewTask> tasks) {
        Map<QueueName, List<NewTask>> byQueue = new LinkedHashMap<>();
        Set<TaskId> seen = new HashSet<>();
        for (NewTask t : tasks) {
            if (!seen.add(t.id())) {
                throw new InvalidTaskException("task " + t.id() + " appears twice in one push: nothing was stored");
            }
            byQueue.computeIfAbsent(t.queue(), q -> new ArrayList<>()).add(t);
        }
        return byQueue;
    }

    private DroverException pushFailure(List<NewTask> tasks, SQLException e) {
        if (PgErrors.hasState(e, PgErrors.UNIQUE_VIOLATION)) {
            return new InvalidTaskException(where + ": a task id in this push of " + tasks.size()
                    + " task(s) is already stored on its queue (" + e.getMessage().strip().replace('\n', ' ') + "): nothing was stored", e);
        }
        return PgErrors.wrap(where, "pushing " + tasks.size() + " task(s)", e);
    }

    // ---- claim ----

    /**
     * One statement per round, in auto-commit mode (one round trip; the statement is atomic on its own). A round that
     * meets messages whose lease ran out on their last attempt buries them ({@link QueueSql#bury}), and one that leased
     * messages it cannot run (another client's, with a {@code drover-encoding} Drover cannot read) kills them with the
     * reason; either way it claims again to fill the batch. Should a later round fail, the tasks already claimed are
     * returned rather than lost until their lease ends.
     */
    @Override
    public List<ClaimedTask> claim(QueueName queue, WorkerId worker, int max, Duration leaseDuration) {
        if (max < 1) return List.of();
        QueueSql sql = queue(queue);
        long leaseMillis = Math.max(1, leaseDuration.toMillis());
        if (!limitedQueues.contains(queue)) {
            Claimed claimed = autoCommit("claiming tasks of queue " + queue, c -> claimRounds(c, sql, queue, worker, max, leaseMillis, false));
            if (!claimed.limited()) return claimed.tasks();
            limitedQueues.add(queue); // go straight to the locked path from now on, until the limits are gone
        }
        return inTransaction("claiming tasks of limited queue " + queue, c -> claimLimited(c, sql, queue, worker, max, leaseMillis));
    }

    /** What a claim's rounds took, and whether the queue turned out limited (then they took nothing: see {@link #claimLimited}). */
    private record Claimed(List<ClaimedTask> tasks, boolean limited) {
    }

    /**
     * The claim of a queue with a concurrency or rate limit, in one transaction: lock the queue's control row
     * ({@code SELECT ... FOR UPDATE}), so the limited claims of every process take turns; then, in later statements (so
     * their snapshot sees every claim committed before the lock was granted), count the RUNNING tasks with an unexpired
     * lease and the starts inside the rate window, claim at most what is left, and record the starts. Settlements and
     * heartbeats do not take the lock: they only free slots, so the count errs on the safe side.
     */
    private List<ClaimedTask> claimLimited(Connection c, QueueSql sql, QueueName queue, WorkerId worker, int max, long leaseMillis)
            throws SQLException {
        Integer maxRunning = null;
        Integer maxStarts = null;
        long intervalMillis = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT paused, max_running, max_starts, rate_interval_ms FROM "
                + PgmqQueueControlTables.CONTROL + " WHERE queue = ? FOR UPDATE")) {
            ps.setString(1, queue.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (rs.getBoolean(1)) return List.of();
                    maxRunning = (Integer) rs.getObject(2);
                    maxStarts = (Integer) rs.getObject(3);
                    intervalMillis = rs.getLong(4);
                }
            }
        }
        if (maxRunning == null && maxStarts == null) limitedQueues.remove(queue);
        int allowed = max;
        if (maxRunning != null) {
            try (PreparedStatement ps = c.prepareStatement(sql.running); ResultSet rs = ps.executeQuery()) {
                rs.next();
                allowed = (int) Math.min(allowed, Math.max(0, maxRunning - rs.getLong(1)));
            }
        }
        if (maxStarts != null && allowed > 0) {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(starts), 0) FROM " + PgmqQueueControlTables.STARTS
                    + " WHERE queue = ? AND started_at > clock_timestamp() - ? * interval '1 millisecond'")) {
                ps.setString(1, queue.value());
                ps.setLong(2, intervalMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    allowed = (int) Math.min(allowed, Math.max(0, maxStarts - rs.getLong(1)));
                }
            }
        }
        if (allowed == 0) return List.of();
        List<ClaimedTask> tasks = claimRounds(c, sql, queue, worker, allowed, leaseMillis, true).tasks();
        if (maxStarts != null) {
            // forgets the starts older than the window, and records this claim's
            try (PreparedStatement ps = c.prepareStatement("WITH old AS (DELETE FROM " + PgmqQueueControlTables.STARTS
                    + " WHERE queue = ?::text AND started_at <= clock_timestamp() - ?::bigint * interval '1 millisecond') "
                    + "INSERT INTO " + PgmqQueueControlTables.STARTS + " (queue, started_at, starts) "
                    + "SELECT ?::text, clock_timestamp(), ?::int WHERE ?::int > 0")) {
                ps.setString(1, queue.value());
                ps.setLong(2, intervalMillis);
                ps.setString(3, queue.value());
                ps.setInt(4, tasks.size());
                ps.setInt(5, tasks.size());
                ps.executeUpdate();
            }
        }
        return tasks;
    }

    /**
     * The claim's rounds on {@code c}: one statement per round. A round that meets messages whose lease ran out on their
     * last attempt buries them ({@link QueueSql#bury}), and one that leased messages it cannot run (another client's, with a
     * {@code drover-encoding} Drover cannot read) kills them with the reason; either way it claims again to fill the batch.
     * In auto-commit mode ({@code locked} false) each statement commits on its own, and should a later round fail, the tasks
     * already claimed are returned rather than lost until their lease ends; in the locked path's transaction a failure throws.
     */
    private Claimed claimRounds(Connection c, QueueSql sql, QueueName queue, WorkerId worker, int max, long leaseMillis, boolean locked)
            throws SQLException {
        List<ClaimedTask> claimed = new ArrayList<>();
        for (int round = 0; round < CLAIM_ROUNDS && claimed.size() < max; round++) {
            List<Long> exhausted = new ArrayList<>();
            List<Unrunnable> unrunnable = new ArrayList<>();
            boolean limited = false;
            try {
                try (PreparedStatement ps = c.prepareStatement(sql.claim(max - claimed.size()))) {
                    ps.setString(1, queue.value());
                    ps.setBoolean(2, locked);
                    ps.setInt(3, max - claimed.size());
                    ps.setLong(4, leaseMillis);
                    ps.setString(5, worker.value());
                    ps.setBoolean(6, locked);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            boolean isExhausted = rs.getBoolean(1);
                            if (rs.wasNull()) {
                                limited = true;
                                continue;
                            }
                            if (isExhausted) {
                                exhausted.add(rs.getLong(3));
                                continue;
                            }
                            Envelope.Read read = envelope.read(queue, row(rs, 2));
                            TaskRecord task = read.task();
                            if (read.unrunnable() != null) {
                                unrunnable.add(new Unrunnable(rs.getLong(3), rs.getInt(4), "message " + rs.getLong(3) + " of queue " + queue
                                        + " (task " + task.id() + ") cannot be run: " + read.unrunnable() + ". It was sent by another "
                                        + "PGMQ client or changed behind Drover's back, and was moved to the dead-letter queue " + queue + "_dlq"));
                                continue;
                            }
                            Lease lease = new Lease(task.id(), queue, worker, token(rs.getLong(3), rs.getInt(4)), task.leaseExpiresAt());
                            claimed.add(new ClaimedTask(task, lease));
                        }
                    }
                }
                if (limited && claimed.isEmpty()) return new Claimed(List.of(), true);
                if (exhausted.isEmpty() && unrunnable.isEmpty()) break;
                if (!unrunnable.isEmpty()) buryUnrunnable(c, sql, queue, unrunnable);
                int buried = exhausted.isEmpty() ? 0 : bury(c, sql, queue, exhausted);
                if (buried > 0) {
                    log.warn("{}: {} task(s) of queue {} went to the dead-letter queue {}_dlq: their lease expired on their last attempt",
                            where, buried, queue, queue);
                }
            } catch (SQLException e) {
                if (claimed.isEmpty() || locked) throw e;
                log.warn("{}: claiming more tasks of queue {} failed after {} were claimed; going on with those: {}",
                        where, queue, claimed.size(), e.getMessage());
                break;
            }
        }
        return new Claimed(claimed, false);
    }

    /** A message a claim leased but cannot hand to a worker ({@link Envelope.Read#unrunnable()}), with the error it dies with. */
    private record Unrunnable(long msgId, int readCount, String error) {
    }

    /** Kills messages a claim just leased but cannot run, with their lease token, so only they leave the queue. */
    private void buryUnrunnable(Connection c, QueueSql sql, QueueName queue, List<Unrunnable> messages) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.kill)) {
            ps.setArray(1, c.createArrayOf("bigint", messages.stream().map(Unrunnable::msgId).toArray(Long[]::new)));
            ps.setArray(2, c.createArrayOf("integer", messages.stream().map(Unrunnable::readCount).toArray(Integer[]::new)));
            ps.setArray(3, c.createArrayOf("text", messages.stream().map(Unrunnable::error).toArray(String[]::new)));
            ps.setString(4, queue.value());
            Set<LeaseToken> killed = new HashSet<>();
            collectTokens(ps, killed);
            for (Unrunnable m : messages) {
                if (killed.contains(token(m.msgId(), m.readCount()))) log.warn("{}: {}", where, m.error());
            }
        }
    }

    private static int bury(Connection c, QueueSql sql, QueueName queue, List<Long> msgIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.bury)) {
            ps.setArray(1, c.createArrayOf("bigint", msgIds.toArray(Long[]::new)));
            ps.setString(2, queue.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    // ---- leases and outcomes ----

    @Override
    public Set<LeaseToken> heartbeat(Collection<Lease> leases, Duration extension) {
        if (leases.isEmpty()) return Set.of();
        Map<QueueName, List<Lease>> byQueue = new LinkedHashMap<>();
        for (Lease l : leases) byQueue.computeIfAbsent(l.queue(), q -> new ArrayList<>()).add(l);
        return run("extending " + leases.size() + " lease(s)", byQueue.size() > 1, c -> {
            Set<LeaseToken> held = new HashSet<>();
            for (Map.Entry<QueueName, List<Lease>> e : byQueue.entrySet()) {
                Tokens tokens = Tokens.of(e.getValue());
                if (tokens.isEmpty()) continue;
                try (PreparedStatement ps = c.prepareStatement(queue(e.getKey()).heartbeat)) {
                    ps.setLong(1, Math.max(1, extension.toMillis()));
                    ps.setArray(2, tokens.ids(c));
                    ps.setArray(3, tokens.readCounts(c));
                    collectTokens(ps, held);
                }
            }
            return held;
        });
    }

    /**
     * Settlements that take their tasks out of the live queue, beside a claim of a queue without limits, run at once on
     * two connections ({@link SettleBesideClaim}); every other cycle settles, then claims.
     */
    @Override
    public SettledThenClaimed settleThenClaim(List<Settlement> settlements, QueueName queue, WorkerId worker, int max,
                                              Duration leaseDuration) {
        if (max < 1 || !SettleBesideClaim.independent(settlements, limitedQueues.contains(queue))) {
            return Backend.super.settleThenClaim(settlements, queue, worker, max, leaseDuration);
        }
        return SettleBesideClaim.run(queue, () -> settle(settlements), () -> claim(queue, worker, max, leaseDuration), this::settle);
    }

    @Override
    public Set<LeaseToken> settle(List<Settlement> settlements) {
        if (settlements.isEmpty()) return Set.of();
        Map<QueueName, Map<Class<?>, List<Settlement>>> grouped = new LinkedHashMap<>();
        for (Settlement s : settlements) {
            grouped.computeIfAbsent(s.lease().queue(), q -> new LinkedHashMap<>()).computeIfAbsent(s.getClass(), k -> new ArrayList<>()).add(s);
        }
        // One statement (one queue, one kind of outcome, no follow-ups: the common case) is atomic on its own: run it in
        // auto-commit mode, in one round trip. Anything more needs a transaction, since settle is atomic for the list.
        boolean followUps = false;
        for (Settlement s : settlements) {
            if (s instanceof Settlement.Complete complete && !complete.then().isEmpty()) followUps = true;
        }
        boolean oneStatement = !followUps && grouped.size() == 1 && grouped.values().iterator().next().size() == 1;
        return run("settling " + settlements.size() + " task(s)", !oneStatement, c -> {
            Set<LeaseToken> applied = new HashSet<>();
            for (Map.Entry<QueueName, Map<Class<?>, List<Settlement>>> byQueue : grouped.entrySet()) {
                QueueSql sql = queue(byQueue.getKey());
                for (List<Settlement> same : byQueue.getValue().values()) {
                    settleSameKind(c, sql, byQueue.getKey(), same, applied);
                }
            }
            for (Settlement s : settlements) {
                if (s instanceof Settlement.Complete complete && applied.contains(s.lease().token())) {
                    for (FollowUp f : complete.then()) followUp(c, f);
                }
            }
            return applied;
        });
    }

    private void settleSameKind(Connection c, QueueSql sql, QueueName queue, List<Settlement> same, Set<LeaseToken> applied) throws SQLException {
        List<Settlement> valid = new ArrayList<>();
        for (Settlement s : same) if (Tokens.parse(s.lease().token()) != null) valid.add(s);
        if (valid.isEmpty()) return;
        Tokens tokens = Tokens.of(valid.stream().map(Settlement::lease).toList());
        Settlement first = valid.getFirst();
        String statement = switch (first) {
            case Settlement.Complete ignored -> sql.complete;
            case Settlement.Retry ignored -> sql.retry;
            case Settlement.Kill ignored -> sql.kill;
            case Settlement.Release ignored -> sql.release;
        };
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setArray(1, tokens.ids(c));
            ps.setArray(2, tokens.readCounts(c));
            switch (first) {
                case Settlement.Complete ignored -> ps.setArray(3, c.createArrayOf("text",
                        valid.stream().map(s -> Envelope.resultText(((Settlement.Complete) s).result())).toArray(String[]::new)));
                case Settlement.Retry ignored -> {
                    ps.setArray(3, c.createArrayOf("bigint", valid.stream().map(s -> ((Settlement.Retry) s).delay().toMillis()).toArray(Long[]::new)));
                    ps.setArray(4, c.createArrayOf("text", valid.stream().map(s -> ((Settlement.Retry) s).error()).toArray(String[]::new)));
                }
                case Settlement.Kill ignored -> {
                    ps.setArray(3, c.createArrayOf("text", valid.stream().map(s -> ((Settlement.Kill) s).error()).toArray(String[]::new)));
                    ps.setString(4, queue.value());
                }
                case Settlement.Release ignored -> {
                }
            }
            collectTokens(ps, applied);
        }
    }

    /** Sends a follow-up of an applied completion, in its transaction (see {@link FollowUp}). */
    private void followUp(Connection c, FollowUp f) throws SQLException {
        NewTask task = f.task();
        QueueSql sql = queue(task.queue());
        if (!f.awaiting().isEmpty()) {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('drover.follow-up.' || ?))")) {
                lock.setString(1, task.id().value());
                lock.execute();
            }
        }
        Envelope.Message m = envelope.encode(task);
        List<String> absent = new ArrayList<>(List.of(task.id().value()));
        if (f.unless() != null) absent.add(f.unless().value());
        Array absentIds = c.createArrayOf("text", absent.toArray(String[]::new));
        try (PreparedStatement ps = c.prepareStatement(sql.followUp)) {
            ps.setArray(1, c.createArrayOf("bigint", new Long[]{m.runAtMillis()}));
            ps.setArray(2, c.createArrayOf("text", new String[]{m.body()}));
            ps.setArray(3, c.createArrayOf("boolean", new Boolean[]{m.base64()}));
            ps.setArray(4, c.createArrayOf("text", new String[]{m.headers()}));
            ps.setArray(5, absentIds);
            ps.setArray(6, absentIds);
            ps.setArray(7, absentIds);
            ps.setArray(8, c.createArrayOf("text", f.awaiting().stream().map(TaskId::value).toArray(String[]::new)));
            ps.setInt(9, f.awaiting().size());
            ps.executeUpdate();
        }
    }

    private static void collectTokens(PreparedStatement ps, Set<LeaseToken> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) into.add(token(rs.getLong(1), rs.getInt(2)));
        }
    }

    static LeaseToken token(long msgId, int readCount) {
        return new LeaseToken(msgId + ":" + readCount);
    }

    /** The (msg_id, read_ct) pairs of lease tokens, as the arrays the guarded statements take. */
    private record Tokens(Long[] msgIds, Integer[] readCounts) {
        static long[] parse(LeaseToken token) {
            String v = token.value();
            int colon = v.indexOf(':');
            if (colon <= 0) return null;
            try {
                return new long[]{Long.parseLong(v.substring(0, colon)), Integer.parseInt(v.substring(colon + 1))};
            } catch (NumberFormatException e) {
                return null; // not a token of this backend: it holds nothing here
            }
        }

        static Tokens of(List<Lease> leases) {
            List<long[]> parsed = new ArrayList<>();
            for (Lease l : leases) {
                long[] p = parse(l.token());
                if (p != null) parsed.add(p);
            }
            Long[] ids = new Long[parsed.size()];
            Integer[] counts = new Integer[parsed.size()];
            for (int i = 0; i < parsed.size(); i++) {
                ids[i] = parsed.get(i)[0];
                counts[i] = (int) parsed.get(i)[1];
            }
            return new Tokens(ids, counts);
        }

        boolean isEmpty() {
            return msgIds.length == 0;
        }

        Array ids(Connection c) throws SQLException {
            return c.createArrayOf("bigint", msgIds);
        }

        Array readCounts(Connection c) throws SQLException {
            return c.createArrayOf("integer", readCounts);
        }
    }

    // ---- inspection ----

    @Override
    public Map<TaskState, Long> counts(QueueName queue) {
        QueueSql sql = queue(queue);
        return inTransaction("counting tasks of queue " + queue, c -> {
            Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
            try (PreparedStatement ps = c.prepareStatement(sql.counts); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(2) > 0) counts.merge(TaskState.valueOf(rs.getString(1)), rs.getLong(2), Long::sum);
                }
            }
            return counts;
        });
    }

    @Override
    public Optional<Instant> oldestDue(QueueName queue) {
        QueueSql sql = queue(queue);
        return autoCommit("reading the oldest due task of queue " + queue, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.oldestDue); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.<Instant>empty();
            }
        });
    }

    @Override
    public Optional<TaskRecord> get(QueueName queue, TaskId id) {
        QueueSql sql = queue(queue);
        Long foreign = foreignMessageId(id);
        return inTransaction("reading task " + id + " of queue " + queue, c -> read(c, sql, queue, id, foreign));
    }

    private Optional<TaskRecord> read(Connection c, QueueSql sql, QueueName queue, TaskId id, Long foreign) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(foreign == null ? sql.getById : sql.getByMessageId)) {
            if (foreign == null) {
                for (int i = 1; i <= 3; i++) ps.setString(i, id.value());
            } else {
                ps.setString(1, id.value());
                ps.setLong(2, foreign);
                ps.setString(3, id.value());
                ps.setLong(4, foreign);
                ps.setString(5, id.value());
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(envelope.read(queue, row(rs, 1)).task()) : Optional.empty();
            }
        }
    }

    @Override
    public List<TaskRecord> list(TaskQuery query) {
        QueueSql sql = queue(query.queue());
        return inTransaction("listing tasks of queue " + query.queue(), c -> {
            List<TaskRecord> out = new ArrayList<>();
            boolean back = query.beforeId() != null;
            try (PreparedStatement ps = c.prepareStatement(back ? sql.listBefore(query.state()) : sql.list(query.state()))) {
                String from = back ? query.beforeId().value() : query.afterId() == null ? null : query.afterId().value();
                ps.setString(1, from);
                ps.setString(2, from);
                ps.setInt(3, query.limit());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(envelope.read(query.queue(), row(rs, 2)).task());
                }
            }
            if (back) java.util.Collections.reverse(out);
            return out;
        });
    }

    /**
     * The cancel statement, then, when it found no live message, the task read where it ended (archive or dead-letter
     * queue) to say so. A task requeued between the two is live again: the cancel is tried again.
     */
    @Override
    public CancelResult cancel(QueueName queue, TaskId id) {
        QueueSql sql = queue(queue);
        Long foreign = foreignMessageId(id);
        for (int round = 1; ; round++) {
            final boolean last = round == 3;
            CancelResult result = inTransaction("cancelling task " + id + " of queue " + queue, c -> {
                try (PreparedStatement ps = c.prepareStatement(foreign == null ? sql.cancelById : sql.cancelByMessageId)) {
                    ps.setString(1, id.value());
                    if (foreign != null) ps.setLong(2, foreign);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) return new CancelResult.Cancelled(id, rs.getBoolean(1) ? TaskState.RUNNING : TaskState.PENDING);
                    }
                }
                Optional<TaskRecord> now = read(c, sql, queue, id, foreign);
                if (now.isEmpty()) return new CancelResult.Unknown(id);
                TaskState state = now.get().state();
                if (state.isTerminal()) return new CancelResult.AlreadyFinished(id, state);
                if (last) {
                    throw new StorageException("task " + id + " of queue " + queue + " was requeued three times while it was being "
                            + "cancelled; cancel it again", true);
                }
                return null;
            });
            if (result != null) return result;
        }
    }

    /** One query per queue, on the archive: committed cancellations, as every statement here sees them. */
    @Override
    public Set<LeaseToken> cancelled(Collection<Lease> leases) {
        if (leases.isEmpty()) return Set.of();
        Map<QueueName, Map<String, List<LeaseToken>>> byQueue = new LinkedHashMap<>();
        for (Lease l : leases) {
            byQueue.computeIfAbsent(l.queue(), q -> new LinkedHashMap<>()).computeIfAbsent(l.taskId().value(), k -> new ArrayList<>()).add(l.token());
        }
        return autoCommit("asking which of " + leases.size() + " lost lease(s) were cancelled", c -> {
            Set<LeaseToken> cancelled = new HashSet<>();
            for (Map.Entry<QueueName, Map<String, List<LeaseToken>>> e : byQueue.entrySet()) {
                try (PreparedStatement ps = c.prepareStatement(queue(e.getKey()).cancelledAmong)) {
                    ps.setArray(1, c.createArrayOf("text", e.getValue().keySet().toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) cancelled.addAll(e.getValue().getOrDefault(rs.getString(1), List.of()));
                    }
                }
            }
            return cancelled;
        });
    }

    // ---- queue control ----

    /** Upserts the pause flag; a resume sends the NOTIFY a push sends, in the same transaction, so waiting workers claim at once. */
    @Override
    public void pause(QueueName queue, boolean paused) {
        Objects.requireNonNull(queue, "queue");
        inTransaction((paused ? "pausing" : "resuming") + " queue " + queue, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + PgmqQueueControlTables.CONTROL + " (queue, paused) VALUES (?, ?) "
                    + "ON CONFLICT (queue) DO UPDATE SET paused = excluded.paused, updated_at = clock_timestamp()")) {
                ps.setString(1, queue.value());
                ps.setBoolean(2, paused);
                ps.executeUpdate();
            }
            if (!paused) notifyQueue(c, queue);
            return null;
        });
        log.info("{}: queue {} {}", where, queue, paused ? "paused" : "resumed");
    }

    @Override
    public void limit(QueueName queue, QueueLimits limits) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(limits, "limits");
        inTransaction("setting the limits of queue " + queue, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + PgmqQueueControlTables.CONTROL
                    + " (queue, max_running, max_starts, rate_interval_ms) VALUES (?, ?, ?, ?) ON CONFLICT (queue) DO UPDATE SET "
                    + "max_running = excluded.max_running, max_starts = excluded.max_starts, rate_interval_ms = excluded.rate_interval_ms, "
                    + "updated_at = clock_timestamp()")) {
                ps.setString(1, queue.value());
                ps.setObject(2, limits.maxRunning().isPresent() ? limits.maxRunning().getAsInt() : null, java.sql.Types.INTEGER);
                ps.setObject(3, limits.maxStarts().isPresent() ? limits.maxStarts().getAsInt() : null, java.sql.Types.INTEGER);
                ps.setObject(4, limits.rateInterval().map(Duration::toMillis).orElse(null), java.sql.Types.BIGINT);
                ps.executeUpdate();
            }
            notifyQueue(c, queue);
            return null;
        });
        if (!limits.isNone()) limitedQueues.add(queue);
        log.info("{}: queue {} limits set to {}", where, queue, limits);
    }

    @Override
    public QueueControl control(QueueName queue) {
        Objects.requireNonNull(queue, "queue");
        return autoCommit("reading the control of queue " + queue, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT paused, max_running, max_starts, rate_interval_ms FROM "
                    + PgmqQueueControlTables.CONTROL + " WHERE queue = ?")) {
                ps.setString(1, queue.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return QueueControl.DEFAULT;
                    QueueLimits limits = QueueLimits.none();
                    Integer maxRunning = (Integer) rs.getObject(2);
                    if (maxRunning != null) limits = limits.concurrency(maxRunning);
                    Integer maxStarts = (Integer) rs.getObject(3);
                    if (maxStarts != null) limits = limits.rate(maxStarts, Duration.ofMillis(rs.getLong(4)));
                    return QueueControl.of(rs.getBoolean(1), limits);
                }
            }
        });
    }

    /** The NOTIFY a push to {@code queue} sends ({@link QueueTables#channel()}), delivered when {@code c}'s transaction commits. */
    private static void notifyQueue(Connection c, QueueName queue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, NULL)")) {
            ps.setString(1, QueueTables.of(queue).channel());
            ps.executeQuery().close();
        }
    }

    /**
     * Retention: one transaction deleting at most {@code limit} messages, from the archive (DONE, CANCELLED) first, then
     * from the dead-letter queue (DEAD); ages are measured on PostgreSQL's clock.
     */
    @Override
    public int deleteFinished(QueueName queue, Retention retention, int limit) {
        if (limit <= 0) throw new IllegalArgumentException("retention batch limit for queue " + queue + " is " + limit + ": it must be positive");
        if (retention.keepsEverything()) return 0;
        QueueSql sql = queue(queue);
        Long done = ageMillis(retention, TaskState.DONE), cancelled = ageMillis(retention, TaskState.CANCELLED), dead = ageMillis(retention, TaskState.DEAD);
        return inTransaction("deleting finished tasks of queue " + queue + " by retention", c -> {
            int deleted = 0;
            if (done != null || cancelled != null) {
                try (PreparedStatement ps = c.prepareStatement(sql.deleteArchived)) {
                    ps.setObject(1, cancelled, java.sql.Types.BIGINT);
                    ps.setObject(2, done, java.sql.Types.BIGINT);
                    ps.setInt(3, limit);
                    deleted += ps.executeUpdate();
                }
            }
            if (dead != null && deleted < limit) {
                try (PreparedStatement ps = c.prepareStatement(sql.deleteDead)) {
                    ps.setObject(1, dead, java.sql.Types.BIGINT);
                    ps.setInt(2, limit - deleted);
                    deleted += ps.executeUpdate();
                }
            }
            return deleted;
        });
    }

    private static Long ageMillis(Retention retention, TaskState state) {
        return retention.maxAge(state).map(java.time.Duration::toMillis).orElse(null);
    }

    @Override
    public boolean requeue(QueueName queue, TaskId id) {
        QueueSql sql = queue(queue);
        Long foreign = foreignMessageId(id);
        return inTransaction("requeueing task " + id + " of queue " + queue, c -> {
            if (changed(c, sql.requeueDeadById, id, null)) return true;
            return changed(c, foreign == null ? sql.requeueCancelledById : sql.requeueCancelledByMessageId, id, foreign);
        });
    }

    // ---- administration ----

    /** The queues in PGMQ's catalogue whose names are Drover queue names (dead-letter queues are not), and controlled ones. */
    @Override
    public List<QueueName> queues() {
        return inTransaction("listing queues", c -> {
            java.util.TreeSet<String> names = new java.util.TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT queue_name FROM pgmq.meta UNION SELECT queue FROM "
                    + PgmqQueueControlTables.CONTROL); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) names.add(rs.getString(1));
            }
            List<QueueName> queues = new ArrayList<>();
            for (String name : names) {
                try {
                    queues.add(QueueName.of(name));
                } catch (dev.drover.api.InvalidTaskException e) {
                    // a dead-letter queue (<name>_dlq), or another client's queue whose name Drover cannot take
                }
            }
            return queues;
        });
    }

    @Override
    public List<dev.drover.api.FinishedMinute> finishedPerMinute(QueueName queue, java.time.Instant since) {
        QueueSql sql = queue(queue);
        return inTransaction("reading the throughput of queue " + queue, c -> {
            List<dev.drover.api.FinishedMinute> minutes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.finishedPerMinute)) {
                ps.setLong(1, since.toEpochMilli());
                ps.setLong(2, since.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        minutes.add(new dev.drover.api.FinishedMinute(java.time.Instant.ofEpochMilli(rs.getLong(1)), rs.getLong(2), rs.getLong(3)));
                    }
                }
            }
            return minutes;
        });
    }

    /** A pending task due now (its queue's workers woken), else a dead or cancelled one requeued. */
    @Override
    public boolean runNow(QueueName queue, TaskId id) {
        QueueSql sql = queue(queue);
        boolean due = inTransaction("running task " + id + " of queue " + queue + " now", c -> {
            if (!changed(c, sql.runNowById, id, null)) return false;
            notifyQueue(c, queue); // an UPDATE fires no insert notification: wake the queue's workers, as a resume does
            return true;
        });
        return due || requeue(queue, id);
    }

    /** Deletes a DONE or CANCELLED task from the archive, or a DEAD one from the dead-letter queue. */
    @Override
    public boolean delete(QueueName queue, TaskId id) {
        QueueSql sql = queue(queue);
        return inTransaction("deleting task " + id + " of queue " + queue,
                c -> changed(c, sql.deleteArchivedById, id, null) || changed(c, sql.deleteDeadById, id, null));
    }

    private static boolean changed(Connection c, String statement, TaskId id, Long foreign) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setString(1, id.value());
            if (foreign != null) ps.setLong(2, foreign);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The msg_id in an id of the form {@code pgmq-<msg_id>} (a message another client sent), else null. */
    private static Long foreignMessageId(TaskId id) {
        String v = id.value();
        if (!v.startsWith(Envelope.FOREIGN_ID_PREFIX)) return null;
        try {
            return Long.parseLong(v.substring(Envelope.FOREIGN_ID_PREFIX.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Envelope.Row row(ResultSet rs, int first) throws SQLException {
        long archived = rs.getLong(first + 5);
        Long archivedMs = rs.wasNull() ? null : archived;
        return new Envelope.Row(rs.getString(first), rs.getLong(first + 1), rs.getInt(first + 2), rs.getLong(first + 3),
                rs.getLong(first + 4), archivedMs, rs.getString(first + 6), rs.getString(first + 7));
    }

    @Override
    public WakeupSource wakeups() {
        return wakeups == null ? WakeupSource.NONE : wakeups;
    }

    // ---- recurring tasks ----

    /** The database server's clock, so schedulers on several machines agree on which ticks are due. */
    @Override
    public Instant now() {
        return autoCommit("reading the server's clock", c -> {
            try (PreparedStatement ps = c.prepareStatement(PgmqScheduleTables.NOW_MS); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Instant.ofEpochMilli(rs.getLong(1));
            }
        });
    }

    @Override
    public void saveSchedule(ScheduleRecord schedule) {
        ScheduleOptions o = schedule.options();
        Long lastTick = schedule.lastTick() == null ? null : schedule.lastTick().toEpochMilli();
        autoCommit("saving schedule " + schedule.name(), c -> {
            try (PreparedStatement ps = c.prepareStatement(PgmqScheduleTables.SAVE)) {
                ps.setString(1, schedule.name());
                ps.setString(2, schedule.queue().value());
                ps.setString(3, schedule.schedule().spec());
                ps.setString(4, schedule.schedule().zone().getId());
                ps.setBytes(5, schedule.payload());
                ps.setString(6, schedule.codec());
                ps.setString(7, o.missedTicks().name());
                ps.setLong(8, o.missedAfter().toMillis());
                ps.setInt(9, o.priority());
                ps.setInt(10, o.maxAttempts());
                ps.setBoolean(11, schedule.paused());
                ps.setObject(12, lastTick, Types.BIGINT);
                ps.setObject(13, lastTick, Types.BIGINT);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<ScheduleRecord> schedules() {
        return autoCommit("listing schedules", c -> {
            List<ScheduleRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(PgmqScheduleTables.LIST); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(schedule(rs));
            }
            return out;
        });
    }

    private static ScheduleRecord schedule(ResultSet rs) throws SQLException {
        String name = rs.getString("name");
        try {
            ScheduleOptions options = new ScheduleOptions(ScheduleOptions.MissedTicks.valueOf(rs.getString("missed_ticks")),
                    Duration.ofMillis(rs.getLong("missed_after_ms")), rs.getInt("priority"), rs.getInt("max_attempts"));
            return new ScheduleRecord(name, QueueName.of(rs.getString("queue")),
                    Schedule.parse(rs.getString("spec"), ZoneId.of(rs.getString("zone"))), rs.getBytes("payload"), rs.getString("codec"),
                    options, rs.getBoolean("paused"), Instant.ofEpochMilli(rs.getLong("last_tick")));
        } catch (RuntimeException e) {
            throw new StorageException("schedule " + name + " in drover.schedules cannot be read (" + e.getMessage()
                    + "): it was written by a newer Drover or by hand; fix or remove the row", false, e);
        }
    }

    @Override
    public boolean pauseSchedule(String name, boolean paused) {
        return autoCommit((paused ? "pausing" : "resuming") + " schedule " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(PgmqScheduleTables.PAUSE)) {
                ps.setBoolean(1, paused);
                ps.setString(2, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean removeSchedule(String name) {
        return autoCommit("removing schedule " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(PgmqScheduleTables.REMOVE)) {
                ps.setString(1, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * The compare-and-set of last_tick, then, only if it changed the row, the tick's message, in one transaction: a
     * concurrent fire of the same tick waits on the row lock the UPDATE takes and, after this one commits, finds last_tick
     * changed (READ COMMITTED re-checks the WHERE on the new row version) and changes nothing.
     */
    @Override
    public boolean fireSchedule(String name, Instant expectedLastTick, Instant tick, NewTask task) {
        Objects.requireNonNull(expectedLastTick, "expectedLastTick");
        Objects.requireNonNull(tick, "tick");
        if (!tick.isAfter(expectedLastTick)) {
            throw new IllegalArgumentException("schedule " + name + ": tick " + tick + " is not after the expected last tick " + expectedLastTick);
        }
        if (task != null) queue(task.queue());
        boolean won = inTransaction("firing tick " + tick + " of schedule " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(PgmqScheduleTables.ADVANCE)) {
                ps.setLong(1, tick.toEpochMilli());
                ps.setString(2, name);
                ps.setLong(3, expectedLastTick.toEpochMilli());
                if (ps.executeUpdate() != 1) return false;
            }
            if (task != null) insert(c, Map.of(task.queue(), List.of(task)));
            return true;
        });
        return won;
    }

    // ---- plumbing ----

    /** The statements of {@code queue}, making its tables first if this backend has not seen it yet. */
    private QueueSql queue(QueueName queue) {
        QueueSql sql = queues.get(queue);
        if (sql != null) return sql;
        QueueTables tables = QueueTables.of(queue);
        PgmqSchema.Layout layout = inTransaction("creating queue " + queue, c -> PgmqSchema.ensureQueue(c, mode, tables));
        sql = new QueueSql(tables, layout.queueHasLastReadAt(), layout.archiveHasLastReadAt(), options.defaultMaxAttempts());
        if (!setUp.add(queue) && layout.created()) {
            log.warn("{}: made queue {} again: its table {} had been dropped (pgmq.drop_queue, or DROP TABLE) while this Drover used it; "
                    + "the tasks that were in it are gone", where, queue, tables.q());
        }
        queues.put(queue, sql);
        return sql;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(String what, Work<T> work) {
        return run(what, true, work);
    }

    /**
     * Runs {@code work} in auto-commit mode: each statement is a transaction of its own, sent and committed in one round
     * trip (no BEGIN, no separate COMMIT). For work that is a single statement, or whose statements need no common
     * transaction.
     */
    private <T> T autoCommit(String what, Work<T> work) {
        return run(what, false, work);
    }

    private <T> T run(String what, boolean transaction, Work<T> work) {
        if (closed) throw new StorageException(describe() + " is closed: " + what + " is not possible", false);
        try (Connection c = dataSource.getConnection()) {
            if (!transaction) {
                if (!c.getAutoCommit()) c.setAutoCommit(true);
                return work.run(c);
            }
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            // A queue's tables were dropped under us: which queue's is not known here, so every queue is checked (and made
            // again if gone) on its next call
            if (PgErrors.hasState(e, PgErrors.UNDEFINED_TABLE)) queues.clear();
            throw PgErrors.wrap(where, what, e, connections);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    private static String currentDatabase(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_database()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (wakeups != null) wakeups.close();
        if (ownPool != null) ownPool.close();
        log.info("closed {}", where);
    }

    @Override
    public String toString() {
        return "PgmqBackend[" + describe() + "]";
    }
}
