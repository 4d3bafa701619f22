package dev.drover.sqlite.store;

import dev.drover.api.AttemptError;
import dev.drover.api.CancelResult;
import dev.drover.api.Capability;
import dev.drover.api.FollowUp;
import dev.drover.api.InvalidTaskException;
import dev.drover.api.NewTask;
import dev.drover.api.QueueControl;
import dev.drover.api.QueueLimits;
import dev.drover.api.QueueName;
import dev.drover.api.Schedule;
import dev.drover.api.ScheduleOptions;
import dev.drover.api.ScheduleRecord;
import dev.drover.api.Retention;
import dev.drover.api.StorageException;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.UniqueKey;
import dev.drover.api.WorkerId;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.SettledThenClaimed;
import dev.drover.spi.Settlement;
import dev.drover.spi.WakeupSource;
import dev.drover.sqlite.sql.SqlResult;
import dev.drover.sqlite.sql.SqlRow;
import dev.drover.sqlite.sql.SqlStatement;
import dev.drover.sqlite.sql.SqlTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The task backend for any SQLite-dialect database, over a {@link SqlTransport}: the JDBC one for a local SQLite
 * file ({@link dev.drover.sqlite.SqliteBackend}) or an HTTP one for libSQL/Turso. Every SPI verb is one call to the transport (one
 * round trip, one transaction), with the statements of {@link SqliteTaskSql}. Times come from {@code clock}.
 * The schema must be set up first ({@link SqliteSchema#migrate}).
 */
public final class SqlTaskStore implements Backend {
    private static final Logger log = LoggerFactory.getLogger(SqlTaskStore.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    /** Best first: higher priority, then earlier due, then lower (older) id. */
    static final Comparator<TaskRecord> CLAIM_ORDER = Comparator.comparingInt(TaskRecord::priority).reversed()
            .thenComparing(TaskRecord::runAt)
            .thenComparing(TaskRecord::id);

    private final SqlTransport transport;
    private final InProcessWakeups wakeups;
    private final Set<Capability> capabilities;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param wakeups signalled after writes that make work due; this store releases it on close
     */
    public SqlTaskStore(SqlTransport transport, InProcessWakeups wakeups, Set<Capability> capabilities, Clock clock) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.wakeups = Objects.requireNonNull(wakeups, "wakeups");
        EnumSet<Capability> copy = EnumSet.noneOf(Capability.class);
        copy.addAll(capabilities);
        this.capabilities = Collections.unmodifiableSet(copy);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String describe() {
        return transport.describe();
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public WakeupSource wakeups() {
        return wakeups;
    }

    public Clock clock() {
        return clock;
    }

    // ---- push ----

    @Override
    public void push(List<NewTask> tasks) {
        if (tasks.isEmpty()) return;
        if (hasUniqueKey(tasks)) {
            pushReporting(tasks);
            return;
        }
        transport.write(pushStatements(tasks));
        log.debug("pushed {} task(s) to {}", tasks.size(), transport.describe());
        signalPushed(tasks);
    }

    /**
     * Tasks with a unique key: for each, four statements in the push's one write transaction (one Hrana batch remotely):
     * free the key if its holder left its scope, take it if free, insert the task only if it took it, read the holder.
     * SQLite runs one write transaction at a time (BEGIN IMMEDIATE; a Hrana batch is one transaction on the primary), so
     * of concurrent pushes of one key, in any process, the first takes it and the others find it held.
     */
    @Override
    public List<TaskId> pushReporting(List<NewTask> tasks) {
        if (tasks.isEmpty()) return List.of();
        long now = clock.millis();
        List<SqlStatement> statements = new ArrayList<>(tasks.size() * 4);
        int[] holderAt = new int[tasks.size()];
        for (int i = 0; i < tasks.size(); i++) {
            NewTask task = tasks.get(i);
            UniqueKey unique = task.unique();
            if (unique == null) {
                holderAt[i] = -1;
                statements.add(pushStatement(task, now));
                continue;
            }
            Long expiresAt = unique.scope() == UniqueKey.Scope.PERIOD ? now + unique.period().toMillis() : null;
            statements.addAll(SqliteTaskSql.pushUnique(task.id().value(), task.queue().value(), task.priority(), task.runAt().toEpochMilli(),
                    task.maxAttempts(), task.payload(), task.codec(), metadataJson(task.metadata()), now, unique.key(), unique.scope().name(),
                    expiresAt));
            holderAt[i] = statements.size() - 1;
        }
        List<SqlResult> results = transport.write(statements);
        List<TaskId> standing = new ArrayList<>(tasks.size());
        int stored = 0;
        for (int i = 0; i < tasks.size(); i++) {
            if (holderAt[i] < 0) {
                standing.add(tasks.get(i).id());
                stored++;
                continue;
            }
            List<SqlRow> rows = results.get(holderAt[i]).rows();
            if (rows.isEmpty()) {
                throw new StorageException("the push of task " + tasks.get(i).id() + " to queue " + tasks.get(i).queue() + " left no holder of its "
                        + "unique key \"" + tasks.get(i).unique().key() + "\" in drover_unique_keys: the table was changed by hand", false);
            }
            TaskId holder = TaskId.of(rows.getFirst().getString("task_id"));
            if (holder.equals(tasks.get(i).id())) stored++;
            standing.add(holder);
        }
        log.debug("pushed {} task(s) to {}, {} duplicate(s) of tasks holding their unique key", stored, transport.describe(), tasks.size() - stored);
        if (stored > 0) signalPushed(tasks);
        return standing;
    }

    static boolean hasUniqueKey(List<NewTask> tasks) {
        for (NewTask task : tasks) if (task.unique() != null) return true;
        return false;
    }

    private static SqlStatement pushStatement(NewTask task, long now) {
        return SqliteTaskSql.push(task.id().value(), task.queue().value(), task.priority(), task.runAt().toEpochMilli(),
                task.maxAttempts(), task.payload(), task.codec(), metadataJson(task.metadata()), now);
    }

    /** The INSERTs that store {@code tasks}, for a transport or for the caller's own connection; tasks without unique keys only. */
    public List<SqlStatement> pushStatements(List<NewTask> tasks) {
        if (hasUniqueKey(tasks)) {
            throw new InvalidTaskException("a push inside the application's transaction cannot take a unique key: push the task without "
                    + "the Connection (the key is then checked and taken in the push's own transaction), or drop the key");
        }
        long now = clock.millis();
        List<SqlStatement> statements = new ArrayList<>(tasks.size());
        for (NewTask task : tasks) {
            statements.add(SqliteTaskSql.push(task.id().value(), task.queue().value(), task.priority(), task.runAt().toEpochMilli(),
                    task.maxAttempts(), task.payload(), task.codec(), metadataJson(task.metadata()), now));
        }
        return statements;
    }

    /** Wakes the workers of the queues {@code tasks} went to (call after they are committed). */
    public void signalPushed(List<NewTask> tasks) {
        List<QueueName> queues = new ArrayList<>(tasks.size());
        for (NewTask task : tasks) queues.add(task.queue());
        wakeups.signal(queues);
    }

    // ---- claim and leases ----

    @Override
    public List<ClaimedTask> claim(QueueName queue, WorkerId worker, int max, Duration leaseDuration) {
        validateClaim(queue, worker, max, leaseDuration);
        if (max == 0) return List.of();
        long now = clock.millis();
        List<SqlResult> results = transport.write(claimStatements(queue, worker, max, now, leaseDuration));
        return claimed(queue, worker, now, leaseDuration, results.get(0), results.get(1));
    }

    private static void validateClaim(QueueName queue, WorkerId worker, int max, Duration leaseDuration) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(worker, "worker");
        if (max < 0) throw new IllegalArgumentException("a claim takes max >= 0 (got " + max + ")");
        if (leaseDuration.isNegative() || leaseDuration.isZero()) {
            throw new IllegalArgumentException("a lease must last a positive duration (got " + leaseDuration + ")");
        }
    }

    /**
     * Exhausted expired leases go DEAD, then the claim (limited by the queue's control, read in the same transaction), then
     * the starts it made are recorded for a rate-limited queue and old ones pruned: four statements, the first two read back
     * by {@link #claimed}. The last two do nothing on a queue without a rate limit.
     */
    private static List<SqlStatement> claimStatements(QueueName queue, WorkerId worker, int max, long now, Duration leaseDuration) {
        return List.of(
                SqliteTaskSql.expireExhaustedLeases(queue.value(), now),
                SqliteTaskSql.claim(queue.value(), worker.value(), max, now, now + leaseDuration.toMillis()),
                SqliteTaskSql.recordStarts(queue.value()),
                SqliteTaskSql.pruneStarts(queue.value()));
    }

    private List<ClaimedTask> claimed(QueueName queue, WorkerId worker, long now, Duration leaseDuration, SqlResult expired, SqlResult claim) {
        long died = expired.changes();
        if (died > 0) {
            log.warn("{} task(s) of queue {} went DEAD: their lease expired on their last attempt (their worker probably died); "
                    + "inspect them and requeue if they should run again", died, queue);
        }
        List<SqlRow> rows = claim.rows();
        if (rows.isEmpty()) return List.of();
        Instant started = Instant.ofEpochMilli(now);
        Instant expires = Instant.ofEpochMilli(now + leaseDuration.toMillis());
        List<ClaimedTask> claimed = new ArrayList<>(rows.size());
        for (SqlRow row : rows) {
            String id = row.getString("id");
            TaskRecord task = TaskRecord.builder(TaskId.of(id), queue)
                    .state(TaskState.RUNNING)
                    .priority(row.getInt("priority"))
                    .runAt(instant(row.getLong("run_at")))
                    .attempt(row.getInt("attempt"))
                    .maxAttempts(row.getInt("max_attempts"))
                    .payload(row.getBytes("payload"))
                    .codec(row.getString("codec"))
                    .metadata(metadata(id, row.getString("metadata")))
                    .lastError(row.getString("last_error"))
                    .leaseOwner(worker.value())
                    .leaseExpiresAt(expires)
                    .enqueuedAt(instant(row.getLong("enqueued_at")))
                    .startedAt(started)
                    .build();
            claimed.add(new ClaimedTask(task, new Lease(task.id(), queue, worker, new LeaseToken(row.getString("lease_token")), expires)));
        }
        claimed.sort(Comparator.comparing(ClaimedTask::task, CLAIM_ORDER));
        log.debug("worker {} claimed {} task(s) of queue {}", worker, claimed.size(), queue);
        return claimed;
    }

    @Override
    public Set<LeaseToken> heartbeat(Collection<Lease> leases, Duration extension) {
        if (extension.isNegative() || extension.isZero()) {
            throw new IllegalArgumentException("a lease extension must be a positive duration (got " + extension + ")");
        }
        if (leases.isEmpty()) return Set.of();
        List<Lease> list = List.copyOf(leases);
        long expiresAt = clock.millis() + extension.toMillis();
        List<SqlStatement> statements = new ArrayList<>(list.size());
        for (Lease lease : list) {
            statements.add(SqliteTaskSql.heartbeat(lease.taskId().value(), lease.token().value(), expiresAt));
        }
        List<SqlResult> results = transport.write(statements);
        Set<LeaseToken> held = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            if (results.get(i).changes() == 1) held.add(list.get(i).token());
        }
        return held;
    }

    @Override
    public Set<LeaseToken> settle(List<Settlement> settlements) {
        if (settlements.isEmpty()) return Set.of();
        SettleBatch batch = new SettleBatch(settlements, clock.millis());
        return batch.interpret(transport.write(batch.statements));
    }

    /** The settlements and the claim in one transaction: one round trip and one commit for a worker's cycle. */
    @Override
    public SettledThenClaimed settleThenClaim(List<Settlement> settlements, QueueName queue, WorkerId worker, int max,
                                              Duration leaseDuration) {
        if (max == 0) return new SettledThenClaimed(settle(settlements), List.of(), null);
        if (settlements.isEmpty()) return new SettledThenClaimed(Set.of(), claim(queue, worker, max, leaseDuration), null);
        validateClaim(queue, worker, max, leaseDuration);
        long now = clock.millis();
        SettleBatch batch = new SettleBatch(settlements, now);
        List<SqlStatement> statements = new ArrayList<>(batch.statements.size() + 2);
        statements.addAll(batch.statements);
        statements.addAll(claimStatements(queue, worker, max, now, leaseDuration));
        List<SqlResult> results = transport.write(statements);
        int claimAt = batch.statements.size();
        return new SettledThenClaimed(batch.interpret(results.subList(0, claimAt)),
                claimed(queue, worker, now, leaseDuration, results.get(claimAt), results.get(claimAt + 1)), null);
    }

    /** The statements of one settle call, and how to read their results. */
    private final class SettleBatch {
        final List<Settlement> sorted;
        final List<SqlStatement> statements;
        final int[] settlementStatement;
        final List<Integer> followUpStatements = new ArrayList<>();
        final List<FollowUp> followUps = new ArrayList<>();

        SettleBatch(List<Settlement> settlements, long now) {
            // Same kinds next to each other, so the transport can batch identical statements (a stable sort keeps order within a kind).
            sorted = new ArrayList<>(settlements);
            sorted.sort(Comparator.comparingInt(SqlTaskStore::kindOrder));
            statements = new ArrayList<>(sorted.size());
            settlementStatement = new int[sorted.size()];
            for (int s = 0; s < sorted.size(); s++) {
                Settlement settlement = sorted.get(s);
                String id = settlement.lease().taskId().value();
                String token = settlement.lease().token().value();
                settlementStatement[s] = statements.size();
                // A completion with follow-ups leaves a token of its own on the DONE row for them to check; one without leaves none,
                // which keeps the row it rewrites small.
                String completion = settlement instanceof Settlement.Complete c && !c.then().isEmpty()
                        ? token + "/done-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) : null;
                statements.add(switch (settlement) {
                    case Settlement.Complete c -> SqliteTaskSql.complete(id, token, c.result(), now, completion);
                    case Settlement.Retry r -> SqliteTaskSql.retry(id, token, now + r.delay().toMillis(), r.error(), now);
                    case Settlement.Kill k -> SqliteTaskSql.kill(id, token, k.error(), now);
                    case Settlement.Release ignored -> SqliteTaskSql.release(id, token);
                });
                if (settlement instanceof Settlement.Complete c) {
                    for (FollowUp f : c.then()) {
                        NewTask t = f.task();
                        followUpStatements.add(statements.size());
                        followUps.add(f);
                        statements.add(SqliteTaskSql.followUp(t.id().value(), t.queue().value(), t.priority(), t.runAt().toEpochMilli(),
                                t.maxAttempts(), t.payload(), t.codec(), metadataJson(t.metadata()), now, id, completion,
                                f.awaiting().stream().map(TaskId::value).sorted().toList(), f.unless() == null ? null : f.unless().value()));
                    }
                }
            }
        }

        /** The tokens applied, given the results of {@link #statements}; wakes the queues the settlements made work due on. */
        Set<LeaseToken> interpret(List<SqlResult> results) {
            Set<LeaseToken> applied = new HashSet<>();
            Set<QueueName> dueNow = new LinkedHashSet<>();
            for (int i = 0; i < sorted.size(); i++) {
                Settlement settlement = sorted.get(i);
                SqlResult result = results.get(settlementStatement[i]);
                if (result.changes() != 1) continue;
                applied.add(settlement.lease().token());
                boolean wakes = settlement instanceof Settlement.Release
                        || settlement instanceof Settlement.Retry r && r.delay().toMillis() == 0;
                if (wakes) dueNow.add(settlement.lease().queue());
            }
            for (int i = 0; i < followUps.size(); i++) {
                if (results.get(followUpStatements.get(i)).changes() == 1) dueNow.add(followUps.get(i).task().queue());
            }
            if (applied.size() < sorted.size()) {
                log.debug("{} of {} settlement(s) were not applied: their lease was lost", sorted.size() - applied.size(), sorted.size());
            }
            if (!dueNow.isEmpty()) wakeups.signal(dueNow);
            return applied;
        }
    }

    private static int kindOrder(Settlement settlement) {
        return switch (settlement) {
            case Settlement.Complete ignored -> 0;
            case Settlement.Retry ignored -> 1;
            case Settlement.Kill ignored -> 2;
            case Settlement.Release ignored -> 3;
        };
    }

    // ---- inspection ----

    @Override
    public Map<TaskState, Long> counts(QueueName queue) {
        Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
        for (SqlRow row : transport.read(SqliteTaskSql.counts(queue.value())).rows()) {
            long tasks = row.getLong("tasks");
            if (tasks > 0) counts.put(state(row.getString("state")), tasks); // the PENDING and RUNNING branches count zeros too
        }
        return counts;
    }

    /**
     * Steps down the distinct priorities of the queue's PENDING tasks, one index probe each
     * ({@link SqliteTaskSql#NEXT_PRIORITY_DUE}), keeping the earliest run_at; due when it is not after now.
     */
    @Override
    public Optional<Instant> oldestDue(QueueName queue) {
        long below = Long.MAX_VALUE;
        Long earliest = null;
        while (true) {
            List<SqlRow> rows = transport.read(SqliteTaskSql.nextPriorityDue(queue.value(), below)).rows();
            if (rows.isEmpty()) break;
            SqlRow row = rows.getFirst();
            long runAt = row.getLong("run_at");
            if (earliest == null || runAt < earliest) earliest = runAt;
            below = row.getLong("priority");
        }
        return earliest != null && earliest <= clock.millis() ? Optional.of(Instant.ofEpochMilli(earliest)) : Optional.empty();
    }

    @Override
    public Optional<TaskRecord> get(QueueName queue, TaskId id) {
        List<SqlRow> rows = transport.read(SqliteTaskSql.get(queue.value(), id.value())).rows();
        return rows.isEmpty() ? Optional.empty() : Optional.of(toRecord(rows.getFirst()));
    }

    @Override
    public List<TaskRecord> list(TaskQuery query) {
        String state = query.state() == null ? null : query.state().name();
        SqlStatement statement = query.beforeId() != null
                ? SqliteTaskSql.listBefore(query.queue().value(), state, query.beforeId().value(), query.limit())
                : SqliteTaskSql.list(query.queue().value(), state, query.afterId() == null ? null : query.afterId().value(), query.limit());
        return transport.read(statement).rows().stream().map(SqlTaskStore::toRecord).toList();
    }

    /**
     * The task's state, then the cancel, in one write transaction: the state read is the one the cancel acted on, so the
     * result says truly whether it was PENDING or RUNNING, or already finished.
     */
    @Override
    public CancelResult cancel(QueueName queue, TaskId id) {
        List<SqlResult> results = transport.write(List.of(SqliteTaskSql.state(queue.value(), id.value()),
                SqliteTaskSql.cancel(queue.value(), id.value(), clock.millis())));
        List<SqlRow> before = results.get(0).rows();
        if (before.isEmpty()) return new CancelResult.Unknown(id);
        TaskState was = state(before.getFirst().getString("state"));
        if (results.get(1).changes() == 1) {
            if (was == TaskState.RUNNING) log.info("cancelled task {} of queue {} while it ran: its lease is fenced", id, queue);
            return new CancelResult.Cancelled(id, was);
        }
        return new CancelResult.AlreadyFinished(id, was);
    }

    /** Read in a write transaction, so on an embedded replica it is the primary's answer, not the replica's lagging one. */
    @Override
    public Set<LeaseToken> cancelled(Collection<Lease> leases) {
        if (leases.isEmpty()) return Set.of();
        Map<String, List<LeaseToken>> byId = new HashMap<>();
        for (Lease lease : leases) byId.computeIfAbsent(lease.taskId().value(), k -> new ArrayList<>()).add(lease.token());
        Set<LeaseToken> cancelled = new HashSet<>();
        List<String> ids = List.copyOf(byId.keySet());
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            for (SqlRow row : transport.write(List.of(SqliteTaskSql.cancelledAmong(chunk))).getFirst().rows()) {
                cancelled.addAll(byId.get(row.getString("id")));
            }
        }
        return cancelled;
    }

    /**
     * One short write transaction per call: a DELETE of at most {@code limit} rows, with the cutoffs taken from this
     * store's clock. The write lock is held for one small batch, so claims wait at most that long.
     */
    @Override
    public int deleteFinished(QueueName queue, Retention retention, int limit) {
        if (limit <= 0) throw new IllegalArgumentException("retention batch limit for queue " + queue + " is " + limit + ": it must be positive");
        if (retention.keepsEverything()) return 0;
        long now = clock.millis();
        SqlStatement statement = SqliteTaskSql.deleteFinished(queue.value(), cutoff(retention, TaskState.DONE, now),
                cutoff(retention, TaskState.DEAD, now), cutoff(retention, TaskState.CANCELLED, now), limit);
        return (int) transport.write(List.of(statement)).getFirst().changes();
    }

    private static Long cutoff(Retention retention, TaskState state, long now) {
        return retention.maxAge(state).map(age -> now - Math.min(age.toMillis(), now)).orElse(null);
    }

    @Override
    public boolean requeue(QueueName queue, TaskId id) {
        SqlResult result = transport.write(List.of(SqliteTaskSql.requeue(queue.value(), id.value(), clock.millis()))).getFirst();
        if (result.changes() != 1) return false;
        wakeups.signal(queue);
        return true;
    }

    // ---- administration ----

    @Override
    public List<QueueName> queues() {
        return transport.read(SqlStatement.of(SqliteTaskSql.QUEUES)).rows().stream().map(r -> QueueName.of(r.getString("queue"))).toList();
    }

    @Override
    public List<dev.drover.api.FinishedMinute> finishedPerMinute(QueueName queue, Instant since) {
        List<dev.drover.api.FinishedMinute> minutes = new ArrayList<>();
        for (SqlRow row : transport.read(SqlStatement.of(SqliteTaskSql.FINISHED_PER_MINUTE, queue.value(), since.toEpochMilli())).rows()) {
            minutes.add(new dev.drover.api.FinishedMinute(Instant.ofEpochMilli(row.getLong("minute")), row.getLong("done"), row.getLong("dead")));
        }
        return minutes;
    }

    @Override
    public boolean runNow(QueueName queue, TaskId id) {
        SqlResult result = transport.write(List.of(SqlStatement.of(SqliteTaskSql.RUN_NOW, clock.millis(), id.value(), queue.value()))).getFirst();
        if (result.changes() != 1) return false;
        wakeups.signal(queue);
        return true;
    }

    @Override
    public boolean delete(QueueName queue, TaskId id) {
        return transport.write(List.of(SqlStatement.of(SqliteTaskSql.DELETE_FINISHED_TASK, id.value(), queue.value()))).getFirst().changes() == 1;
    }

    // ---- queue control ----

    @Override
    public void pause(QueueName queue, boolean paused) {
        Objects.requireNonNull(queue, "queue");
        transport.write(List.of(SqliteTaskSql.pause(queue.value(), paused, clock.millis())));
        log.info("queue {} {} on {}", queue, paused ? "paused" : "resumed", transport.describe());
        if (!paused) wakeups.signal(queue);
    }

    @Override
    public void limit(QueueName queue, QueueLimits limits) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(limits, "limits");
        transport.write(List.of(SqliteTaskSql.limit(queue.value(), limits.maxRunning().isPresent() ? limits.maxRunning().getAsInt() : null,
                limits.maxStarts().isPresent() ? limits.maxStarts().getAsInt() : null,
                limits.rateInterval().map(Duration::toMillis).orElse(null), clock.millis())));
        log.info("queue {} limits set to {} on {}", queue, limits, transport.describe());
        wakeups.signal(queue);
    }

    /** Read in a write transaction, so on an embedded replica it is the primary's answer. */
    @Override
    public QueueControl control(QueueName queue) {
        Objects.requireNonNull(queue, "queue");
        List<SqlRow> rows = transport.write(List.of(SqliteTaskSql.control(queue.value()))).getFirst().rows();
        if (rows.isEmpty()) return QueueControl.DEFAULT;
        SqlRow row = rows.getFirst();
        QueueLimits limits = QueueLimits.none();
        Long maxRunning = row.getLong("max_running");
        if (maxRunning != null) limits = limits.concurrency(Math.toIntExact(maxRunning));
        Long maxStarts = row.getLong("max_starts");
        Long interval = row.getLong("rate_interval_ms");
        if (maxStarts != null && interval != null) limits = limits.rate(Math.toIntExact(maxStarts), Duration.ofMillis(interval));
        Long paused = row.getLong("paused");
        return QueueControl.of(paused != null && paused != 0, limits);
    }

    // ---- recurring tasks ----

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public void saveSchedule(ScheduleRecord schedule) {
        ScheduleOptions o = schedule.options();
        transport.write(List.of(SqlStatement.of(SqliteScheduleSql.SAVE, schedule.name(), schedule.queue().value(),
                schedule.schedule().spec(), schedule.schedule().zone().getId(), schedule.payload(), schedule.codec(),
                o.missedTicks().name(), o.missedAfter().toMillis(), (long) o.priority(), (long) o.maxAttempts(),
                schedule.lastTick() == null ? null : schedule.lastTick().toEpochMilli(), clock.millis(), schedule.paused() ? 1L : 0L)));
    }

    /** Read in a write transaction, so on an embedded replica it is the primary's answer, not the replica's lagging one. */
    @Override
    public List<ScheduleRecord> schedules() {
        List<ScheduleRecord> out = new ArrayList<>();
        for (SqlRow row : transport.write(List.of(SqlStatement.of(SqliteScheduleSql.LIST))).getFirst().rows()) {
            out.add(toSchedule(row));
        }
        return out;
    }

    @Override
    public boolean pauseSchedule(String name, boolean paused) {
        return transport.write(List.of(SqlStatement.of(SqliteScheduleSql.PAUSE, paused ? 1L : 0L, clock.millis(), name))).getFirst().changes() == 1;
    }

    @Override
    public boolean removeSchedule(String name) {
        return transport.write(List.of(SqlStatement.of(SqliteScheduleSql.REMOVE, name))).getFirst().changes() == 1;
    }

    /** The compare-and-set of last_tick and the insert of the tick's task, in one write transaction (see {@link SqliteScheduleSql}). */
    @Override
    public boolean fireSchedule(String name, Instant expectedLastTick, Instant tick, NewTask task) {
        Objects.requireNonNull(expectedLastTick, "expectedLastTick");
        Objects.requireNonNull(tick, "tick");
        long now = clock.millis();
        List<SqlStatement> statements = new ArrayList<>(2);
        statements.add(SqliteScheduleSql.advance(name, expectedLastTick.toEpochMilli(), tick.toEpochMilli(), now));
        if (task != null) {
            statements.add(SqlStatement.of(SqliteScheduleSql.PUSH_IF_ADVANCED, task.id().value(), task.queue().value(), (long) task.priority(),
                    task.runAt().toEpochMilli(), (long) task.maxAttempts(), task.payload(), task.codec(), metadataJson(task.metadata()), now));
        }
        List<SqlResult> results = transport.write(statements);
        boolean won = results.getFirst().changes() == 1;
        if (won && task != null) wakeups.signal(task.queue());
        return won;
    }

    private static ScheduleRecord toSchedule(SqlRow row) {
        String name = row.getString("name");
        try {
            ScheduleOptions options = new ScheduleOptions(ScheduleOptions.MissedTicks.valueOf(row.getString("missed_ticks")),
                    Duration.ofMillis(row.getLong("missed_after_ms")), row.getInt("priority"), row.getInt("max_attempts"));
            return new ScheduleRecord(name, QueueName.of(row.getString("queue")),
                    Schedule.parse(row.getString("spec"), ZoneId.of(row.getString("zone"))), row.getBytes("payload"),
                    row.getString("codec"), options, row.getInt("paused") != 0, Instant.ofEpochMilli(row.getLong("last_tick")));
        } catch (RuntimeException e) {
            throw new StorageException("schedule " + name + " in drover_schedules cannot be read (" + e.getMessage()
                    + "): it was written by a newer Drover or by hand; fix or remove the row", false, e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                transport.close();
            } finally {
                wakeups.release();
            }
        }
    }

    @Override
    public String toString() {
        return "SqlTaskStore[" + transport.describe() + "]";
    }

    // ---- rows ----

    /** A row with the columns of {@link SqliteTaskSql#TASK_COLUMNS} as a record. */
    public static TaskRecord toRecord(SqlRow row) {
        String id = row.getString("id");
        return TaskRecord.builder(TaskId.of(id), QueueName.of(row.getString("queue")))
                .state(state(row.getString("state")))
                .priority(row.getInt("priority"))
                .runAt(instant(row.getLong("run_at")))
                .attempt(row.getInt("attempt"))
                .maxAttempts(row.getInt("max_attempts"))
                .payload(row.getBytes("payload"))
                .codec(row.getString("codec"))
                .metadata(metadata(id, row.getString("metadata")))
                .lastError(row.getString("last_error"))
                .result(row.getBytes("result"))
                .leaseOwner(row.getString("lease_owner"))
                .leaseExpiresAt(instant(row.getLong("lease_expires_at")))
                .enqueuedAt(instant(row.getLong("enqueued_at")))
                .startedAt(instant(row.getLong("started_at")))
                .finishedAt(instant(row.getLong("finished_at")))
                .attempts(attemptErrors(id, row.getString("attempt_errors")))
                .build();
    }

    private static TaskState state(String name) {
        try {
            return TaskState.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StorageException("drover_tasks holds an unknown task state \"" + name
                    + "\": the database was written by a newer Drover or by hand; upgrade Drover or fix the row", false, e);
        }
    }

    private static Instant instant(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
    }

    static String metadataJson(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) return null;
        return JSON.writeValueAsString(new TreeMap<>(metadata));
    }

    private static Map<String, String> metadata(String taskId, String json) {
        if (json == null || json.isEmpty()) return Map.of();
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JacksonException e) {
            throw new StorageException("task " + taskId + " has metadata that is not a JSON object of strings (" + e.getOriginalMessage()
                    + "): fix the row's metadata column", false, e);
        }
    }

    private static final TypeReference<List<Map<String, Object>>> ENTRIES = new TypeReference<>() { };

    /** The attempt_errors column (a JSON array of {attempt, at, worker, error}, oldest first) as values. */
    private static List<AttemptError> attemptErrors(String taskId, String json) {
        if (json == null || json.isEmpty()) return List.of();
        try {
            List<AttemptError> errors = new ArrayList<>();
            for (Map<String, Object> e : JSON.readValue(json, ENTRIES)) {
                errors.add(new AttemptError(((Number) e.get("attempt")).intValue(), Instant.ofEpochMilli(((Number) e.get("at")).longValue()),
                        (String) e.get("worker"), String.valueOf(e.get("error"))));
            }
            return List.copyOf(errors);
        } catch (JacksonException | ClassCastException | NullPointerException e) {
            throw new StorageException("task " + taskId + " has an attempt history that is not a JSON array of {attempt, at, worker, "
                    + "error} (" + e.getMessage() + "): fix or clear the row's attempt_errors column", false, e);
        }
    }
}
