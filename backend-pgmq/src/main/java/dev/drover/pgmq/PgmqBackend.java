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
import dev.drover.api.QueueName;
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
            Capability.WAKEUPS, Capability.INSPECTION, Capability.MULTI_PROCESS, Capability.DURABLE, Capability.FOLLOW_UPS));
    /** With {@code wakeups=false} there is no wake-up source, so WAKEUPS is not declared (the runtime polls). */
    private static final Set<Capability> CAPABILITIES_WITHOUT_WAKEUPS = Collections.unmodifiableSet(EnumSet.of(Capability.TRANSACTIONAL_PUSH,
            Capability.INSPECTION, Capability.MULTI_PROCESS, Capability.DURABLE, Capability.FOLLOW_UPS));
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
     * Stores {@code tasks} with the application's {@code transaction}, a connection to this same database: they exist
     * if and only if the application commits, and workers are woken when it does. The queues' tables are made first,
     * on the backend's own connection, so a rollback cannot take them away.
     */
    @Override
    public void push(List<NewTask> tasks, Connection transaction) {
        Objects.requireNonNull(transaction, "transaction");
        if (tasks.isEmpty()) return;
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
        return autoCommit("claiming tasks of queue " + queue, c -> {
            List<ClaimedTask> claimed = new ArrayList<>();
            for (int round = 0; round < CLAIM_ROUNDS && claimed.size() < max; round++) {
                List<Long> exhausted = new ArrayList<>();
                List<Unrunnable> unrunnable = new ArrayList<>();
                try {
                    try (PreparedStatement ps = c.prepareStatement(sql.claim(max - claimed.size()))) {
                        ps.setInt(1, max - claimed.size());
                        ps.setLong(2, leaseMillis);
                        ps.setString(3, worker.value());
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                if (rs.getBoolean(1)) {
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
                    if (exhausted.isEmpty() && unrunnable.isEmpty()) break;
                    if (!unrunnable.isEmpty()) buryUnrunnable(c, sql, queue, unrunnable);
                    int buried = exhausted.isEmpty() ? 0 : bury(c, sql, queue, exhausted);
                    if (buried > 0) {
                        log.warn("{}: {} task(s) of queue {} went to the dead-letter queue {}_dlq: their lease expired on their last attempt",
                                where, buried, queue, queue);
                    }
                } catch (SQLException e) {
                    if (claimed.isEmpty()) throw e;
                    log.warn("{}: claiming more tasks of queue {} failed after {} were claimed; going on with those: {}",
                            where, queue, claimed.size(), e.getMessage());
                    break;
                }
            }
            return claimed;
        });
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
            try (PreparedStatement ps = c.prepareStatement(sql.list(query.state()))) {
                String after = query.afterId() == null ? null : query.afterId().value();
                ps.setString(1, after);
                ps.setString(2, after);
                ps.setInt(3, query.limit());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(envelope.read(query.queue(), row(rs, 2)).task());
                }
            }
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
